/*
 * exits.c - why the guest came back, and what to do about it: one handler per cause,
 * found through a table indexed by scause (as in Bao's and Xvisor's exit dispatch).
 */
#include <asm/csr.h>
#include <asm/trap.h>
#include <vm.h>

#include "exits.h"
#include <errno.h>
#include <mmio.h>
#include <percpu.h>

#include "cpu.h"
#include "insn.h"

typedef void (*exit_handler)(struct vcpu *vcpu);

/* ecall from VS-mode: an SBI call. sepc points at the ecall; resume after it. */
static void exit_sbi(struct vcpu *vcpu)
{
	if (vsbi_handle_call(vcpu))
		vcpu->arch.ctx.guest_sepc += 4;
}

void vcpu_inject_exception(struct vcpu *vcpu, unsigned long cause, unsigned long tval)
{
	struct vcpu_context *ctx = &vcpu->arch.ctx;
	struct vs_csrs *vs = &vcpu->arch.vs;
	unsigned long vsstatus = vs->vsstatus & ~(SSTATUS_SPP | SSTATUS_SPIE | SSTATUS_SIE);

	if (ctx->guest_hstatus & HSTATUS_SPVP)
		vsstatus |= SSTATUS_SPP;
	if (vs->vsstatus & SSTATUS_SIE)
		vsstatus |= SSTATUS_SPIE;
	vs->vsstatus = vsstatus;
	vs->vsepc = ctx->guest_sepc;
	vs->vscause = cause;
	vs->vstval = tval;
	ctx->guest_sepc = vs->vstvec & ~3UL;
	ctx->guest_sstatus |= SSTATUS_SPP;
	ctx->guest_hstatus |= HSTATUS_SPVP;
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
	unsigned long insn = vcpu->arch.ctx.stval;

	if (insn == INSN_WFI && trapped_in_vs(vcpu)) {
		vcpu->arch.ctx.guest_sepc += 4;
		return;
	}
	vcpu_inject_exception(vcpu, EXC_ILLEGAL_INST, insn);
}

/*
 * The guest's instruction at its pc, read the way the guest sees it (VS-stage and G-stage
 * translation, execute permission): HLVX.HU, two halfwords for a 32-bit instruction
 * (section 8.3: hypervisor virtual-machine load instructions).
 */
static inline int guest_fetch(struct vcpu *vcpu, u32 *insn)
{
	unsigned long pc = vcpu->arch.ctx.guest_sepc, host_hstatus = csr_read(hstatus);
	unsigned long lo = 0, hi = 0;

	/* HLVX accesses with the privilege in hstatus.SPVP: the guest's, at the trap. */
	csr_write(hstatus,
		  (host_hstatus & ~HSTATUS_SPVP) | (vcpu->arch.ctx.guest_hstatus & HSTATUS_SPVP));
	guest_access_faulted[cpu_id()] = false;
	guest_access_active[cpu_id()] = true;
	__asm__ volatile(".insn r 0x73, 0x4, 0x32, %0, %1, x3" : "+r"(lo) : "r"(pc));
	if ((lo & 3) == 3)
		__asm__ volatile(".insn r 0x73, 0x4, 0x32, %0, %1, x3" : "+r"(hi) : "r"(pc + 2));
	guest_access_active[cpu_id()] = false;
	csr_write(hstatus, host_hstatus);
	*insn = (u32)(lo & 0xffff) | (u32)(hi & 0xffff) << 16;
	return guest_access_faulted[cpu_id()] ? -EFAULT : 0;
}

static inline unsigned long sign_extend(u64 value, unsigned int width)
{
	unsigned int shift = 64 - 8 * width;

	return width == 8 ? value : (unsigned long)((s64)(value << shift) >> shift);
}

void vcpu_emulate_mmio(struct vcpu *vcpu, paddr_t gpa, bool store)
{
	struct vcpu_context *ctx = &vcpu->arch.ctx;
	bool from_htinst = ctx->htinst != 0;
	u32 insn = (u32)ctx->htinst;
	struct mmio_insn mi;
	u64 value = 0;
	int err;

	if (!from_htinst && guest_fetch(vcpu, &insn)) {
		vm_crash(vcpu->vm, "vCPU %u: cannot read the instruction at pc 0x%lx", vcpu->id,
			 ctx->guest_sepc);
		return;
	}

	/* TODO(lab 3): Decode insn (insn_decode_mmio); it must be a load or store of the
	 * kind that faulted, or the VM is stopped (vm_crash: say the GPA and the
	 * instruction). Do the access on vcpu->vm->mmio: a store writes the guest
	 * register mi.reg (x0 reads as 0), a load puts the device's value, sign-extended
	 * for LB/LH/LW (sign_extend), in mi.reg unless that is x0. A device error stops
	 * the VM too. Then move the pc past the instruction (mi.length). See README.md. */
	(void)insn, (void)mi, (void)value, (void)err;
	vm_crash(vcpu->vm, "emulate_mmio() is not written yet");
}

/*
 * A guest-page fault (sections 8.5.1 and 8.6.1): the G-stage has no mapping for the
 * guest-physical address, which is htval << 2 with the low two bits from stval
 * (section 8.2.8). On a
 * device's range that is MMIO; anywhere else the guest went where it has nothing.
 */
static void exit_guest_page_fault(struct vcpu *vcpu)
{
	/* TODO(lab 3): Compute the GPA from htval and stval. A load or store (not an
	 * instruction fetch) there that a device of vcpu->vm->mmio claims goes to
	 * vcpu_emulate_mmio(). Otherwise, when the VM's config asks for inject_faults,
	 * inject the matching access fault (instruction 1, load 5, store 7) with the
	 * guest's stval; else stop the VM with vm_crash(), naming the fault, the GPA, and
	 * the pc. See README.md. */
	vm_crash(vcpu->vm, "guest-page fault: not handled yet");
}

static const exit_handler exception_exits[] = {
	[EXC_ECALL_VS] = exit_sbi,
	[EXC_VIRTUAL_INST] = exit_virtual_instruction,
	[EXC_INST_GUEST_PAGE_FAULT] = exit_guest_page_fault,
	[EXC_LOAD_GUEST_PAGE_FAULT] = exit_guest_page_fault,
	[EXC_STORE_GUEST_PAGE_FAULT] = exit_guest_page_fault,
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
