/* exits.h - handling a guest's trap into the hypervisor. */
#ifndef RISCV_EXITS_H
#define RISCV_EXITS_H

#include <vcpu.h>

/* Dispatches the exit recorded in vcpu->arch.ctx through the exit table (exits.c). */
void vcpu_handle_exit(struct vcpu *vcpu);

/* vcpu.c: should a WFI wait; the hypervisor's own interrupts. */
bool arch_vcpu_should_wait(const struct vcpu *vcpu);
void arch_handle_host_interrupts(struct vcpu *running);

/* Makes the guest take exception 'cause' in its own handler, as if the hart had. */
void vcpu_inject_exception(struct vcpu *vcpu, unsigned long cause, unsigned long tval);

/* A load or store to an emulated device at gpa: decode it, let the device do it, resume. */
void vcpu_emulate_mmio(struct vcpu *vcpu, paddr_t gpa, bool store);

/*
 * The guest's SBI call, from its a0-a7 (vsbi.c). Returns true when the call returns to
 * the guest with its result in a0/a1, false when it did not (the VM reset or stopped).
 */
bool vsbi_handle_call(struct vcpu *vcpu);

#endif
