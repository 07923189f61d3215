/*
 * smp.h - the vCPUs of a test guest other than vCPU 0 (riscv64), and the SBI calls that SMP
 * tests make: HSM (SBI spec v2.0, chapter 9), IPI (chapter 7) and RFENCE (chapter 8).
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

/* HSM functions and hart states (chapter 9, table "HSM Hart States"). */
#define SBI_HSM_HART_START	0
#define SBI_HSM_HART_STOP	1
#define SBI_HSM_HART_SUSPEND	3
#define SBI_HSM_STOPPED		1
#define SBI_HSM_START_PENDING	2
#define SBI_HSM_STOP_PENDING	3
#define SBI_HSM_SUSPENDED	4
#define SBI_HSM_SUSPEND_PENDING 5
#define SBI_HSM_RESUME_PENDING	6
/* hart_suspend types (table "HSM Hart Suspend Types"): the two defaults. */
#define SBI_HSM_SUSPEND_RETENTIVE     0x00000000UL
#define SBI_HSM_SUSPEND_NON_RETENTIVE 0x80000000UL

#define SBI_IPI_SEND_IPI	   0
#define SBI_RFENCE_FENCE_I	   0
#define SBI_RFENCE_SFENCE_VMA	   1
#define SBI_RFENCE_SFENCE_VMA_ASID 2

/* The standard SBI errors (chapter 3, "Standard SBI Errors") that sbi.h does not have. */
#define SBI_ERR_ALREADY_AVAILABLE -6
#define SBI_ERR_ALREADY_STARTED	  -7
#define SBI_ERR_ALREADY_STOPPED	  -8

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

static inline struct sbiret sbi_hart_start(unsigned long hart, unsigned long start_addr,
					   unsigned long opaque)
{
	return sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, hart, start_addr, opaque, 0);
}

static inline struct sbiret sbi_hart_get_status(unsigned long hart)
{
	return sbi_call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, hart, 0, 0, 0);
}

/* suspend_type is 32 bits wide (9.4); resume_addr and opaque matter to non-retentive ones. */
static inline struct sbiret sbi_hart_suspend(u32 suspend_type, unsigned long resume_addr,
					     unsigned long opaque)
{
	return sbi_call(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, suspend_type, resume_addr, opaque, 0);
}

/*
 * hart_mask, hart_mask_base (SBI 3.1): bit i of the mask names hart base + i; a base of -1
 * (~0UL) names every hart and the mask is ignored.
 */
static inline struct sbiret sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base)
{
	return sbi_call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, hart_mask, hart_mask_base, 0, 0);
}

static inline struct sbiret sbi_remote_fence_i(unsigned long hart_mask,
					       unsigned long hart_mask_base)
{
	return sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, hart_mask, hart_mask_base, 0, 0);
}

/* start_addr and size both 0, or size ~0UL: the whole address space (chapter 8). */
static inline struct sbiret sbi_remote_sfence_vma(unsigned long hart_mask,
						  unsigned long hart_mask_base,
						  unsigned long start_addr, unsigned long size)
{
	return sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, hart_mask, hart_mask_base,
			start_addr, size);
}

/* Five arguments, one more than sbi_call() passes: in smp.c. */
struct sbiret sbi_remote_sfence_vma_asid(unsigned long hart_mask, unsigned long hart_mask_base,
					 unsigned long start_addr, unsigned long size,
					 unsigned long asid);

#endif /* __ASSEMBLER__ */
#endif
