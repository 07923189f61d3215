/*
 * vtimer.c - timers for guests on one hart (RISC-V SBI spec v2.0, chapter 6, and
 * Privileged Spec v1.12, section 8.2.3: hvip.VSTIP). A guest arms its timer with SBI
 * set_timer; the hypervisor remembers the deadline, and when the hart's timer passes it,
 * sets VSTIP in that vCPU's hvip: the guest takes a supervisor timer interrupt. Setting
 * the timer again clears VSTIP. The scheduler's slice rides on the same hardware timer.
 */
#include <asm/csr.h>
#include <asm/sbi.h>
#include <percpu.h>
#include <printf.h>
#include <vm.h>

#include "cpu.h"
#include "vtimer.h"

#define SBI_EXT_TIME	  0x54494D45
#define SLICES_PER_SECOND 100 /* a 10 ms time slice */
#define MAX_TIMED_VCPUS	  (VM_MAX * VM_MAX_VCPUS)

static bool use_sstc;
static unsigned long slice_ticks;

/* Each CPU's timer serves the vCPUs that run on it; only that CPU touches its part. */
struct vtimer_cpu {
	unsigned long slice_end;
	struct vcpu *slice_owner;
	struct vcpu *timed[MAX_TIMED_VCPUS]; /* every vCPU here that ever armed its timer */
	unsigned int nr_timed;
};

static struct vtimer_cpu vtimers[CPU_MAX];

static struct vtimer_cpu *this_vtimer(void)
{
	return &vtimers[cpu_id()];
}

void vtimer_init(const struct machine *m)
{
	/* Sstc lets HS-mode write stimecmp itself; without it, OpenSBI does it for us. */
	use_sstc = isa_has_extension(m->arch.isa, "sstc");
	slice_ticks = m->timer_hz / SLICES_PER_SECOND;
	for (unsigned int i = 0; i < CPU_MAX; i++)
		vtimers[i].slice_end = VTIMER_OFF;
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
	struct vtimer_cpu *t = this_vtimer();
	unsigned long next = t->slice_end;

	for (unsigned int i = 0; i < t->nr_timed; i++)
		if (t->timed[i]->arch.timer_deadline < next)
			next = t->timed[i]->arch.timer_deadline;
	hart_timer_set(next);
}

void vtimer_enter(struct vcpu *vcpu)
{
	struct vtimer_cpu *t = this_vtimer();

	if (t->slice_owner == vcpu && t->slice_end != VTIMER_OFF)
		return;
	t->slice_owner = vcpu;
	t->slice_end = vtimer_now() + slice_ticks;
	vtimer_program();
}

void vtimer_idle(void)
{
	struct vtimer_cpu *t = this_vtimer();

	t->slice_end = VTIMER_OFF;
	t->slice_owner = NULL;
	vtimer_program();
}

void vtimer_set(struct vcpu *vcpu, unsigned long deadline)
{
	struct vtimer_cpu *t = this_vtimer();
	unsigned int i;

	arch_vcpu_set_virq(vcpu, VIRQ_TIMER, false);
	vcpu->arch.timer_deadline = deadline;
	for (i = 0; i < t->nr_timed && t->timed[i] != vcpu; i++)
		;
	if (i == t->nr_timed && t->nr_timed < MAX_TIMED_VCPUS)
		t->timed[t->nr_timed++] = vcpu;
	vtimer_program();
}

void vtimer_interrupt(struct vcpu *running)
{
	struct vtimer_cpu *t = this_vtimer();
	unsigned long now = vtimer_now();

	for (unsigned int i = 0; i < t->nr_timed; i++) {
		struct vcpu *v = t->timed[i];

		if (v->arch.timer_deadline <= now) {
			v->arch.timer_deadline = VTIMER_OFF;
			arch_vcpu_set_virq(v, VIRQ_TIMER, true);
		}
	}
	if (now >= t->slice_end) {
		t->slice_end = VTIMER_OFF;
		if (running)
			running->preempted = true;
	}
	vtimer_program();
}
