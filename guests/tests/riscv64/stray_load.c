/* stray_load.c - a load from guest-physical 0x90000000, outside this VM's RAM. */
#include <hvtest.h>

int main(unsigned long hart, unsigned long dtb)
{
	guest_puts("hvtest: stray_load reading 0x90000000\n");
	guest_printf("hvtest: stray_load FAIL read 0x%lx\n", *(volatile unsigned long *)0x90000000UL);
	hvtest_finish();
}
