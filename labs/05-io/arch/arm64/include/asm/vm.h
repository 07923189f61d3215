/* asm/vm.h - what an arm64 VM adds to struct vm: its stage-2 tables and VMID. */
#ifndef ASM_VM_H
#define ASM_VM_H

#include <stage2.h>

struct arch_vm {
	struct stage2 s2;
	unsigned int vmid;
	u64 vttbr; /* VTTBR_EL2: the root table and the VMID (bits 63:48), loaded before entry */
	bool stage2_on; /* HCR_EL2.VM while it runs: false only while stage-2 is unwritten */
};

struct vm;

/* arch/arm64/vm.c: stage-2 translation's format on this CPU (VTCR_EL2), once per CPU ... */
void arm64_stage2_enable(void);
/* ... and switching the CPU to vm's address space before it runs. */
void arm64_vm_enter(const struct vm *vm);

#endif
