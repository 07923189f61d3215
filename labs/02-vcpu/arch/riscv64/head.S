/*
 * head.S - the hypervisor's first instructions.
 *
 * OpenSBI enters here in HS-mode with the MMU off and interrupts disabled, following
 * the RISC-V boot protocol also used for Linux (Documentation/riscv/boot.rst):
 * a0 = this hart's id, a1 = physical address of the device tree.
 */
#include <asm/csr.h>

#define BOOT_STACK_SIZE (16 * 1024)

	.section .text.entry, "ax"
	.globl _start
_start:
	/* No interrupt may arrive before there is somewhere to take it. */
	csrw	sie, zero
	csrw	sip, zero

	/* Zero .bss (C expects it) before anything lives there; the stack is in .bss too. */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	la	sp, boot_stack_top
	la	tp, cpus		/* this_cpu(): the boot hart is cpus[0] (percpu.h) */
	la	t0, hv_trap_entry
	csrw	stvec, t0		/* direct mode: every trap enters at hv_trap_entry */

	/* a0 and a1 still hold the hart id and the device tree. */
	call	hv_main

	/* hv_main never returns; if it did, stop here rather than run off the end. */
3:	wfi
	j	3b


	.section .bss.stack, "aw", @nobits
	.balign 16
boot_stack:
	.space	BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
