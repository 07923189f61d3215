/*
 * exits.c - why the guest came back, and what to do about it: one handler per exception
 * class (ESR_EL2.EC), found through a table indexed by it (as in Bao's and Xvisor's exit
 * dispatch). Exception classes and syndromes: Arm ARM D17.2.37.
 */
#include <asm/sysreg.h>
#include <asm/trap.h>
#include <vm.h>

#include "exits.h"

typedef void (*exit_handler)(struct vcpu *vcpu);

/* Where a synchronous exception of the guest's enters its vector table (D1.10.2). */
static inline u64 vector_offset(u64 pstate)
{
	if (pstate & PSR_MODE_32)
		return 0x600; /* from a lower EL in AArch32 */
	switch (pstate & PSR_MODE_MASK) {
	case PSR_MODE_EL0T:
		return 0x400; /* from a lower EL in AArch64 */
	case PSR_MODE_EL1T:
		return 0x000; /* from the current EL, on SP_EL0 */
	default:
		return 0x200; /* from the current EL, on SP_EL1 */
	}
}

void vcpu_inject_sync(struct vcpu *vcpu, u64 esr, u64 far)
{
	/* TODO(lab 2): Do what the CPU does on taking a synchronous exception to EL1
	 * (D1.10.2, with the guest's EL1 registers live in the hardware): ESR_EL1 = esr,
	 * FAR_EL1 = far, ELR_EL1 = the guest's pc, SPSR_EL1 = its PSTATE; then resume the
	 * guest at VBAR_EL1 + vector_offset(its PSTATE) in EL1h with D, A, I and F masked. See README.md. */
	vm_crash(vcpu->vm, "vcpu_inject_sync() is not written yet");
}

void vcpu_inject_undef(struct vcpu *vcpu)
{
	/* FAR_EL1 is UNKNOWN after an undefined instruction: leave the guest's as it was. */
	vcpu_inject_sync(vcpu, (u64)EC_UNKNOWN << ESR_EC_SHIFT | ESR_IL, read_sysreg(far_el1));
}

/* WFI or WFE (HCR_EL2.TWI, TWE): nothing to wait for yet (interrupts come in lab 4). */
static void exit_wfx(struct vcpu *vcpu)
{
	vcpu->arch.ctx.guest_pc += 4;
}

/* HVC: ELR_EL2 points past it already (D1.10.4, preferred return address). */
static void exit_hvc(struct vcpu *vcpu)
{
	vpsci_handle_call(vcpu, ESR_ISS(vcpu->arch.ctx.esr) & 0xffff);
}

/*
 * SMC, trapped by HCR_EL2.TSC: ELR_EL2 points at the SMC itself (the preferred return
 * address of a trapped instruction, D1.10.4), so the guest resumes after it - unless the
 * call does not return.
 */
static void exit_smc(struct vcpu *vcpu)
{
	if (vpsci_handle_call(vcpu, ESR_ISS(vcpu->arch.ctx.esr) & 0xffff))
		vcpu->arch.ctx.guest_pc += 4;
}

/*
 * A trapped MSR or MRS (EC 0x18). The debug registers (op0 = 2: MDSCR_EL1, the OS lock,
 * breakpoints, watchpoints) trap by MDCR_EL2 and read as zero and ignore writes: a guest
 * sees a debug unit with nothing enabled, and none of another's state. Anything else that
 * traps - ACTLR_EL1 (HCR_EL2.TACR), the PMU (MDCR_EL2.TPM), the physical timer
 * (CNTHCTL_EL2) - is not emulated: the guest gets an undefined instruction, as a CPU
 * without that register would give it.
 */
static void exit_sysreg(struct vcpu *vcpu)
{
	/* TODO(lab 2): Decode the ISS: for a debug register (SYS_ISS_OP0 = 2) a read
	 * puts 0 in Rt (SYS_ISS_RT; 31 is XZR, which nothing writes) and a write is
	 * ignored; either way the guest resumes after the instruction. Any other register:
	 * vcpu_inject_undef(). See README.md. */
	vm_crash(vcpu->vm, "trapped system register access: not handled yet");
}


static const exit_handler exits[64] = {
	[EC_WFX] = exit_wfx,
	[EC_HVC64] = exit_hvc,
	[EC_SMC64] = exit_smc,
	[EC_SYS64] = exit_sysreg,
};

/* Everything else the guest should not have done: stop its VM, and say why. */
static void exit_unexpected(struct vcpu *vcpu)
{
	static const char *const types[] = {"synchronous exception", "IRQ", "FIQ", "SError"};
	const struct vcpu_context *ctx = &vcpu->arch.ctx;
	char iss[160];

	trap_iss_describe(ctx->esr, iss, sizeof(iss));
	if ((ctx->kind & ~3UL) == TRAP_FROM_LOWER32)
		vm_crash(vcpu->vm,
			 "vCPU %u: AArch32 at EL0 (pc 0x%lx): hvlab runs AArch64 guests only",
			 vcpu->id, ctx->guest_pc);
	else if ((ctx->kind & 3) != TRAP_SYNC)
		vm_crash(vcpu->vm, "vCPU %u: unexpected %s at pc 0x%lx", vcpu->id,
			 types[ctx->kind & 3], ctx->guest_pc);
	else
		vm_crash(vcpu->vm, "vCPU %u: %s (EC 0x%lx) at pc 0x%lx, %s", vcpu->id,
			 trap_ec_name(ESR_EC(ctx->esr)), ESR_EC(ctx->esr), ctx->guest_pc, iss);
}

void vcpu_handle_exit(struct vcpu *vcpu)
{
	const struct vcpu_context *ctx = &vcpu->arch.ctx;
	exit_handler handler = NULL;

	if (ctx->kind == TRAP_FROM_LOWER64 + TRAP_SYNC)
		handler = exits[ESR_EC(ctx->esr)];
	(handler ? handler : exit_unexpected)(vcpu);
}
