/*
 * trap_entry.S - the EL2 vector table: where every exception taken to EL2 enters the
 * hypervisor (Arm ARM D1.10.2, "Exception vectors": 16 entries of 128 bytes, four
 * sources times synchronous, IRQ, FIQ and SError). The hypervisor's own exceptions
 * (current EL, SP_ELx) save a struct trap_frame on the stack and call hv_trap_handle();
 * so, in lab 1, does everything else, which is unexpected there. Every entry starts the
 * same way: a frame's worth of stack, x0 and x1 saved in it, the kind in x0.
 */
#include <asm/trap.h>

	/* One vector entry: a frame on the stack, x0 and x1 in it, the kind in x0. */
	.macro	ventry, target, kind
	.balign	0x80
	sub	sp, sp, #TF_SIZE
	stp	x0, x1, [sp, #TF_X(0)]
	mov	x0, #(\kind)
	b	\target
	.endm

	/*
	 * Where a lower EL's exceptions go: in lab 1 nothing runs below EL2, so the frame
	 * and report of the hypervisor's own; from lab 2 on they are a guest's exits, and
	 * __vcpu_exit (switch.S) finds the guest's context above the frame.
	 */
	.set	lower_el, hv_trap_entry

	.section .text
	.balign	2048
	.globl	hv_vectors
hv_vectors:
	ventry	hv_trap_entry, TRAP_FROM_SP0 + TRAP_SYNC
	ventry	hv_trap_entry, TRAP_FROM_SP0 + TRAP_IRQ
	ventry	hv_trap_entry, TRAP_FROM_SP0 + TRAP_FIQ
	ventry	hv_trap_entry, TRAP_FROM_SP0 + TRAP_SERROR
	ventry	hv_trap_entry, TRAP_FROM_SPX + TRAP_SYNC
	ventry	hv_trap_entry, TRAP_FROM_SPX + TRAP_IRQ
	ventry	hv_trap_entry, TRAP_FROM_SPX + TRAP_FIQ
	ventry	hv_trap_entry, TRAP_FROM_SPX + TRAP_SERROR
	ventry	lower_el, TRAP_FROM_LOWER64 + TRAP_SYNC
	ventry	lower_el, TRAP_FROM_LOWER64 + TRAP_IRQ
	ventry	lower_el, TRAP_FROM_LOWER64 + TRAP_FIQ
	ventry	lower_el, TRAP_FROM_LOWER64 + TRAP_SERROR
	ventry	lower_el, TRAP_FROM_LOWER32 + TRAP_SYNC
	ventry	lower_el, TRAP_FROM_LOWER32 + TRAP_IRQ
	ventry	lower_el, TRAP_FROM_LOWER32 + TRAP_FIQ
	ventry	lower_el, TRAP_FROM_LOWER32 + TRAP_SERROR

	/* The rest of the frame: x2..x30, sp as it was, and the exception's registers. */
hv_trap_entry:
	str	x0, [sp, #TF_KIND]
	stp	x2, x3, [sp, #TF_X(2)]
	stp	x4, x5, [sp, #TF_X(4)]
	stp	x6, x7, [sp, #TF_X(6)]
	stp	x8, x9, [sp, #TF_X(8)]
	stp	x10, x11, [sp, #TF_X(10)]
	stp	x12, x13, [sp, #TF_X(12)]
	stp	x14, x15, [sp, #TF_X(14)]
	stp	x16, x17, [sp, #TF_X(16)]
	stp	x18, x19, [sp, #TF_X(18)]
	stp	x20, x21, [sp, #TF_X(20)]
	stp	x22, x23, [sp, #TF_X(22)]
	stp	x24, x25, [sp, #TF_X(24)]
	stp	x26, x27, [sp, #TF_X(26)]
	stp	x28, x29, [sp, #TF_X(28)]
	add	x1, sp, #TF_SIZE
	stp	x30, x1, [sp, #TF_X(30)]	/* x30, then sp (TF_SP follows it) */
	mrs	x1, elr_el2
	mrs	x2, spsr_el2
	stp	x1, x2, [sp, #TF_ELR]
	mrs	x1, esr_el2
	mrs	x2, far_el2
	stp	x1, x2, [sp, #TF_ESR]
	mrs	x1, hpfar_el2
	str	x1, [sp, #TF_HPFAR]

	mov	x0, sp
	bl	hv_trap_handle

	/* The handler may have moved elr (past a probed instruction) or changed registers. */
	ldp	x1, x2, [sp, #TF_ELR]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x0, x1, [sp, #TF_X(0)]
	ldp	x2, x3, [sp, #TF_X(2)]
	ldp	x4, x5, [sp, #TF_X(4)]
	ldp	x6, x7, [sp, #TF_X(6)]
	ldp	x8, x9, [sp, #TF_X(8)]
	ldp	x10, x11, [sp, #TF_X(10)]
	ldp	x12, x13, [sp, #TF_X(12)]
	ldp	x14, x15, [sp, #TF_X(14)]
	ldp	x16, x17, [sp, #TF_X(16)]
	ldp	x18, x19, [sp, #TF_X(18)]
	ldp	x20, x21, [sp, #TF_X(20)]
	ldp	x22, x23, [sp, #TF_X(22)]
	ldp	x24, x25, [sp, #TF_X(24)]
	ldp	x26, x27, [sp, #TF_X(26)]
	ldp	x28, x29, [sp, #TF_X(28)]
	ldr	x30, [sp, #TF_X(30)]
	add	sp, sp, #TF_SIZE
	eret
