/* asm/vm.h - what a RISC-V VM adds to struct vm: its stage-2 tables and VMID. */
#ifndef ASM_VM_H
#define ASM_VM_H

#include <stage2.h>
#include <mmio.h>


struct arch_vm {
	struct stage2 s2;
	unsigned int vmid;
	unsigned long hgatp; /* MODE = Sv39x4, VMID, root PPN: loaded before each entry */
};

struct vm;

/* arch/riscv64/vm.c: how many VMID bits the hart has (once, at boot) ... */
void riscv_vmid_detect(void);
/* ... and switching the hart to vm's address space before it runs. */
void riscv_vm_enter(const struct vm *vm);

#endif
