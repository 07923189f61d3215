/*
 * user.S - run_user(fn): calls fn in U-mode (VU-mode: the guest's user mode) and returns
 * once fn has returned. fn returns to user_exit, whose ecall from U-mode lands in the
 * guest's trap handler (trap.c), which resumes here at run_user_return in S-mode. fn
 * runs on the same stack; without paging (satp = Bare) U-mode reaches all of the
 * guest's memory.
 */
#define SSTATUS_SPP (1 << 8)

	.section .text
	.globl run_user
run_user:
	addi	sp, sp, -112
	sd	ra, 0(sp)
	sd	s0, 8(sp)
	sd	s1, 16(sp)
	sd	s2, 24(sp)
	sd	s3, 32(sp)
	sd	s4, 40(sp)
	sd	s5, 48(sp)
	sd	s6, 56(sp)
	sd	s7, 64(sp)
	sd	s8, 72(sp)
	sd	s9, 80(sp)
	sd	s10, 88(sp)
	sd	s11, 96(sp)
	la	t0, user_saved_sp
	sd	sp, 0(t0)
	csrw	sepc, a0
	li	t0, SSTATUS_SPP
	csrc	sstatus, t0		/* sret to U-mode */
	la	ra, user_exit
	sret

user_exit:				/* U-mode: fn has returned */
	ecall

	.globl run_user_return
run_user_return:			/* S-mode again, sent here by the trap handler */
	la	t0, user_saved_sp
	ld	sp, 0(t0)
	ld	ra, 0(sp)
	ld	s0, 8(sp)
	ld	s1, 16(sp)
	ld	s2, 24(sp)
	ld	s3, 32(sp)
	ld	s4, 40(sp)
	ld	s5, 48(sp)
	ld	s6, 56(sp)
	ld	s7, 64(sp)
	ld	s8, 72(sp)
	ld	s9, 80(sp)
	ld	s10, 88(sp)
	ld	s11, 96(sp)
	addi	sp, sp, 112
	ret

	.section .bss
	.balign 8
user_saved_sp:
	.space	8
