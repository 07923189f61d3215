/*
 * vcpu.c - the RISC-V side of a vCPU: what the H extension needs set before a guest
 * runs, and one trip into the guest and back (RISC-V Privileged Spec v1.12, chapter 8).
 */
#include <arch.h>
#include <asm/csr.h>
#include <panic.h>
#include <percpu.h>
#include <string.h>
#include <vcpu.h>

#include "exits.h"
#include <vm.h>

/*
 * Once per hart, before any guest runs: which traps go straight to the guest, which
 * counters it may read, and no stage-2 translation yet (hgatp = 0: Bare).
 */
void arch_virt_init(void)
{
	csr_write(hedeleg, (1UL << EXC_INST_MISALIGNED) | (1UL << EXC_ILLEGAL_INST) |
				   (1UL << EXC_BREAKPOINT) | (1UL << EXC_LOAD_MISALIGNED) |
				   (1UL << EXC_STORE_MISALIGNED) | (1UL << EXC_ECALL_U) |
				   (1UL << EXC_INST_PAGE_FAULT) | (1UL << EXC_LOAD_PAGE_FAULT) |
				   (1UL << EXC_STORE_PAGE_FAULT));
	csr_write(hideleg, (1UL << IRQ_VS_SOFT) | (1UL << IRQ_VS_TIMER) | (1UL << IRQ_VS_EXT));
	csr_write(hcounteren, HCOUNTEREN_CY | HCOUNTEREN_TM | HCOUNTEREN_IR);
	csr_write(hgatp, 0);
	if (cpu_id() == 0)
		riscv_vmid_detect(); /* the harts are alike: the boot hart speaks for all */
}


void arch_vcpu_reset(struct vcpu *vcpu, paddr_t entry, unsigned long arg)
{
	struct vcpu_context *ctx = &vcpu->arch.ctx;

	memset(&vcpu->arch, 0, sizeof(vcpu->arch));
	ctx->guest_sepc = entry;
	ctx->guest_x[10] = vcpu->id; /* a0: hart id, as the SBI boot protocol says */
	ctx->guest_x[11] = arg; /* a1: the device tree, or 0 */
	ctx->guest_sstatus = SSTATUS_SPP;
	ctx->guest_hstatus =
		(csr_read(hstatus) & HSTATUS_VSXL_MASK) | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_VTW;
	/*
	 * What a guest kernel finds from its firmware: OpenSBI leaves scounteren with the
	 * counters enabled for U-mode, and Linux relies on it (its vDSO reads time).
	 */
	vcpu->arch.vs.scounteren = HCOUNTEREN_CY | HCOUNTEREN_TM | HCOUNTEREN_IR;
}

static void vs_csrs_load(const struct vs_csrs *vs)
{
	csr_write(vsstatus, vs->vsstatus);
	csr_write(vsie, vs->vsie);
	csr_write(vstvec, vs->vstvec);
	csr_write(vsscratch, vs->vsscratch);
	csr_write(vsepc, vs->vsepc);
	csr_write(vscause, vs->vscause);
	csr_write(vstval, vs->vstval);
	csr_write(vsatp, vs->vsatp);
	csr_write(hvip, vs->hvip);
	csr_write(scounteren, vs->scounteren);
	csr_write(senvcfg, vs->senvcfg);
}

static void vs_csrs_save(struct vs_csrs *vs)
{
	vs->vsstatus = csr_read(vsstatus);
	vs->vsie = csr_read(vsie);
	vs->vstvec = csr_read(vstvec);
	vs->vsscratch = csr_read(vsscratch);
	vs->vsepc = csr_read(vsepc);
	vs->vscause = csr_read(vscause);
	vs->vstval = csr_read(vstval);
	vs->vsatp = csr_read(vsatp);
	vs->hvip = csr_read(hvip);
	vs->scounteren = csr_read(scounteren);
	vs->senvcfg = csr_read(senvcfg);
}


void arch_vcpu_run(struct vcpu *vcpu)
{
	/* The VM's address space: its stage-2 tables, tagged with its VMID. */
	riscv_vm_enter(vcpu->vm);
	vs_csrs_load(&vcpu->arch.vs);
	__vcpu_switch(&vcpu->arch.ctx);
	vs_csrs_save(&vcpu->arch.vs);
	vcpu->exits++;
	vcpu_handle_exit(vcpu);
}

/* Where the lab skeleton's world switch stops until its TODOs are done. */
void __vcpu_switch_not_written(void)
{
	panic("__vcpu_switch in arch/riscv64/switch.S is not written yet - see its TODO");
}

void __vcpu_trap_entry_not_written(void)
{
	panic("the guest trapped, but __vcpu_trap_entry in arch/riscv64/switch.S is not "
	      "written yet - see its TODO");
}
