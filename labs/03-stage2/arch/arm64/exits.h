/* exits.h - handling a guest's exception taken to EL2. */
#ifndef ARM64_EXITS_H
#define ARM64_EXITS_H

#include <vcpu.h>

/* Dispatches the exit recorded in vcpu->arch.ctx through the exit table (exits.c). */
void vcpu_handle_exit(struct vcpu *vcpu);

/*
 * Makes the guest take a synchronous exception at EL1 with syndrome esr (and FAR_EL1 =
 * far, for an abort), in its own vector, as the CPU would have (Arm ARM D1.10.2).
 * vcpu must be the vCPU that just ran here: its EL1 registers are the hardware's.
 */
void vcpu_inject_sync(struct vcpu *vcpu, u64 esr, u64 far);
/* An undefined instruction at the guest's pc: ESR_EL1.EC = 0, IL = 1. */
void vcpu_inject_undef(struct vcpu *vcpu);

/* A load or store to an emulated device at gpa: do it for the guest, resume after it. */
void vcpu_emulate_mmio(struct vcpu *vcpu, paddr_t gpa);

/*
 * The guest's HVC or trapped SMC, an SMCCC call (vpsci.c): PSCI, SMCCC's own calls and
 * hvlab's console calls. Returns true when the call returns to the guest with its
 * results in x0-x3, false when it did not (the VM reset or stopped, the vCPU stopped).
 */
bool vpsci_handle_call(struct vcpu *vcpu, unsigned int imm);

#endif
