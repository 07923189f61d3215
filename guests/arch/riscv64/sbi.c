/* sbi.c - a test guest's SBI calls: ecall from VS-mode traps to the hypervisor. */
#include "sbi.h"

struct sbiret sbi_call5(unsigned long ext, unsigned long fid, unsigned long arg0,
			unsigned long arg1, unsigned long arg2, unsigned long arg3,
			unsigned long arg4)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = arg1;
	register unsigned long a2 __asm__("a2") = arg2;
	register unsigned long a3 __asm__("a3") = arg3;
	register unsigned long a4 __asm__("a4") = arg4;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1)
			 : "r"(a2), "r"(a3), "r"(a4), "r"(a6), "r"(a7)
			 : "memory");
	return (struct sbiret){ .error = (long)a0, .value = (long)a1 };
}

struct sbiret sbi_call(unsigned long ext, unsigned long fid, unsigned long arg0,
		       unsigned long arg1, unsigned long arg2, unsigned long arg3)
{
	return sbi_call5(ext, fid, arg0, arg1, arg2, arg3, 0);
}

void guest_putc(char c)
{
	sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0, 0);
}

void guest_shutdown(int status)
{
	sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_SHUTDOWN,
		 status ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE, 0, 0);
	guest_puts("hvtest: SRST shutdown returned; spinning\n");
	for (;;)
		__asm__ volatile("wfi");
}
