/*
 * stray_load.c - a load from guest-physical 0x4c000000: host RAM, but outside this VM's
 * 16 MiB at 0x44000000, so stage-2 has nothing there and the hypervisor stops the VM.
 */
#include <hvtest.h>

int main(unsigned long cpu, unsigned long dtb)
{
	unsigned long v;

	guest_puts("hvtest: stray_load reading 0x4c000000\n");
	v = *(volatile unsigned long *)0x4c000000UL;
	/* Only a hypervisor that let the load through gets here. */
	hvtest_fail("stray_load", "read 0x%lx", v);
	hvtest_finish();
}
