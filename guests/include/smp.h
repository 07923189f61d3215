/*
 * smp.h - the vCPUs of a test guest other than vCPU 0 (riscv64), and the SBI calls that SMP
 * tests make use of the SBI calls in sbi.h: HSM (SBI spec v2.0, chapter 9), IPI (chapter 7)
 * and RFENCE (chapter 8).
 *
 * vCPU 0 enters _start. Every other vCPU enters smp_entry: the start_addr of its
 * hart_start and the resume_addr of a non-retentive suspend. smp_entry gives it the stack
 * smp_stacks[hart], tp = its hart id (smp_hart_id()), stvec = guest_trap_vector (the
 * shared handler: irq_handler is one for all vCPUs, so a handler looks at smp_hart_id()),
 * and calls the function that smp_start() or smp_suspend_nonretentive() registered for
 * that hart, with a0 and a1 as the hypervisor set them (the hart id and the opaque value).
 * It leaves satp and sstatus as they were at entry, so that function can still check
 * them. When the function returns, the vCPU stops itself (smp_stop()).
 *
 * Only vCPU 0 may print: the console is one line buffer per VM, and two vCPUs printing at
 * once would mix their characters. The others leave what they saw in memory.
 */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#define SMP_MAX_HARTS	8 /* a VM has 1 to 8 vCPUs */
#define SMP_STACK_SHIFT 14
#define SMP_STACK_SIZE	(1 << SMP_STACK_SHIFT) /* 16 KiB per vCPU, as vCPU 0's */

#ifndef __ASSEMBLER__

#include <guest.h>
#include <sbi.h>

/* A vCPU's function: a0 and a1 as the vCPU found them at smp_entry. */
typedef void (*smp_fn_t)(unsigned long hart, unsigned long arg);

/* The entry of every vCPU but vCPU 0 (smp_entry.S); only its address is of use. */
void smp_entry(void);

/*
 * Starts vCPU `hart` on fn(hart, arg) with a stack of its own (hart_start with
 * start_addr = smp_entry, opaque = arg); returns hart_start's error (SBI_SUCCESS, or
 * INVALID_PARAM, INVALID_ADDRESS, ALREADY_AVAILABLE, FAILED). On an error, the function
 * registered for that hart before stays.
 */
int smp_start(unsigned long hart, smp_fn_t fn, unsigned long arg);

/*
 * Default non-retentive suspend of the calling vCPU: when an interrupt enabled in sie
 * wakes it, it starts over at smp_entry on a fresh stack and runs fn(hart, opaque).
 * Returns only if it did not: hart_suspend's error, SBI_SUCCESS meaning that the call came
 * back as a retentive suspend would.
 */
long smp_suspend_nonretentive(smp_fn_t fn, unsigned long opaque);

/* hart_stop for the calling vCPU, with sstatus.SIE off as SBI 9.2 wants. */
void smp_stop(void) __attribute__((noreturn));

/*
 * Nonzero for a vCPU whose hart_stop returned (it then waits in WFI for good): the error
 * it returned, or 1 if it returned SBI_SUCCESS.
 */
extern volatile long smp_stop_error[SMP_MAX_HARTS];

/* The VM's vCPU count: hart_get_status for 0, 1, ... until it answers an error. */
int smp_nr_vcpus(void);

/* The calling vCPU's hart id, which _start and smp_entry keep in tp. */
static inline unsigned long smp_hart_id(void)
{
	unsigned long id;

	__asm__("mv %0, tp" : "=r"(id));
	return id;
}

#endif /* __ASSEMBLER__ */
#endif
