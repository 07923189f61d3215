/*
 * head.S - the hypervisor's first instructions on arm64.
 *
 * QEMU's virt machine with virtualization=on enters the image at EL2 with the MMU and
 * caches off and every exception masked, as Linux's arm64 boot protocol has it
 * (Documentation/arm64/booting.rst): x0 = physical address of the device tree, x1-x3 = 0,
 * sp = 0. Without virtualization=on it enters at EL1 instead: the boot goes on there as
 * far as it can, until arch_check_virtualization() says what is missing and powers off.
 */
#include <asm/sysreg.h>

#define BOOT_STACK_SIZE (16 * 1024)

	.section .text.entry, "ax"
	.globl _start
_start:
	msr	daifset, #0xf		/* every exception masked, whoever booted us: EL2 runs so */
	mov	x19, x0			/* the device tree, kept across what follows */

	/* Zero .bss (C expects it) before anything lives there; the stack is in .bss too. */
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	ldr	x1, =boot_stack_top
	mov	sp, x1

	ldr	x1, =cpus		/* this_cpu(): the boot CPU is cpus[0] (percpu.h) */
	msr	sp_el0, x1

	mrs	x1, CurrentEL
	cmp	x1, #CURRENTEL_EL2
	b.ne	1f
	ldr	x1, =hv_vectors		/* every exception taken to EL2 (trap_entry.S) */
	msr	vbar_el2, x1
	/* A known state, whatever the reset left: MMU and alignment checks off, FP allowed. */
	ldr	x1, =SCTLR_EL2_RES1
	msr	sctlr_el2, x1
	ldr	x1, =CPTR_EL2_RES1
	msr	cptr_el2, x1
	b	2f
	/* At EL1: vectors that only skip what the power-off probes (cpu.c, platform.c). */
1:	ldr	x1, =el1_probe_vectors
	msr	vbar_el1, x1
2:	isb

	mrs	x0, mpidr_el1		/* this CPU's hardware id: its affinity fields */
	ldr	x1, =MPIDR_HWID_MASK
	and	x0, x0, x1
	mov	x1, x19
	bl	hv_main

	/* hv_main never returns; if it did, stop here rather than run off the end. */
3:	wfe
	b	3b

	/*
	 * EL1's vectors, when QEMU entered at EL1: a synchronous exception there - the
	 * semihosting HLT of arm64_semihosting_exit() when QEMU has no semihosting - resumes
	 * after the instruction. x17 is the probe's to lose (it declares it clobbered).
	 */
	.balign 2048
el1_probe_vectors:
	.space	0x200
	mrs	x17, elr_el1		/* current EL with SP_ELx, synchronous */
	add	x17, x17, #4
	msr	elr_el1, x17
	eret
	.balign 2048

	.section .bss.stack, "aw", @nobits
	.balign 16
boot_stack:
	.space	BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
