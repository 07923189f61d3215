/*
 * bad_access.c - a guest that reads memory that is not its own. The access fault is not
 * the guest's to handle: the hypervisor stops this VM with a report and carries on.
 */
#include <hvtest.h>

int main(unsigned long hart, unsigned long dtb)
{
	/* 1 TiB: no machine of the labs has anything there, host or guest. */
	volatile u64 *nothing = (volatile u64 *)0x10000000000UL;

	guest_puts("hvtest: bad_access reading 0x10000000000\n");
	guest_printf("hvtest: bad_access FAIL read 0x%lx without a fault\n", (unsigned long)*nothing);
	hvtest_finish();
}
