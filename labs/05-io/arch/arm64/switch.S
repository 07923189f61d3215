/*
 * switch.S - the world switch between the hypervisor and a guest.
 *
 * __vcpu_switch(ctx) is called like a C function. It saves the hypervisor's callee-saved
 * registers and SP_EL0 (this_cpu()) in ctx, leaves ctx on its own stack, loads the
 * guest's SP_EL0, its PC and PSTATE (into ELR_EL2 and SPSR_EL2) and its registers, and
 * enters the guest with ERET. The guest runs on its own stack pointers (SP_EL1, SP_EL0)
 * until an exception takes it to EL2, which then uses SP_EL2: the hypervisor's stack,
 * exactly as __vcpu_switch left it. The vector (trap_entry.S) saves x0 and x1 there and
 * comes to __vcpu_exit, which finds ctx above them, saves the guest, restores the
 * hypervisor and returns from __vcpu_switch as if nothing had happened in between.
 * (Arm ARM D1.10: exception entry and return.)
 */
#include <asm/trap.h>
#include <asm/vcpu.h>

	.section .text
	.globl __vcpu_switch
__vcpu_switch:
	/* The hypervisor's side: what a C caller expects to survive a call (AAPCS64). */
	stp	x19, x20, [x0, #VCPU_HOST_X(19)]
	stp	x21, x22, [x0, #VCPU_HOST_X(21)]
	stp	x23, x24, [x0, #VCPU_HOST_X(23)]
	stp	x25, x26, [x0, #VCPU_HOST_X(25)]
	stp	x27, x28, [x0, #VCPU_HOST_X(27)]
	stp	x29, x30, [x0, #VCPU_HOST_X(29)]
	/* SP_EL0 is this_cpu() (asm/percpu.h) until the guest, which owns it, runs. */
	mrs	x1, sp_el0
	str	x1, [x0, #VCPU_HOST_SP_EL0]
	ldr	x1, [x0, #VCPU_GUEST_SP_EL0]
	msr	sp_el0, x1

	str	x0, [sp, #-16]!
	ldp	x1, x2, [x0, #VCPU_GUEST_PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #VCPU_GUEST_X(2)]
	ldp	x4, x5, [x0, #VCPU_GUEST_X(4)]
	ldp	x6, x7, [x0, #VCPU_GUEST_X(6)]
	ldp	x8, x9, [x0, #VCPU_GUEST_X(8)]
	ldp	x10, x11, [x0, #VCPU_GUEST_X(10)]
	ldp	x12, x13, [x0, #VCPU_GUEST_X(12)]
	ldp	x14, x15, [x0, #VCPU_GUEST_X(14)]
	ldp	x16, x17, [x0, #VCPU_GUEST_X(16)]
	ldp	x18, x19, [x0, #VCPU_GUEST_X(18)]
	ldp	x20, x21, [x0, #VCPU_GUEST_X(20)]
	ldp	x22, x23, [x0, #VCPU_GUEST_X(22)]
	ldp	x24, x25, [x0, #VCPU_GUEST_X(24)]
	ldp	x26, x27, [x0, #VCPU_GUEST_X(26)]
	ldp	x28, x29, [x0, #VCPU_GUEST_X(28)]
	ldr	x30, [x0, #VCPU_GUEST_X(30)]
	ldp	x0, x1, [x0, #VCPU_GUEST_X(0)]
	eret

	/*
	 * Every exception from the guest lands here, from a vector entry (trap_entry.S) that
	 * made room for a trap frame, saved the guest's x0 and x1 at its start and put the
	 * vector's kind in x0; right above that room is ctx:
	 *   [sp] = guest x0, [sp + 8] = guest x1, [sp + TF_SIZE] = ctx.
	 */
	.globl __vcpu_exit
__vcpu_exit:
	ldr	x1, [sp, #TF_SIZE]
	str	x0, [x1, #VCPU_EXIT_KIND]
	mov	x0, x1
	stp	x2, x3, [x0, #VCPU_GUEST_X(2)]
	stp	x4, x5, [x0, #VCPU_GUEST_X(4)]
	stp	x6, x7, [x0, #VCPU_GUEST_X(6)]
	stp	x8, x9, [x0, #VCPU_GUEST_X(8)]
	stp	x10, x11, [x0, #VCPU_GUEST_X(10)]
	stp	x12, x13, [x0, #VCPU_GUEST_X(12)]
	stp	x14, x15, [x0, #VCPU_GUEST_X(14)]
	stp	x16, x17, [x0, #VCPU_GUEST_X(16)]
	stp	x18, x19, [x0, #VCPU_GUEST_X(18)]
	stp	x20, x21, [x0, #VCPU_GUEST_X(20)]
	stp	x22, x23, [x0, #VCPU_GUEST_X(22)]
	stp	x24, x25, [x0, #VCPU_GUEST_X(24)]
	stp	x26, x27, [x0, #VCPU_GUEST_X(26)]
	stp	x28, x29, [x0, #VCPU_GUEST_X(28)]
	str	x30, [x0, #VCPU_GUEST_X(30)]
	ldp	x2, x3, [sp]
	stp	x2, x3, [x0, #VCPU_GUEST_X(0)]
	add	sp, sp, #(TF_SIZE + 16)

	mrs	x1, elr_el2
	mrs	x2, spsr_el2
	stp	x1, x2, [x0, #VCPU_GUEST_PC]
	mrs	x1, esr_el2
	mrs	x2, far_el2
	stp	x1, x2, [x0, #VCPU_EXIT_ESR]
	mrs	x1, hpfar_el2
	str	x1, [x0, #VCPU_EXIT_HPFAR]
	mrs	x1, sp_el0
	str	x1, [x0, #VCPU_GUEST_SP_EL0]
	ldr	x1, [x0, #VCPU_HOST_SP_EL0]
	msr	sp_el0, x1

	ldp	x19, x20, [x0, #VCPU_HOST_X(19)]
	ldp	x21, x22, [x0, #VCPU_HOST_X(21)]
	ldp	x23, x24, [x0, #VCPU_HOST_X(23)]
	ldp	x25, x26, [x0, #VCPU_HOST_X(25)]
	ldp	x27, x28, [x0, #VCPU_HOST_X(27)]
	ldp	x29, x30, [x0, #VCPU_HOST_X(29)]
	ret
