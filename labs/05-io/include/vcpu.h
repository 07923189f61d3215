/* vcpu.h - virtual CPUs: a guest's hart, run by vcpu_run() until it stops. */
#ifndef HVLAB_VCPU_H
#define HVLAB_VCPU_H

#include <asm/vcpu.h>
#include <types.h>

struct vm;

enum vcpu_state {
	VCPU_STOPPED, /* not started, or its VM has stopped */
	VCPU_RUNNABLE, /* runs whenever its hart is free */
	/* In WFI: runs again when an interrupt is pending for it. */
	VCPU_WAITING,
};

struct vcpu {
	struct vm *vm;
	unsigned int id; /* the guest's hart id */
	enum vcpu_state state;
	u64 exits; /* traps into the hypervisor so far */
	bool preempted; /* its time slice is over: back to the scheduler */
	struct arch_vcpu arch;
};

/* Sets the registers for a fresh start at entry: a0 = the vCPU's id, a1 = arg. */
void arch_vcpu_reset(struct vcpu *vcpu, paddr_t entry, unsigned long arg);

/* Enters the guest once and handles the exit it comes back with. */
void arch_vcpu_run(struct vcpu *vcpu);

/* Nothing can run: sleep until a host interrupt arrives, and handle it. */
void arch_wait_for_interrupt(void);

/* The three interrupts a guest hart has of its own: software, timer, external. */
enum virq {
	VIRQ_SOFT,
	VIRQ_TIMER,
	VIRQ_EXT,
};

/* Raises or lowers one of vcpu's interrupts; a raised one wakes it from WFI. */
void arch_vcpu_set_virq(struct vcpu *vcpu, enum virq irq, bool pending);

/* A vCPU waiting in WFI (VCPU_WAITING) becomes runnable; in any other state, nothing. */
void vcpu_wake(struct vcpu *vcpu);

/*
 * The same, from anywhere: what devices and other vCPUs call. From lab 6 on, a vCPU
 * that runs on another CPU gets it through that CPU (a CPU_MSG_VIRQ message).
 */
void vcpu_set_virq(struct vcpu *vcpu, enum virq irq, bool pending);

/*
 * Starts a stopped vcpu at entry with a0 = its id and a1 = arg. From lab 6 on, a vCPU of
 * another CPU becomes VCPU_START_PENDING and that CPU starts it (CPU_MSG_VCPU_START).
 */
void vcpu_start(struct vcpu *vcpu, paddr_t entry, unsigned long arg);

/*
 * The running vcpu stops itself (`how`: the call, SBI HSM hart_stop or PSCI CPU_OFF). If
 * no vCPU of its VM is left running, none could ever start another: the VM is stopped
 * with a report.
 */
void vcpu_stop_self(struct vcpu *vcpu, const char *how);

/* Runs vcpu until it stops, blocks or (from lab 4 on) its time slice ends. */
void vcpu_run(struct vcpu *vcpu);

/*
 * The scheduler of this CPU: runs every runnable vCPU of the VMs (from lab 6 on: those
 * pinned to this CPU), round-robin, until none is left that could ever run again.
 */
void sched_run(struct vm *vms, int nr_vms);

#endif
