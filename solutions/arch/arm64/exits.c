/* @since 2 */
/*
 * exits.c - why the guest came back, and what to do about it: one handler per exception
 * class (ESR_EL2.EC), found through a table indexed by it (as in Bao's and Xvisor's exit
 * dispatch). Exception classes and syndromes: Arm ARM D17.2.37.
 */
#include <asm/sysreg.h>
#include <asm/trap.h>
#include <vm.h>

#include "exits.h"
/* @since 3 begin */
#include <errno.h>
#include <mmio.h>

#include "insn.h"
/* @since 3 end */

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
	/* @lab 2 begin: Do what the CPU does on taking a synchronous exception to EL1
	 * (D1.10.2, with the guest's EL1 registers live in the hardware): ESR_EL1 = esr,
	 * FAR_EL1 = far, ELR_EL1 = the guest's pc, SPSR_EL1 = its PSTATE; then resume the
	 * guest at VBAR_EL1 + vector_offset(its PSTATE) in EL1h with D, A, I and F masked. */
	struct vcpu_context *ctx = &vcpu->arch.ctx;

	write_sysreg(esr_el1, esr);
	write_sysreg(far_el1, far);
	write_sysreg(elr_el1, ctx->guest_pc);
	write_sysreg(spsr_el1, ctx->guest_pstate);
	ctx->guest_pc = read_sysreg(vbar_el1) + vector_offset(ctx->guest_pstate);
	ctx->guest_pstate = PSR_MODE_EL1H | PSR_DAIF;
	/* @lab 2 stub: vm_crash(vcpu->vm, "vcpu_inject_sync() is not written yet"); */
	/* @lab 2 end */
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
	/* @lab 2 begin: Decode the ISS: for a debug register (SYS_ISS_OP0 = 2) a read
	 * puts 0 in Rt (SYS_ISS_RT; 31 is XZR, which nothing writes) and a write is
	 * ignored; either way the guest resumes after the instruction. Any other register:
	 * vcpu_inject_undef(). */
	u64 iss = ESR_ISS(vcpu->arch.ctx.esr);
	unsigned int rt = SYS_ISS_RT(iss);

	if (SYS_ISS_OP0(iss) != 2) {
		vcpu_inject_undef(vcpu);
		return;
	}
	if (SYS_ISS_READ(iss) && rt != 31)
		vcpu->arch.ctx.guest_x[rt] = 0;
	vcpu->arch.ctx.guest_pc += 4;
	/* @lab 2 stub: vm_crash(vcpu->vm, "trapped system register access: not handled yet"); */
	/* @lab 2 end */
}

/* @since 3 begin */
/*
 * The guest's instruction at its pc, read the way the guest sees it: AT S12E1R (or
 * S12E0R for EL0) translates its address through both stages from EL2 (Arm ARM C5.5,
 * "AT"), leaving the physical address in PAR_EL1 - a guest register, which this vCPU
 * owns right now (vcpu.c) and gets back afterwards.
 */
static int guest_fetch(struct vcpu *vcpu, u32 *insn)
{
	u64 pc = vcpu->arch.ctx.guest_pc, par, saved_par = read_sysreg(par_el1);

	if ((vcpu->arch.ctx.guest_pstate & PSR_MODE_MASK) == PSR_MODE_EL0T)
		__asm__ volatile("at s12e0r, %0" : : "r"(pc));
	else
		__asm__ volatile("at s12e1r, %0" : : "r"(pc));
	isb();
	par = read_sysreg(par_el1);
	write_sysreg(par_el1, saved_par);
	if (par & 1) /* PAR_EL1.F: the translation failed */
		return -EFAULT;
	*insn = *(volatile u32 *)(uintptr_t)((par & 0xfffffffff000UL) | (pc & 0xfff));
	return 0;
}

/* Register n as the instruction names it: 31 is the zero register. */
static u64 guest_reg(const struct vcpu *vcpu, unsigned int n)
{
	return n == 31 ? 0 : vcpu->arch.ctx.guest_x[n];
}

/* A base register's writeback: 31 is the stack pointer of the guest's current mode. */
static void guest_writeback(struct vcpu *vcpu, unsigned int n, s64 offset)
{
	if (n != 31)
		vcpu->arch.ctx.guest_x[n] += offset;
	else if ((vcpu->arch.ctx.guest_pstate & PSR_MODE_MASK) == PSR_MODE_EL1H)
		write_sysreg(sp_el1, read_sysreg(sp_el1) + offset);
	else
		vcpu->arch.ctx.guest_sp_el0 += offset;
}

/* A loaded value as the register receives it: sign-extended or not, 32 or 64 bits. */
static u64 load_value(u64 value, const struct mmio_insn *mi)
{
	unsigned int shift = 64 - 8 * mi->width;

	if (mi->sign_extend && mi->width < 8)
		value = (u64)((s64)(value << shift) >> shift);
	return mi->reg64 ? value : (u32)value;
}

