/* asm/sbi.h - calls from the hypervisor to the firmware (RISC-V SBI spec v2.0). */
#ifndef ASM_SBI_H
#define ASM_SBI_H

#include <types.h>

/* Extension ids (SBI spec, chapter 3 and following) */
#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_GETCHAR 0x02
#define SBI_EXT_BASE	       0x10
#define SBI_EXT_SRST	       0x53525354 /* "SRST" */
#define SBI_EXT_IPI	       0x735049 /* "sPI" */
#define SBI_EXT_HSM	       0x48534D /* "HSM" */

#define SBI_HSM_HART_START	0
#define SBI_HSM_HART_STOP	1
#define SBI_HSM_HART_GET_STATUS 2
#define SBI_HSM_HART_SUSPEND	3

#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_PROBE_EXTENSION  3

#define SBI_SRST_RESET		       0
#define SBI_SRST_TYPE_SHUTDOWN	       0
#define SBI_SRST_REASON_NONE	       0
#define SBI_SRST_REASON_SYSTEM_FAILURE 1

/* Error codes (SBI spec, section 3.2) */
#define SBI_SUCCESS	      0
#define SBI_ERR_FAILED	      -1
#define SBI_ERR_NOT_SUPPORTED -2
#define SBI_ERR_INVALID_PARAM -3

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
			unsigned long a2);
void sbi_legacy_putchar(char c);
int sbi_legacy_getchar(void);
void __noreturn sbi_system_shutdown(bool failure);

#endif
