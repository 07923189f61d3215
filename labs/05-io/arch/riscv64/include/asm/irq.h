/* asm/irq.h - the host's interrupt numbers on RISC-V: PLIC sources 1 .. IRQ_MAX - 1. */
#ifndef ASM_IRQ_H
#define ASM_IRQ_H

#define IRQ_MAX 128 /* enough for QEMU's virt (95 sources); the PLIC allows 1023 */

#endif
