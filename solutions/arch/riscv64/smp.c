/* @since 6 */
/*
 * smp.c - the RISC-V side of several CPUs: the firmware starts and stops harts (SBI
 * HSM, chapter 9 of the SBI spec v2.0) and sends IPIs between them (SBI IPI, chapter 7:
 * the target hart sees a supervisor software interrupt, sip.SSIP).
 */
#include <asm/csr.h>
#include <asm/sbi.h>
#include <errno.h>
#include <percpu.h>
#include <smp.h>

/* head.S: where a started hart begins, with a0 = its hart id and a1 = the opaque value. */
extern char _start_secondary[];

/* The firmware's error as an errno (SBI spec, section 3.2). */
static int sbi_to_errno(long error)
{
	switch (error) {
	case SBI_SUCCESS:
		return 0;
	case SBI_ERR_NOT_SUPPORTED:
		return -ENOSYS;
	case SBI_ERR_INVALID_PARAM:
	case SBI_ERR_INVALID_ADDRESS:
		return -EINVAL;
	case SBI_ERR_ALREADY_AVAILABLE:
		return -EBUSY;
	default:
		return -EIO;
	}
}

int arch_cpu_start(struct cpu *cpu)
{
	/* @lab 6 begin: Ask the firmware to start the hart (SBI HSM hart_start: hartid,
	 * start_addr, opaque) at _start_secondary, with the struct cpu as the opaque value
	 * - head.S takes tp and sp from it. Return 0, or the firmware's error as an errno
	 * (sbi_to_errno). The hart starts with the MMU off, so addresses are physical:
	 * the hypervisor runs where it was linked. */
	struct sbiret ret = sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, cpu->hwid,
				      (unsigned long)(uintptr_t)_start_secondary,
				      (unsigned long)(uintptr_t)cpu);

	return sbi_to_errno(ret.error);
	/* @lab 6 stub: (void)sbi_to_errno; */
	/* @lab 6 stub: return -ENOSYS; */
	/* @lab 6 end */
}

void arch_cpu_send_ipi(const struct cpu *cpu)
{
	/* hart_mask = 1, hart_mask_base = the hart: just that one. */
	sbi_ecall(SBI_EXT_IPI, 0, 1, cpu->hwid, 0);
}

void arch_cpu_park(void)
{
	/* hart_stop only returns if it failed; then sleep here for good. */
	sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
