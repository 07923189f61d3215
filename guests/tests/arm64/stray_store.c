/*
 * stray_store.c - a store to guest-physical 0x3ff00008, below this VM's RAM (and below the
 * host's): stage-2 has nothing there and the hypervisor stops the VM.
 */
#include <hvtest.h>

int main(unsigned long cpu, unsigned long dtb)
{
	guest_puts("hvtest: stray_store writing 0x3ff00008\n");
	*(volatile unsigned long *)0x3ff00008UL = 1;
	/* Only a hypervisor that let the store through gets here. */
	hvtest_fail("stray_store", "the store went through");
	hvtest_finish();
}