void vcpu_emulate_mmio(struct vcpu *vcpu, paddr_t gpa)
{
	struct vcpu_context *ctx = &vcpu->arch.ctx;
	struct mmio_insn mi;
	u32 insn = 0;
	int err;

	if (ctx->esr & ESR_ISV) {
		insn_decode_esr(ctx->esr, &mi);
	} else if (guest_fetch(vcpu, &insn)) {
		vm_crash(vcpu->vm, "vCPU %u: cannot read the instruction at pc 0x%lx", vcpu->id,
			 ctx->guest_pc);
		return;
	} else if (insn_decode_mmio(insn, &mi)) {
		vm_crash(vcpu->vm,
			 "vCPU %u: cannot emulate instruction 0x%08x at pc 0x%lx on the device at "
			 "GPA 0x%lx (not a load or store of general-purpose registers)",
			 vcpu->id, insn, ctx->guest_pc, gpa);
		return;
	}
	/* @lab 3 begin: Do the access on vcpu->vm->mmio, mi.count registers of mi.width
	 * bytes each at gpa, gpa + width: a store writes guest_reg(mi.reg[i]), a load puts
	 * the device's value as load_value() makes it in mi.reg[i] unless that is 31 (the
	 * zero register). The access must go the way the CPU said (ESR_WNR), and a device
	 * error stops the VM (vm_crash: the GPA, the width and what the device said). Then
	 * do the writeback if there is one (guest_writeback) and move the pc past the
	 * instruction. */
	if (mi.width == 0 || mi.store != !!(ctx->esr & ESR_WNR)) {
		vm_crash(vcpu->vm,
			 "vCPU %u: cannot emulate the %s at pc 0x%lx on the device at GPA 0x%lx "
			 "(instruction 0x%08x, ESR 0x%lx)",
			 vcpu->id, ctx->esr & ESR_WNR ? "store" : "load", ctx->guest_pc, gpa, insn,
			 ctx->esr);
		return;
	}
	for (unsigned int i = 0; i < mi.count; i++) {
		paddr_t at = gpa + i * mi.width;
		u64 value = 0;

		if (mi.store) {
			err = mmio_write(&vcpu->vm->mmio, at, mi.width, guest_reg(vcpu, mi.reg[i]));
		} else {
			err = mmio_read(&vcpu->vm->mmio, at, mi.width, &value);
			if (!err && mi.reg[i] != 31)
				ctx->guest_x[mi.reg[i]] = load_value(value, &mi);
		}
		if (err) {
			vm_crash(vcpu->vm,
				 "vCPU %u: %u-byte %s at GPA 0x%lx refused by the device (%s)",
				 vcpu->id, mi.width, mi.store ? "store" : "load", at,
				 errno_name(err));
			return;
		}
	}
	if (mi.writeback)
		guest_writeback(vcpu, mi.base, mi.offset);
	ctx->guest_pc += 4;
	/* @lab 3 stub: (void)err, (void)load_value, (void)guest_reg, (void)guest_writeback; */
	/* @lab 3 stub: vm_crash(vcpu->vm, "vcpu_emulate_mmio() is not written yet"); */
	/* @lab 3 end */
}

/*
 * An instruction or data abort from the guest (EC 0x20, 0x24): stage-2 had no mapping
 * for the guest-physical address - HPFAR_EL2 holds bits 47:12 of it (from bit 4 on),
 * FAR_EL2's low 12 bits the rest (D17.2.53). On a device's range a load or store is
 * MMIO; anywhere else the guest went where it has nothing.
 */
static void exit_stage2_abort(struct vcpu *vcpu)
{
	/* @lab 3 begin: Compute the GPA. A data access (not an instruction fetch, not the
	 * guest's own page-table walk: ESR_S1PTW) there that a device of vcpu->vm->mmio
	 * claims goes to vcpu_emulate_mmio(). Otherwise, when the VM's config asks for
	 * inject_faults, inject a synchronous external abort (fault status FSC_SEA, WnR
	 * kept for data, IL set) of the same kind - EC 0x24/0x20 from EL0, 0x25/0x21 from
	 * EL1 - with FAR_EL1 = FAR_EL2; else stop the VM with vm_crash(), naming the fault
	 * (trap_iss_describe), the access, the GPA and the pc. */
	struct vcpu_context *ctx = &vcpu->arch.ctx;
	paddr_t gpa = (ctx->hpfar >> 4) << 12 | (ctx->far & 0xfff);
	bool fetch = ESR_EC(ctx->esr) == EC_IABT_LOW;
	bool walk = ctx->esr & ESR_S1PTW;
	bool store = !fetch && !walk && (ctx->esr & ESR_WNR);
	char iss[160];

	if (!fetch && !walk && mmio_find(&vcpu->vm->mmio, gpa)) {
		vcpu_emulate_mmio(vcpu, gpa);
		return;
	}
	if (vcpu->vm->config->inject_faults) {
		bool from_el0 = (ctx->guest_pstate & PSR_MODE_MASK) == PSR_MODE_EL0T;
		u64 ec = (fetch ? EC_IABT_LOW : EC_DABT_LOW) + !from_el0;

		vcpu_inject_sync(vcpu,
				 ec << ESR_EC_SHIFT | ESR_IL | (store ? ESR_WNR : 0) | FSC_SEA,
				 ctx->far);
		return;
	}
	trap_iss_describe(ctx->esr, iss, sizeof(iss));
	vm_crash(vcpu->vm,
		 "vCPU %u: stage-2 abort on a %s at GPA 0x%lx, which is neither its RAM nor a "
		 "device (pc 0x%lx, %s)",
		 vcpu->id,
		 fetch	 ? "fetch"
		 : walk	 ? "page-table walk"
		 : store ? "store"
			 : "load",
		 gpa, ctx->guest_pc, iss);
	/* @lab 3 stub: vm_crash(vcpu->vm, "stage-2 abort: not handled yet"); */
	/* @lab 3 end */
}
/* @since 3 end */

static const exit_handler exits[64] = {
	[EC_WFX] = exit_wfx,
	[EC_HVC64] = exit_hvc,
	[EC_SMC64] = exit_smc,
	[EC_SYS64] = exit_sysreg,
	/* @since 3 begin */
	[EC_IABT_LOW] = exit_stage2_abort,
	[EC_DABT_LOW] = exit_stage2_abort,
	/* @since 3 end */
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
