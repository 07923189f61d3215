/*
 * trap.c - what the hypervisor does with an exception taken to EL2 from itself.
 *
 * In lab 1 no guest runs, so every exception is unexpected except the undefined
 * instruction a probe causes on purpose. An unexpected one is a hypervisor bug: report
 * it, power off.
 */
#include <asm/sysreg.h>
#include <asm/trap.h>
#include <panic.h>
#include <percpu.h>
#include <printf.h>

#include "cpu.h"

static int trap_depth[CPU_MAX]; /* per CPU: two CPUs may trap at once */

void hv_trap_handle(struct trap_frame *tf)
{
	unsigned int ec = ESR_EC(tf->esr);

	/* cpu.c is probing an instruction that may not exist (HLT, semihosting): skip it. */
	if (cpu_probe_active[cpu_id()] && (tf->kind & 3) == TRAP_SYNC && ec == EC_UNKNOWN) {
		cpu_probe_faulted[cpu_id()] = true;
		tf->elr += 4;
		return;
	}

	/* A trap while reporting a trap: say so plainly, the first report may be the clue. */
	if (trap_depth[cpu_id()]++) {
		printf("\ntrap: another exception (ESR 0x%lx, ELR 0x%lx) while handling one\n",
		       tf->esr, tf->elr);
		panic("nested exception at EL2");
	}
	trap_report(tf);
	panic("unexpected exception at EL2: %s", trap_ec_name(ec));
}
