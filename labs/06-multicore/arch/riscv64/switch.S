/*
 * switch.S - the world switch between the hypervisor and a guest.
 *
 * __vcpu_switch(ctx) is called like a C function. It saves the hypervisor's
 * callee-saved registers and trap CSRs in ctx, points stvec at __vcpu_trap_entry and
 * sscratch at ctx, loads the guest's registers and enters the guest with sret
 * (hstatus.SPV = 1, sstatus.SPP = 1: VS-mode). The guest runs until it traps into
 * HS-mode; __vcpu_trap_entry then saves the guest's registers in ctx, restores the
 * hypervisor's, and returns from __vcpu_switch as if nothing had happened in between.
 * (RISC-V Privileged Spec v1.12, sections 8.1 and 8.6: traps and the H extension.)
 */
#include <asm/vcpu.h>

	.section .text
	.globl __vcpu_switch
__vcpu_switch:
	/* The hypervisor's side: what a C caller expects to survive a call. */
	sd	ra, VCPU_HOST_X(1)(a0)
	sd	sp, VCPU_HOST_X(2)(a0)
	sd	gp, VCPU_HOST_X(3)(a0)
	sd	tp, VCPU_HOST_X(4)(a0)
	sd	s0, VCPU_HOST_X(8)(a0)
	sd	s1, VCPU_HOST_X(9)(a0)
	sd	s2, VCPU_HOST_X(18)(a0)
	sd	s3, VCPU_HOST_X(19)(a0)
	sd	s4, VCPU_HOST_X(20)(a0)
	sd	s5, VCPU_HOST_X(21)(a0)
	sd	s6, VCPU_HOST_X(22)(a0)
	sd	s7, VCPU_HOST_X(23)(a0)
	sd	s8, VCPU_HOST_X(24)(a0)
	sd	s9, VCPU_HOST_X(25)(a0)
	sd	s10, VCPU_HOST_X(26)(a0)
	sd	s11, VCPU_HOST_X(27)(a0)

	csrr	t0, sstatus
	sd	t0, VCPU_HOST_SSTATUS(a0)
	csrr	t0, hstatus
	sd	t0, VCPU_HOST_HSTATUS(a0)
	csrr	t0, stvec
	sd	t0, VCPU_HOST_STVEC(a0)
	csrr	t0, sscratch
	sd	t0, VCPU_HOST_SSCRATCH(a0)

	ld	t0, VCPU_GUEST_SSTATUS(a0)
	csrw	sstatus, t0
	ld	t0, VCPU_GUEST_HSTATUS(a0)
	csrw	hstatus, t0
	ld	t0, VCPU_GUEST_SEPC(a0)
	csrw	sepc, t0
	la	t0, __vcpu_trap_entry
	csrw	stvec, t0
	csrw	sscratch, a0

	ld	x1, VCPU_GUEST_X(1)(a0)
	ld	x2, VCPU_GUEST_X(2)(a0)
	ld	x3, VCPU_GUEST_X(3)(a0)
	ld	x4, VCPU_GUEST_X(4)(a0)
	ld	x5, VCPU_GUEST_X(5)(a0)
	ld	x6, VCPU_GUEST_X(6)(a0)
	ld	x7, VCPU_GUEST_X(7)(a0)
	ld	x8, VCPU_GUEST_X(8)(a0)
	ld	x9, VCPU_GUEST_X(9)(a0)
	ld	x11, VCPU_GUEST_X(11)(a0)
	ld	x12, VCPU_GUEST_X(12)(a0)
	ld	x13, VCPU_GUEST_X(13)(a0)
	ld	x14, VCPU_GUEST_X(14)(a0)
	ld	x15, VCPU_GUEST_X(15)(a0)
	ld	x16, VCPU_GUEST_X(16)(a0)
	ld	x17, VCPU_GUEST_X(17)(a0)
	ld	x18, VCPU_GUEST_X(18)(a0)
	ld	x19, VCPU_GUEST_X(19)(a0)
	ld	x20, VCPU_GUEST_X(20)(a0)
	ld	x21, VCPU_GUEST_X(21)(a0)
	ld	x22, VCPU_GUEST_X(22)(a0)
	ld	x23, VCPU_GUEST_X(23)(a0)
	ld	x24, VCPU_GUEST_X(24)(a0)
	ld	x25, VCPU_GUEST_X(25)(a0)
	ld	x26, VCPU_GUEST_X(26)(a0)
	ld	x27, VCPU_GUEST_X(27)(a0)
	ld	x28, VCPU_GUEST_X(28)(a0)
	ld	x29, VCPU_GUEST_X(29)(a0)
	ld	x30, VCPU_GUEST_X(30)(a0)
	ld	x31, VCPU_GUEST_X(31)(a0)
	ld	a0, VCPU_GUEST_X(10)(a0)
	sret

	/* Every trap from the guest lands here (stvec, direct mode: 4-byte aligned). */
	.balign 4
	.globl __vcpu_trap_entry
