/*
 * power_failure.c - the VM's power: optional PSCI calls hvlab does not implement say so,
 * and hvlab's shutdown call with status 1 reaches the grader as a failure.
 */
#include <arm64.h>
#include <hvtest.h>

int main(unsigned long cpu, unsigned long dtb)
{
	struct smccc_res r;

	r = smccc_hvc(PSCI_SYSTEM_RESET2, 0, 0, 0);
	hvtest_check(r.a0 == PSCI_NOT_SUPPORTED, "system_power.reset2", "returned %ld", r.a0);
	r = smccc_hvc(PSCI_SYSTEM_SUSPEND, 0x44000000, 0, 0);
	hvtest_check(r.a0 == PSCI_NOT_SUPPORTED, "system_power.suspend", "returned %ld", r.a0);
	guest_puts("hvtest: power_failure shutting down with status 1\n");
	smccc_hvc(HVLAB_SHUTDOWN, 1, 0, 0);
	hvtest_fail("system_power.shutdown", "the shutdown call returned");
	hvtest_finish();
}
