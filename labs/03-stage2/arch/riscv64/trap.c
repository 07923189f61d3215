/*
 * trap.c - what the hypervisor does with a trap into HS-mode.
 *
 * In lab 1 no guest runs, so every trap is unexpected except the one the H-extension
 * probe causes on purpose. An unexpected trap is a hypervisor bug: report it, power off.
 */
#include <asm/csr.h>
#include <asm/trap.h>
#include <panic.h>
#include <printf.h>

#include "cpu.h"

static int trap_depth[CPU_MAX]; /* per CPU: two CPUs may trap at once */

void hv_trap_handle(struct trap_frame *tf)
{
	unsigned long cause = tf->scause;

	/* hstatus_readable() (cpu.c) reads a CSR that may not exist: an illegal
	 * instruction is expected then. */
	if (cpu_probe_active && cause == EXC_ILLEGAL_INST) {
		cpu_probe_faulted = true;
		tf->sepc += 4; /* csrr is never compressed */
		return;
	}

	if (guest_access_active[cpu_id()] &&
	    (cause == EXC_LOAD_PAGE_FAULT || cause == EXC_LOAD_GUEST_PAGE_FAULT ||
	     cause == EXC_LOAD_ACCESS || cause == EXC_INST_PAGE_FAULT)) {
		guest_access_faulted[cpu_id()] = true;
		tf->sepc += 4; /* HLV and HLVX are never compressed */
		return;
	}

	/* A trap while reporting a trap: say so plainly, the first report may be the clue. */
	if (trap_depth[cpu_id()]++) {
		printf("\ntrap: another trap (scause 0x%lx, sepc 0x%lx) while handling a trap\n",
		       cause, tf->sepc);
		panic("nested trap in HS-mode");
	}
	trap_report(tf);
	panic("unexpected trap in HS-mode: %s", trap_cause_name(cause));
}
