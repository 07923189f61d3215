/* vcpu.c - running vCPUs: enter the guest, handle the exit, again; and whose turn it is. */
#include <vcpu.h>
#include <vm.h>

void vcpu_run(struct vcpu *vcpu)
{
	while (vcpu->state == VCPU_RUNNABLE && vcpu->vm->state == VM_RUNNING) {
		arch_vcpu_run(vcpu);
		/* A guest that waits may be waiting for input: show the prompt it printed. */
		if (vcpu->state == VCPU_WAITING)
			vm_console_flush(vcpu->vm);
		if (vcpu->preempted) {
			vcpu->preempted = false;
			break;
		}
	}
}

/* The next runnable vCPU after the one at `cursor` (VM-major order), or NULL. */
static struct vcpu *sched_pick(struct vm *vms, int nr_vms, int *cursor)
{
	int total = nr_vms * VM_MAX_VCPUS;

	for (int step = 1; step <= total; step++) {
		int slot = (*cursor + step) % total;
		struct vm *vm = &vms[slot / VM_MAX_VCPUS];
		unsigned int id = slot % VM_MAX_VCPUS;

		if (vm->state == VM_RUNNING && id < vm->nr_vcpus &&
		    vm->vcpus[id].state == VCPU_RUNNABLE) {
			*cursor = slot;
			return &vm->vcpus[id];
		}
	}
	return NULL;
}

/* Is any vCPU waiting for an interrupt? Then the hart has to wait too. */
static bool sched_any_waiting(struct vm *vms, int nr_vms)
{
	for (int i = 0; i < nr_vms; i++)
		for (unsigned int id = 0; vms[i].state == VM_RUNNING && id < vms[i].nr_vcpus; id++)
			if (vms[i].vcpus[id].state == VCPU_WAITING)
				return true;
	return false;
}

void sched_run(struct vm *vms, int nr_vms)
{
	int cursor = -1;

	for (;;) {
		struct vcpu *next = sched_pick(vms, nr_vms, &cursor);

		if (next) {
			vcpu_run(next);
			continue;
		}
		if (sched_any_waiting(vms, nr_vms)) {
			arch_wait_for_interrupt();
			continue;
		}
		return;
	}
}
