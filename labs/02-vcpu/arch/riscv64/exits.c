/*
 * exits.c - why the guest came back, and what to do about it: one handler per cause,
 * found through a table indexed by scause (as in Bao's and Xvisor's exit dispatch).
 */
#include <asm/csr.h>
#include <asm/trap.h>
#include <vm.h>

#include "exits.h"

typedef void (*exit_handler)(struct vcpu *vcpu);

/* ecall from VS-mode: an SBI call. sepc points at the ecall; resume after it. */
static void exit_sbi(struct vcpu *vcpu)
{
	if (vsbi_handle_call(vcpu))
		vcpu->arch.ctx.guest_sepc += 4;
}

void vcpu_inject_exception(struct vcpu *vcpu, unsigned long cause, unsigned long tval)
{
	/* TODO(lab 2): Do what the hart does on a trap into VS-mode (Privileged Spec
	 * 8.6.2, with the vs* CSRs in vcpu->arch.vs): vsepc = the guest's pc, vscause =
	 * cause, vstval = tval; in vsstatus, SPP = the privilege the guest was in (the
	 * saved hstatus.SPVP), SPIE = SIE, SIE = 0. Then resume the guest at its handler
	 * (vstvec, direct mode) in VS-mode: guest sstatus.SPP = 1 and hstatus.SPVP = 1. See README.md. */
	vm_crash(vcpu->vm, "vcpu_inject_exception() is not written yet");
}

/* Was the guest in VS-mode (its kernel), not VU-mode, when it trapped? (section 8.2.1) */
static inline bool trapped_in_vs(const struct vcpu *vcpu)
{
	return vcpu->arch.ctx.guest_hstatus & HSTATUS_SPVP;
}

/*
 * A virtual-instruction exception (section 8.6.1): the guest ran something that is
 * fine in HS-mode but not allowed in VS-mode (or VU-mode). stval holds the instruction.
 */
static void exit_virtual_instruction(struct vcpu *vcpu)
{
	/* TODO(lab 2): WFI in VS-mode (trapped_in_vs) traps here because hstatus.VTW = 1.
	 * With nothing to wait for yet (interrupts come in lab 4), let it complete: move
	 * the guest's pc past it. Anything else - any other instruction, and every one
	 * from VU-mode, where a real hart finds WFI illegal too (Privileged Spec 3.1.6.5:
	 * WFI in U-mode) - is not emulated: inject an illegal-instruction exception (with
	 * the instruction as its tval) so the guest's own handler sees what a real hart
	 * would show it. See README.md. */
	vm_crash(vcpu->vm, "virtual instruction: not handled yet");
}


static const exit_handler exception_exits[] = {
	[EXC_ECALL_VS] = exit_sbi,
	[EXC_VIRTUAL_INST] = exit_virtual_instruction,
};

/* Everything else the guest should not have done: stop its VM, and say why. */
static void exit_unexpected(struct vcpu *vcpu)
{
	const struct vcpu_context *ctx = &vcpu->arch.ctx;

	vm_crash(vcpu->vm, "vCPU %u: %s at pc 0x%lx (stval 0x%lx, htval 0x%lx)", vcpu->id,
		 trap_cause_name(ctx->scause), ctx->guest_sepc, ctx->stval, ctx->htval);
}

void vcpu_handle_exit(struct vcpu *vcpu)
{
	unsigned long cause = vcpu->arch.ctx.scause;
	exit_handler handler = NULL;

	if (!(cause & CAUSE_INTERRUPT) && cause < ARRAY_SIZE(exception_exits))
		handler = exception_exits[cause];
	(handler ? handler : exit_unexpected)(vcpu);
}
