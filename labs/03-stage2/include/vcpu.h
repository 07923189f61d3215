/* vcpu.h - virtual CPUs: a guest's hart, run by vcpu_run() until it stops. */
#ifndef HVLAB_VCPU_H
#define HVLAB_VCPU_H

#include <asm/vcpu.h>
#include <types.h>

struct vm;

enum vcpu_state {
	VCPU_STOPPED, /* not started, or its VM has stopped */
	VCPU_RUNNABLE, /* runs whenever its hart is free */
};

struct vcpu {
	struct vm *vm;
	unsigned int id; /* the guest's hart id */
	enum vcpu_state state;
	u64 exits; /* traps into the hypervisor so far */
	struct arch_vcpu arch;
};

/* Sets the registers for a fresh start at entry: a0 = the vCPU's id, a1 = arg. */
void arch_vcpu_reset(struct vcpu *vcpu, paddr_t entry, unsigned long arg);

/* Enters the guest once and handles the exit it comes back with. */
void arch_vcpu_run(struct vcpu *vcpu);


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
