/*
 * start.S - a test guest's first instructions, at EL1. The hypervisor enters vCPU 0 at the
 * VM's entry address with x0 = its device tree (or 0), the MMU off and D, A, I, F masked;
 * every other vCPU enters cpu_entry (PSCI CPU_ON) with x0 = the context CPU_ON was given.
 */
#define STACK_SHIFT 14 /* 16 KiB per vCPU */

	.section .text.entry, "ax"
	.globl _start
_start:
	mov	x19, x0
	ldr	x1, =guest_stack_top
	mov	sp, x1
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	ldr	x1, =guest_vectors
	msr	vbar_el1, x1
	isb
	mrs	x0, mpidr_el1
	and	x0, x0, #0xff
	mov	x1, x19
	bl	main
	/* main's return value is the VM's exit status. */
	bl	guest_shutdown

	.section .text
	.globl cpu_entry
cpu_entry:
	/* sp = the top of cpu_stacks[Aff0]; x0 is CPU_ON's context, kept for the call. */
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	ldr	x2, =cpu_stacks
	add	x3, x1, #1
	add	x2, x2, x3, lsl #STACK_SHIFT
	mov	sp, x2
	ldr	x2, =guest_vectors
	msr	vbar_el1, x2
	isb
	mov	x2, x0
	mov	x0, x1
	mov	x1, x2
	bl	cpu_secondary_main
3:	wfe
	b	3b

	.section .bss.stack, "aw", @nobits
	.balign 16
	.space	16384
guest_stack_top:
	.globl cpu_stacks
	.balign 16
cpu_stacks:
	.space	16384 * 8