__vcpu_trap_entry:
	csrrw	a0, sscratch, a0
	sd	x1, VCPU_GUEST_X(1)(a0)
	sd	x2, VCPU_GUEST_X(2)(a0)
	sd	x3, VCPU_GUEST_X(3)(a0)
	sd	x4, VCPU_GUEST_X(4)(a0)
	sd	x5, VCPU_GUEST_X(5)(a0)
	sd	x6, VCPU_GUEST_X(6)(a0)
	sd	x7, VCPU_GUEST_X(7)(a0)
	sd	x8, VCPU_GUEST_X(8)(a0)
	sd	x9, VCPU_GUEST_X(9)(a0)
	sd	x11, VCPU_GUEST_X(11)(a0)
	sd	x12, VCPU_GUEST_X(12)(a0)
	sd	x13, VCPU_GUEST_X(13)(a0)
	sd	x14, VCPU_GUEST_X(14)(a0)
	sd	x15, VCPU_GUEST_X(15)(a0)
	sd	x16, VCPU_GUEST_X(16)(a0)
	sd	x17, VCPU_GUEST_X(17)(a0)
	sd	x18, VCPU_GUEST_X(18)(a0)
	sd	x19, VCPU_GUEST_X(19)(a0)
	sd	x20, VCPU_GUEST_X(20)(a0)
	sd	x21, VCPU_GUEST_X(21)(a0)
	sd	x22, VCPU_GUEST_X(22)(a0)
	sd	x23, VCPU_GUEST_X(23)(a0)
	sd	x24, VCPU_GUEST_X(24)(a0)
	sd	x25, VCPU_GUEST_X(25)(a0)
	sd	x26, VCPU_GUEST_X(26)(a0)
	sd	x27, VCPU_GUEST_X(27)(a0)
	sd	x28, VCPU_GUEST_X(28)(a0)
	sd	x29, VCPU_GUEST_X(29)(a0)
	sd	x30, VCPU_GUEST_X(30)(a0)
	sd	x31, VCPU_GUEST_X(31)(a0)
	csrr	t0, sscratch
	sd	t0, VCPU_GUEST_X(10)(a0)

	csrr	t0, sepc
	sd	t0, VCPU_GUEST_SEPC(a0)
	csrr	t0, sstatus
	sd	t0, VCPU_GUEST_SSTATUS(a0)
	csrr	t0, hstatus
	sd	t0, VCPU_GUEST_HSTATUS(a0)
	csrr	t0, scause
	sd	t0, VCPU_EXIT_SCAUSE(a0)
	csrr	t0, stval
	sd	t0, VCPU_EXIT_STVAL(a0)
	csrr	t0, htval
	sd	t0, VCPU_EXIT_HTVAL(a0)
	csrr	t0, htinst
	sd	t0, VCPU_EXIT_HTINST(a0)

	ld	t0, VCPU_HOST_STVEC(a0)
	csrw	stvec, t0
	ld	t0, VCPU_HOST_SSCRATCH(a0)
	csrw	sscratch, t0
	ld	t0, VCPU_HOST_SSTATUS(a0)
	csrw	sstatus, t0
	ld	t0, VCPU_HOST_HSTATUS(a0)
	csrw	hstatus, t0

	ld	ra, VCPU_HOST_X(1)(a0)
	ld	sp, VCPU_HOST_X(2)(a0)
	ld	gp, VCPU_HOST_X(3)(a0)
	ld	tp, VCPU_HOST_X(4)(a0)
	ld	s0, VCPU_HOST_X(8)(a0)
	ld	s1, VCPU_HOST_X(9)(a0)
	ld	s2, VCPU_HOST_X(18)(a0)
	ld	s3, VCPU_HOST_X(19)(a0)
	ld	s4, VCPU_HOST_X(20)(a0)
	ld	s5, VCPU_HOST_X(21)(a0)
	ld	s6, VCPU_HOST_X(22)(a0)
	ld	s7, VCPU_HOST_X(23)(a0)
	ld	s8, VCPU_HOST_X(24)(a0)
	ld	s9, VCPU_HOST_X(25)(a0)
	ld	s10, VCPU_HOST_X(26)(a0)
	ld	s11, VCPU_HOST_X(27)(a0)
	ret
