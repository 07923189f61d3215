/* sbi.h - SBI calls from a test guest to the hypervisor (RISC-V SBI spec v2.0). */
#ifndef GUEST_SBI_H
#define GUEST_SBI_H

#include <guest.h>

#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_GETCHAR 0x02
#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464E43
#define SBI_EXT_HSM 0x48534D
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_DBCN 0x4442434E

#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID 1
#define SBI_BASE_GET_IMPL_VERSION 2
#define SBI_BASE_PROBE_EXTENSION 3
#define SBI_BASE_GET_MVENDORID 4
#define SBI_BASE_GET_MARCHID 5
#define SBI_BASE_GET_MIMPID 6

#define SBI_DBCN_WRITE 0
#define SBI_DBCN_READ 1
#define SBI_DBCN_WRITE_BYTE 2

#define SBI_SRST_RESET 0
#define SBI_SRST_SHUTDOWN 0
#define SBI_SRST_COLD_REBOOT 1
#define SBI_SRST_REASON_NONE 0
#define SBI_SRST_REASON_FAILURE 1

#define SBI_SUCCESS 0
#define SBI_ERR_FAILED -1
#define SBI_ERR_NOT_SUPPORTED -2
#define SBI_ERR_INVALID_PARAM -3
#define SBI_ERR_DENIED -4
#define SBI_ERR_INVALID_ADDRESS -5

/* HSM functions and hart states (chapter 9, table "HSM Hart States"). */
#define SBI_HSM_HART_START	0
#define SBI_HSM_HART_STOP	1
#define SBI_HSM_HART_GET_STATUS	2
#define SBI_HSM_HART_SUSPEND	3
#define SBI_HSM_STARTED		0
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

/* More standard SBI errors (chapter 3, "Standard SBI Errors"). */
#define SBI_ERR_ALREADY_AVAILABLE -6
#define SBI_ERR_ALREADY_STARTED	  -7
#define SBI_ERR_ALREADY_STOPPED	  -8

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_call(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
		       unsigned long a2, unsigned long a3);
/* The same with a fifth argument in a4 (RFENCE remote_sfence_vma_asid's ASID). */
struct sbiret sbi_call5(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
			unsigned long a2, unsigned long a3, unsigned long a4);

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

static inline struct sbiret sbi_remote_sfence_vma_asid(unsigned long hart_mask,
						       unsigned long hart_mask_base,
						       unsigned long start_addr, unsigned long size,
						       unsigned long asid)
{
	return sbi_call5(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA_ASID, hart_mask, hart_mask_base,
			 start_addr, size, asid);
}


#endif
