/* vcpu.c - running vCPUs: enter the guest, handle the exit, again; and whose turn it is. */
#include <vcpu.h>
#include <vm.h>

void vcpu_start(struct vcpu *vcpu, paddr_t entry, unsigned long arg)
{
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


void vcpu_wake(struct vcpu *vcpu)
{
	if (vcpu->state == VCPU_WAITING)
		vcpu->state = VCPU_RUNNABLE;
}

void vcpu_set_virq(struct vcpu *vcpu, enum virq irq, bool pending)
{
	arch_vcpu_set_virq(vcpu, irq, pending);
}

/* Is a vCPU of vm runnable? It may be in the middle of a line: no prompt to show yet. */
static bool any_vcpu_runnable(const struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].state == VCPU_RUNNABLE)
			return true;
	return false;
}

void vcpu_run(struct vcpu *vcpu)
{
	while (vcpu->state == VCPU_RUNNABLE && vcpu->vm->state == VM_RUNNING) {
		arch_vcpu_run(vcpu);
		/* A guest that waits may be waiting for input: show the prompt it printed. */
		if (vcpu->state == VCPU_WAITING && !any_vcpu_runnable(vcpu->vm))
			vm_console_flush(vcpu->vm);
		if (vcpu->preempted) {
			vcpu->preempted = false;
			break;
		}
	}
}

/* Is vCPU `id` of vm one this CPU may run now? */
static bool sched_can_run(const struct vm *vm, unsigned int id)
{
	if (vm->state != VM_RUNNING || id >= vm->nr_vcpus)
		return false;
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

void sched_run(struct vm *vms, int nr_vms)
{
	int cursor = -1;

	for (;;) {
		struct vcpu *next;

		next = sched_pick(vms, nr_vms, &cursor);
		if (next) {
			vcpu_run(next);
			continue;
		}
		if (sched_any_running(vms, nr_vms)) {
			arch_wait_for_interrupt();
			continue;
		}
		return;
	}
}
