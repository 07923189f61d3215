/* asm/machine.h - what the arm64 port learns of the host machine beyond core's part. */
#ifndef ASM_MACHINE_H
#define ASM_MACHINE_H

#include <types.h>

struct arch_machine {
	paddr_t gicr_base; /* the GICv3 redistributors, one 128 KiB frame pair per CPU */
	u64 gicr_size;
};

#endif
