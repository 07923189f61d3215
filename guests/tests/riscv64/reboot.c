/* reboot.c - a cold reboot restarts the VM from its image: this guest reboots forever. */
#include <hvtest.h>
#include <sbi.h>

static int boots; /* zero again after every reboot: .bss is fresh */

int main(unsigned long hart, unsigned long dtb)
{
	boots++;
	guest_printf("hvtest: reboot.boot %d\n", boots);
	sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE, 0, 0);
	hvtest_fail("reboot.call", "the reboot call returned");
	hvtest_finish();
}
