/* asm/machine.h - what the RISC-V port learns of the host machine beyond core's part. */
#ifndef ASM_MACHINE_H
#define ASM_MACHINE_H

struct arch_machine {
	const char *isa; /* riscv,isa of the boot hart: its extensions (H, Sstc, ...) */
};

#endif
