/* sbi.c - the hypervisor's own calls into OpenSBI, which runs below it in M-mode. */
#include <asm/sbi.h>

/* SBI calling convention (SBI spec section 3.1): a7 = extension, a6 = function, a0.. = args. */
struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long arg0,
			unsigned long arg1, unsigned long arg2)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = arg1;
	register unsigned long a2 __asm__("a2") = arg2;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = ext;

	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a6), "r"(a7) : "memory");
	return (struct sbiret){.error = (long)a0, .value = (long)a1};
}

/* The legacy console calls (SBI spec chapter 5) put their result in a0, not a1. */
void sbi_legacy_putchar(char c)
{
	sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0);
}

int sbi_legacy_getchar(void)
{
	return (int)sbi_ecall(SBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0).error;
}

void sbi_system_shutdown(bool failure)
{
	unsigned long reason = failure ? SBI_SRST_REASON_SYSTEM_FAILURE : SBI_SRST_REASON_NONE;

	sbi_ecall(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_TYPE_SHUTDOWN, reason, 0);
	/* Only a firmware without SRST gets here; nothing else is left to try. */
	for (;;)
		__asm__ volatile("wfi");
}
