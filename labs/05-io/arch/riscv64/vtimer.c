/*
 * vtimer.c - timers for guests on one hart (RISC-V SBI spec v2.0, chapter 6, and
 * Privileged Spec v1.12, section 8.2.3: hvip.VSTIP). A guest arms its timer with SBI
 * set_timer; the hypervisor remembers the deadline, and when the hart's timer passes it,
 * sets VSTIP in that vCPU's hvip: the guest takes a supervisor timer interrupt. Setting
 * the timer again clears VSTIP. The scheduler's slice rides on the same hardware timer.
 */
#include <asm/csr.h>
#include <asm/sbi.h>
#include <printf.h>
#include <vm.h>

#include "cpu.h"
#include "vtimer.h"

#define SBI_EXT_TIME	  0x54494D45
#define SLICES_PER_SECOND 100 /* a 10 ms time slice */
#define MAX_TIMED_VCPUS	  (VM_MAX * VM_MAX_VCPUS)

static bool use_sstc;
static unsigned long slice_ticks;
static unsigned long slice_end = VTIMER_OFF;
static struct vcpu *slice_owner;
static struct vcpu *timed[MAX_TIMED_VCPUS]; /* every vCPU that ever armed its timer */
static unsigned int nr_timed;

void vtimer_init(const struct machine *m)
{
	/* Sstc lets HS-mode write stimecmp itself; without it, OpenSBI does it for us. */
	use_sstc = isa_has_extension(m->isa, "sstc");
	slice_ticks = m->timebase_hz / SLICES_PER_SECOND;
	printf("timer: %s, a time slice is %lu ticks\n",
	       use_sstc ? "Sstc (stimecmp)" : "SBI set_timer", slice_ticks);
}

unsigned long vtimer_now(void)
{
	return csr_read(time);
}

static void hart_timer_set(unsigned long deadline)
{
	if (use_sstc)
		csr_write(stimecmp, deadline);
	else
		sbi_ecall(SBI_EXT_TIME, 0, deadline, 0, 0);
}

void vtimer_program(void)
{
	unsigned long next = slice_end;

	for (unsigned int i = 0; i < nr_timed; i++)
		if (timed[i]->arch.timer_deadline < next)
			next = timed[i]->arch.timer_deadline;
	hart_timer_set(next);
}

void vtimer_enter(struct vcpu *vcpu)
{
	if (slice_owner == vcpu && slice_end != VTIMER_OFF)
		return;
	slice_owner = vcpu;
	slice_end = vtimer_now() + slice_ticks;
	vtimer_program();
}

void vtimer_idle(void)
{
	slice_end = VTIMER_OFF;
	slice_owner = NULL;
	vtimer_program();
}

void vtimer_set(struct vcpu *vcpu, unsigned long deadline)
{
	unsigned int i;

	arch_vcpu_set_virq(vcpu, VIRQ_TIMER, false);
	vcpu->arch.timer_deadline = deadline;
	for (i = 0; i < nr_timed && timed[i] != vcpu; i++)
		;
	if (i == nr_timed && nr_timed < MAX_TIMED_VCPUS)
		timed[nr_timed++] = vcpu;
	vtimer_program();
}

void vtimer_interrupt(struct vcpu *running)
{
	unsigned long now = vtimer_now();

	for (unsigned int i = 0; i < nr_timed; i++) {
		struct vcpu *v = timed[i];

		if (v->arch.timer_deadline <= now) {
			v->arch.timer_deadline = VTIMER_OFF;
			arch_vcpu_set_virq(v, VIRQ_TIMER, true);
		}
	}
	if (now >= slice_end) {
		slice_end = VTIMER_OFF;
		if (running)
			running->preempted = true;
	}
	vtimer_program();
}
