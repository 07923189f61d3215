/* @since 3 */
/*
 * vm.c - a RISC-V VM's address space: its stage-2 tables, its VMID, and the hgatp value
 * that puts them in force (RISC-V Privileged Spec v1.12, sections 8.2.10 and 8.5).
 */
#include <arch.h>
#include <asm/csr.h>
#include <errno.h>
#include <percpu.h>
#include <printf.h>
#include <vm.h>

#include "fence.h"

static unsigned int vmid_bits; /* VMIDLEN, found at boot */
/*
 * A hart may implement no VMID bits at all (VMIDLEN = 0 is allowed): then every VM has
 * VMID 0, and translations must be flushed whenever the hart changes VMs.
 */
static bool vmid_shared;
static const struct vm *last_vm[CPU_MAX]; /* whose translations each CPU's TLB may hold */

/*
 * VMIDLEN: write ones to every VMID bit of hgatp and see which stick (section 8.2.10).
 * With MODE = Bare the other fields must be zero, so MODE says Sv39x4 meanwhile: hgatp
 * only translates for a guest, and no guest runs until it is written again.
 */
void riscv_vmid_detect(void)
{
	unsigned long vmid;

	csr_write(hgatp, HGATP_MODE_SV39X4 | HGATP_VMID_MASK);
	vmid = (csr_read(hgatp) & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT;
	csr_write(hgatp, 0);
	for (vmid_bits = 0; vmid & 1; vmid >>= 1)
		vmid_bits++;
	vmid_shared = vmid_bits == 0;
	printf("cpu: %u VMID bits\n", vmid_bits);
}

void riscv_vm_enter(const struct vm *vm)
{
	csr_write(hgatp, vm->arch.hgatp);
	if (vmid_shared && last_vm[cpu_id()] != vm)
		hfence_gvma_all();
	last_vm[cpu_id()] = vm;
}

/* @since 4 begin */
void arch_vm_fence(struct vm *vm, enum vm_fence kind, unsigned long asid)
{
	unsigned long hgatp = csr_read(hgatp);

	/* HFENCE.VVMA works on the VMID in hgatp (section 8.3.2): make it the VM's. */
	csr_write(hgatp, vm->arch.hgatp);
	switch (kind) {
	case VM_FENCE_I:
		__asm__ volatile("fence.i" ::: "memory");
		break;
	case VM_FENCE_VMA:
		hfence_vvma_all();
		break;
	case VM_FENCE_VMA_ASID:
		hfence_vvma_asid(asid);
		break;
	}
	csr_write(hgatp, hgatp);
}

int arch_vm_map_device(struct vm *vm, paddr_t base, u64 size)
{
	/* Read and write, never execute: it is a device. */
	int err = stage2_map(&vm->arch.s2, base, base, size, STAGE2_R | STAGE2_W);

	if (!err)
		hfence_gvma_vmid(vm->arch.vmid);
	return err;
}
/* @since 4 end */

int arch_vm_init(struct vm *vm, char *why, size_t why_size)
{
	struct arch_vm *a = &vm->arch;
	int err = vm_stage2_setup(vm, &a->s2, vmid_bits, &a->vmid, why, why_size);

	if (err == -ENOSYS) {
		a->hgatp = 0; /* Bare: no translation, as in lab 2 */
		return 0;
	}
	if (err)
		return err;
	a->hgatp = HGATP_MODE_SV39X4 | (unsigned long)a->vmid << HGATP_VMID_SHIFT |
		   (unsigned long)(uintptr_t)a->s2.root >> 12;
	/* Whatever a TLB may still hold for this VMID belongs to no one now. */
	hfence_gvma_vmid(a->vmid);
	return 0;
}
