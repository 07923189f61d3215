/* wfi.c - WFI and WFE trap to the hypervisor (HCR_EL2.TWI, TWE), which lets the guest go on. */
#include <arm64.h>
#include <hvtest.h>

int main(unsigned long cpu, unsigned long dtb)
{
	for (int i = 0; i < 5; i++)
		__asm__ volatile("wfi");
	hvtest_pass("wfi.returns");
	for (int i = 0; i < 5; i++)
		__asm__ volatile("wfe");
	hvtest_pass("wfi.wfe_returns");
	hvtest_finish();
}
