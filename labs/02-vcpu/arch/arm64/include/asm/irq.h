/* asm/irq.h - the host's interrupt numbers on arm64: GICv3 INTIDs 1 .. IRQ_MAX - 1. */
#ifndef ASM_IRQ_H
#define ASM_IRQ_H

/* SGIs 0-15, PPIs 16-31, SPIs 32-1019; 1020-1023 are special (GICv3 spec, 2.2). */
#define IRQ_MAX 1020

#endif
