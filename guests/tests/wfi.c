/* wfi.c - WFI traps to the hypervisor (hstatus.VTW), which lets the guest go on. */
#include <hvtest.h>

int main(unsigned long hart, unsigned long dtb)
{
	for (int i = 0; i < 5; i++)
		__asm__ volatile("wfi");
	hvtest_pass("wfi.returns");
	hvtest_finish();
}
