/*
 * vm.c - an arm64 VM's address space: its stage-2 tables, its VMID, and the VTTBR_EL2
 * value that puts them in force (Arm ARM D8.2, D17.2.167 VTCR_EL2, D17.2.168 VTTBR_EL2).
 */
#include <arch.h>
#include <asm/sysreg.h>
#include <errno.h>
#include <percpu.h>
#include <printf.h>
#include <vm.h>

#include "tlb.h"

/*
 * VTCR_EL2: 40-bit IPAs (T0SZ = 24) walked from level 1 (SL0 = 1) with 4 KiB pages
 * (TG0 = 0), tables in inner-shareable write-back memory (SH0, ORGN0, IRGN0), 40-bit
 * output addresses (PS = 2); bit 31 is RES1. VS (bit 19) selects 16-bit VMIDs.
 */
#define VTCR_T0SZ_40	 24UL
#define VTCR_SL0_L1	 (1UL << 6)
#define VTCR_IRGN0_WB	 (1UL << 8)
#define VTCR_ORGN0_WB	 (1UL << 10)
#define VTCR_SH0_INNER	 (3UL << 12)
#define VTCR_PS_40	 (2UL << 16)
#define VTCR_VS_16	 (1UL << 19)
#define VTCR_RES1	 (1UL << 31)
#define VTTBR_VMID_SHIFT 48

static unsigned int vmid_bits; /* 8, or 16 where ID_AA64MMFR1_EL1.VMIDBits says so */

void arm64_stage2_enable(void)
{
	u64 vtcr = VTCR_T0SZ_40 | VTCR_SL0_L1 | VTCR_IRGN0_WB | VTCR_ORGN0_WB | VTCR_SH0_INNER |
		   VTCR_PS_40 | VTCR_RES1;

	vmid_bits = ((read_sysreg(id_aa64mmfr1_el1) >> ID_AA64MMFR1_VMIDBITS_SHIFT) & 0xf) == 2 ? 16
												: 8;
	if (vmid_bits == 16)
		vtcr |= VTCR_VS_16;
	write_sysreg(vtcr_el2, vtcr);
	isb();
}

void arm64_vm_enter(const struct vm *vm)
{
	write_sysreg(vttbr_el2, vm->arch.vttbr);
	write_sysreg(hcr_el2, vm->arch.stage2_on ? HCR_GUEST | HCR_VM : HCR_GUEST);
}

void arch_vm_fence(struct vm *vm, enum vm_fence kind, unsigned long asid)
{
	/* A guest's own TLB and cache maintenance is broadcast by HCR_EL2.FB: nothing to do
	 * for it here; the arm64 port has no remote fence call (RISC-V's SBI RFENCE). */
}

int arch_vm_map_device(struct vm *vm, paddr_t base, u64 size)
{
	/* Read and write, never execute, and Device memory: it is a device. */
	int err = stage2_map(&vm->arch.s2, base, base, size, STAGE2_R | STAGE2_W | STAGE2_DEVICE);

	if (!err)
		tlb_flush_vmid(vm->arch.vttbr);
	return err;
}

int arch_vm_init(struct vm *vm, char *why, size_t why_size)
{
	struct arch_vm *a = &vm->arch;
	int err = vm_stage2_setup(vm, &a->s2, vmid_bits, &a->vmid, why, why_size);

	if (err == -ENOSYS) {
		a->stage2_on = false; /* no translation, as in lab 2 */
		return 0;
	}
	if (err)
		return err;
	a->vttbr = (u64)(uintptr_t)a->s2.root | (u64)a->vmid << VTTBR_VMID_SHIFT;
	a->stage2_on = true;
	/* Whatever a TLB may still hold for this VMID belongs to no one now. */
	tlb_flush_vmid(a->vttbr);
	return 0;
}
