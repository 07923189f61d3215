/*
 * start.S - a test guest's first instructions, in VS-mode. The hypervisor enters at the
 * VM's entry address with a0 = the vCPU's hart id and a1 = a device tree (or 0). tp keeps
 * the hart id for smp_hart_id() (the other vCPUs enter at smp_entry, smp_entry.S).
 */
	.section .text.entry, "ax"
	.globl _start
_start:
	mv	tp, a0
	la	sp, guest_stack_top
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	la	t0, guest_trap_vector
	csrw	stvec, t0
	call	main
	/* main's return value is the VM's exit status. */
	call	guest_shutdown

	.section .bss.stack, "aw", @nobits
	.balign 16
	.space	16384
guest_stack_top:
