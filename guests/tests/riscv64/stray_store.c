/* stray_store.c - a store to guest-physical 0x7ff00008, outside this VM's RAM. */
#include <hvtest.h>

int main(unsigned long hart, unsigned long dtb)
{
	guest_puts("hvtest: stray_store writing 0x7ff00008\n");
	*(volatile unsigned long *)0x7ff00008UL = 1;
	guest_puts("hvtest: stray_store FAIL the store went through\n");
	hvtest_finish();
}
