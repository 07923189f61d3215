/* vcpu.c - running a vCPU: enter the guest, handle the exit, again. */
#include <vcpu.h>
#include <vm.h>

void vcpu_run(struct vcpu *vcpu)
{
	while (vcpu->state == VCPU_RUNNABLE && vcpu->vm->state == VM_RUNNING)
		arch_vcpu_run(vcpu);
}
