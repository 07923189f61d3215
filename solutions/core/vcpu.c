/* @since 2 */
/* vcpu.c - running vCPUs: enter the guest, handle the exit, again; and whose turn it is. */
#include <vcpu.h>
#include <vm.h>
/* @since 6 begin */
#include <percpu.h>
#include <smp.h>
/* @since 6 end */

void vcpu_start(struct vcpu *vcpu, paddr_t entry, unsigned long arg)
{
	/* @since 6 begin */
	vcpu->suspended = false;
	if (vcpu->cpu != cpu_id()) {
		spin_lock(&vcpu->vm->lock);
		vcpu->state = VCPU_START_PENDING;
		spin_unlock(&vcpu->vm->lock);
		cpu_msg_send(vcpu->cpu, &(struct cpu_msg){.type = CPU_MSG_VCPU_START,
							  .vcpu = vcpu,
							  .arg = {entry, arg}});
		return;
	}
	/* @since 6 end */
	arch_vcpu_reset(vcpu, entry, arg);
	spin_lock(&vcpu->vm->lock);
	vcpu->state = VCPU_RUNNABLE;
	spin_unlock(&vcpu->vm->lock);
}

void vcpu_stop_self(struct vcpu *vcpu, const char *how)
{
	struct vm *vm = vcpu->vm;
	bool others = false;

	spin_lock(&vm->lock);
	vcpu->state = VCPU_STOPPED;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		others = others || vm->vcpus[i].state != VCPU_STOPPED;
	spin_unlock(&vm->lock);
	if (!others)
		vm_crash(vm, "vCPU %u stopped itself (%s) and no vCPU is left running", vcpu->id,
			 how);
}

/* @since 6 begin */
void vcpu_start_here(struct vcpu *vcpu, paddr_t entry, unsigned long arg)
{
	struct vm *vm = vcpu->vm;

	/* A request from before the VM stopped or rebooted is stale: the state says so. */
	spin_lock(&vm->lock);
	if (vm->state == VM_RUNNING && vcpu->state == VCPU_START_PENDING) {
		arch_vcpu_reset(vcpu, entry, arg);
		vcpu->state = VCPU_RUNNABLE;
	}
	spin_unlock(&vm->lock);
}

/*
 * May this CPU enter vcpu? Only while its VM runs; and from now on vm_reboot() waits
 * until vcpu_run() is over before it touches the VM.
 */
static bool vcpu_claim(struct vcpu *vcpu)
{
	bool ok;

	spin_lock(&vcpu->vm->lock);
	ok = vcpu->vm->state == VM_RUNNING && vcpu->state == VCPU_RUNNABLE;
	vcpu->running = ok;
	spin_unlock(&vcpu->vm->lock);
	return ok;
}
/* @since 6 end */

/* @since 4 begin */
void vcpu_wake(struct vcpu *vcpu)
{
	/* @since 6 begin */
	/* A reboot on another CPU may be stopping it right now (vm_load()). */
	spin_lock(&vcpu->vm->lock);
	/* @since 6 end */
	if (vcpu->state == VCPU_WAITING)
		vcpu->state = VCPU_RUNNABLE;
	/* @since 6 begin */
	spin_unlock(&vcpu->vm->lock);
	/* @since 6 end */
}

void vcpu_set_virq(struct vcpu *vcpu, enum virq irq, bool pending)
{
	/* @since 6 begin */
	if (vcpu->cpu != cpu_id()) {
		/* @lab 6 begin: vcpu runs on another CPU, which may be in the guest right now
		 * with the vCPU's hvip loaded: only that CPU may change it. Send it a
		 * CPU_MSG_VIRQ for vcpu (arg[0] = irq, arg[1] = pending). */
		cpu_msg_send(vcpu->cpu, &(struct cpu_msg){.type = CPU_MSG_VIRQ,
							  .vcpu = vcpu,
							  .arg = {irq, pending}});
		/* @lab 6 stub: vm_crash(vcpu->vm, "vcpu_set_virq() for another CPU is not written yet"); */
		/* @lab 6 end */
		return;
	}
	/* @since 6 end */
	arch_vcpu_set_virq(vcpu, irq, pending);
}
/* @since 4 end */

/* @since 5 begin */
/* Is a vCPU of vm runnable? It may be in the middle of a line: no prompt to show yet. */
static bool any_vcpu_runnable(const struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].state == VCPU_RUNNABLE)
			return true;
	return false;
}
/* @since 5 end */

void vcpu_run(struct vcpu *vcpu)
{
	/* @since 6 begin */
	if (!vcpu_claim(vcpu))
		return;
	vcpu->suspended = false; /* it runs: whatever woke it ended its suspension */
	vcpu->ran_on |= 1UL << cpu_id();
	/* @since 6 end */
	while (vcpu->state == VCPU_RUNNABLE && vcpu->vm->state == VM_RUNNING) {
		arch_vcpu_run(vcpu);
		/* @since 5 begin */
		/* A guest that waits may be waiting for input: show the prompt it printed. */
		if (vcpu->state == VCPU_WAITING && !any_vcpu_runnable(vcpu->vm))
			vm_console_flush(vcpu->vm);
		/* @since 5 end */
		/* @since 4 begin */
		if (vcpu->preempted) {
			vcpu->preempted = false;
			break;
		}
		/* @since 4 end */
	}
	/* @since 6 begin */
	__atomic_store_n(&vcpu->running, false, __ATOMIC_RELEASE);
	/* @since 6 end */
}

/* Is vCPU `id` of vm one this CPU may run now? */
static bool sched_can_run(const struct vm *vm, unsigned int id)
{
	if (vm->state != VM_RUNNING || id >= vm->nr_vcpus)
		return false;
	/* @since 6 begin */
	if (vm->vcpus[id].cpu != cpu_id())
		return false; /* pinned to another CPU */
	/* @since 6 end */
	return vm->vcpus[id].state == VCPU_RUNNABLE;
}

/* The next runnable vCPU after the one at `cursor` (VM-major order), or NULL. */
static struct vcpu *sched_pick(struct vm *vms, int nr_vms, int *cursor)
{
	int total = nr_vms * VM_MAX_VCPUS;

	for (int step = 1; step <= total; step++) {
		int slot = (*cursor + step) % total;
		struct vm *vm = &vms[slot / VM_MAX_VCPUS];
		unsigned int id = slot % VM_MAX_VCPUS;

		if (sched_can_run(vm, id)) {
			*cursor = slot;
			return &vm->vcpus[id];
		}
	}
	return NULL;
}

/* @since 4 begin */
/*
 * Is any VM still running? Then some vCPU of it is waiting for an interrupt - or, from
 * lab 6 on, may be started, woken or stopped by another CPU: this CPU has to wait too.
 * (A VM whose vCPUs have all stopped is stopped: see SBI hart_stop.)
 */
static bool sched_any_running(struct vm *vms, int nr_vms)
{
	for (int i = 0; i < nr_vms; i++)
		if (!vm_stopped(&vms[i]))
			return true;
	return false;
}
/* @since 4 end */

void sched_run(struct vm *vms, int nr_vms)
{
	int cursor = -1;

	for (;;) {
		struct vcpu *next;

		/* @since 6 begin */
		cpu_msgs_handle();
		/* @since 6 end */
		next = sched_pick(vms, nr_vms, &cursor);
		if (next) {
			vcpu_run(next);
			continue;
		}
		/* @since 4 begin */
		if (sched_any_running(vms, nr_vms)) {
			arch_wait_for_interrupt();
			continue;
		}
		/* @since 4 end */
		return;
	}
}
