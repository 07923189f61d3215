/*
 * vtimer.h - one hardware timer per hart, shared by every vCPU's SBI timer and the
 * scheduler's time slice: it is always set to the earliest of their deadlines.
 */
#ifndef RISCV_VTIMER_H
#define RISCV_VTIMER_H

#include <machine.h>
#include <vcpu.h>

#define VTIMER_OFF (~0UL)

/* Chooses stimecmp (Sstc) or the SBI TIME call to program the hart's timer. */
void vtimer_init(const struct machine *m);

unsigned long vtimer_now(void);

/* SBI set_timer for vcpu: VSTIP is clear until `deadline`, then set. */
void vtimer_set(struct vcpu *vcpu, unsigned long deadline);

/* vcpu is about to run: it gets a fresh time slice unless its current one goes on. */
void vtimer_enter(struct vcpu *vcpu);

/* Programs the hart's timer for the earliest deadline. */
void vtimer_program(void);

/* Nothing runs: no time slice, and the timer set for the earliest vCPU deadline. */
void vtimer_idle(void);

/* The hart's timer fired: expired vCPU timers raise VSTIP, an expired slice preempts. */
void vtimer_interrupt(struct vcpu *running);

#endif
