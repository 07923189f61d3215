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

	/* TODO(lab 2): Swap the trap CSRs: save the hypervisor's sstatus, hstatus,
	 * stvec and sscratch in ctx (VCPU_HOST_*), load the guest's sstatus, hstatus and
	 * sepc from ctx, point stvec at __vcpu_trap_entry and sscratch at ctx (a0).
	 * Then load the guest's x1..x31 from ctx, a0 last, and sret. See README.md. */
	j	__vcpu_switch_not_written

	/* Every trap from the guest lands here (stvec, direct mode: 4-byte aligned). */
	.balign 4
	.globl __vcpu_trap_entry
__vcpu_trap_entry:
	/* TODO(lab 2): Save the guest. Swap a0 with sscratch (a0 = ctx, sscratch = the
	 * guest's a0), store x1..x31 in ctx (the guest's a0 from sscratch), then sepc,
	 * sstatus and hstatus, and the trap's scause, stval, htval and htinst
	 * (VCPU_EXIT_*). Finally restore the hypervisor's stvec, sscratch, sstatus,
	 * hstatus and callee-saved registers and return to __vcpu_switch's caller. See README.md. */
	csrrw	a0, sscratch, a0
	ld	sp, VCPU_HOST_X(2)(a0)
	j	__vcpu_trap_entry_not_written

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
