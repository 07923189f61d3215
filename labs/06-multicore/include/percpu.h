/*
 * percpu.h - the physical CPUs that run the hypervisor, and what each keeps
 * for itself.
 *
 * Every CPU has a `struct cpu`: its id (0 is the CPU that booted), the hardware's id for
 * it, its stack, and - from lab 6 on - a mailbox for requests from other CPUs. The
 * running CPU finds its own through this_cpu() (on RISC-V the tp register points at
 * it). A module that keeps state per CPU uses an array indexed by cpu_id(), as
 * vtimer.c does for the timers: no locks are needed for data only one CPU touches.
 */
#ifndef HVLAB_PERCPU_H
#define HVLAB_PERCPU_H

#include <machine.h>
#include <types.h>

#define CPU_MAX	       MACHINE_MAX_CPUS
#define CPU_STACK_SIZE (16 * 1024)

#include <smp.h>

struct cpu {
	unsigned long stack_top; /* first: head.S loads sp from here */
	unsigned int id; /* 0 .. nr_cpus - 1; 0 is the boot CPU */
	u64 hwid; /* the hardware's id for it: the device tree's reg (hart id, MPIDR) */
	bool online; /* it runs the hypervisor */
	struct cpu_mailbox mailbox; /* requests from other CPUs (smp.c) */
};

extern struct cpu cpus[CPU_MAX];
/* CPUs the hypervisor runs on (cpus[0 .. nr_cpus - 1]): 1 until lab 6 starts the others. */
extern unsigned int nr_cpus;
/* CPUs the machine has: cpus[] describes this many, the boot CPU first. */
extern unsigned int nr_cpus_present;

#include <asm/percpu.h> /* this_cpu() */

static inline unsigned int cpu_id(void)
{
	return this_cpu()->id;
}

/* Fills cpus[] from the machine's CPUs: the boot CPU is CPU 0, the others follow. */
void cpus_init(const struct machine *m);

#endif
