/*
 * smp_entry.S - where every vCPU but vCPU 0 enters (SBI HSM hart_start's start_addr and a
 * non-retentive suspend's resume_addr): a0 = its hart id, a1 = the opaque value, satp = 0,
 * sstatus.SIE = 0, every other register undefined (SBI spec v2.0, 9.1 and 9.4). It takes
 * the stack smp_stacks[a0], keeps the hart id in tp, points stvec at the shared trap
 * vector and calls smp_secondary_main(a0, a1), which does not return. satp and sstatus
 * stay as they are, for the test to check.
 */
#include <smp.h>

	.section .text
	.balign 4
	.globl smp_entry
smp_entry:
	li	t0, SMP_MAX_HARTS
	bgeu	a0, t0, 2f
	mv	tp, a0
	/* sp = the top of smp_stacks[a0]: smp_stacks + (a0 + 1) * SMP_STACK_SIZE */
	la	sp, smp_stacks
	addi	t0, a0, 1
	slli	t0, t0, SMP_STACK_SHIFT
	add	sp, sp, t0
	la	t0, guest_trap_vector
	csrw	stvec, t0
	call	smp_secondary_main

	/* A hart id with no stack here: stop it, using no memory at all (SIE is off). */
2:	csrci	sstatus, 2
	li	a7, 0x48534D	/* SBI_EXT_HSM */
	li	a6, 1		/* SBI_HSM_HART_STOP */
	ecall
3:	wfi
	j	3b
