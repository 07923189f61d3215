/*
 * fence.h - flushing guest translations out of the TLBs after page tables change
 * (RISC-V Privileged Spec v1.12, section 8.3.2). The assembler is not asked to know the
 * H-extension mnemonics: the instructions are spelled out with .insn.
 */
#ifndef RISCV_FENCE_H
#define RISCV_FENCE_H

/* HFENCE.GVMA zero, vmid: every G-stage translation of one VMID. */
static inline void hfence_gvma_vmid(unsigned long vmid)
{
	__asm__ volatile(".insn r 0x73, 0, 0x31, x0, x0, %0" : : "r"(vmid) : "memory");
}

/* HFENCE.GVMA zero, zero: all of them. */
static inline void hfence_gvma_all(void)
{
	__asm__ volatile(".insn r 0x73, 0, 0x31, x0, x0, x0" : : : "memory");
}

/* HFENCE.VVMA zero, zero: the current VMID's VS-stage translations, all of them. */
static inline void hfence_vvma_all(void)
{
	__asm__ volatile(".insn r 0x73, 0, 0x11, x0, x0, x0" : : : "memory");
}

/* HFENCE.VVMA zero, asid: those of one guest address space (ASID) of the current VMID. */
static inline void hfence_vvma_asid(unsigned long asid)
{
	__asm__ volatile(".insn r 0x73, 0, 0x11, x0, x0, %0" : : "r"(asid) : "memory");
}

#endif
