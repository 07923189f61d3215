/* reboot.c - PSCI SYSTEM_RESET restarts the VM from its image: this guest reboots forever. */
#include <arm64.h>
#include <hvtest.h>

static int boots; /* zero again after every reboot: .bss is fresh */

int main(unsigned long cpu, unsigned long dtb)
{
	boots++;
	guest_printf("hvtest: reboot.boot %d\n", boots);
	smccc_hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
	hvtest_fail("reboot.call", "the reboot call returned");
	hvtest_finish();
}
