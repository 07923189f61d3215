/*
 * unknown_calls.c - a call the hypervisor does not implement is an answer, not a failure
 * (SMCCC 1.1: NOT_SUPPORTED, -1, in x0), and bad arguments are refused with the error
 * the interface defines.
 */
#include <arm64.h>
#include <hvtest.h>

static const char text[] = "x";

int main(unsigned long cpu, unsigned long dtb)
{
	struct smccc_res r;
	register u64 x0 __asm__("x0");

	r = smccc_hvc(0x82000000, 0, 0, 0); /* a SiP service call */
	hvtest_check(r.a0 == SMCCC_NOT_SUPPORTED, "unknown_calls.service", "returned %ld", r.a0);
	r = smccc_hvc(0x86000055, 0, 0, 0); /* an hvlab function that does not exist */
	hvtest_check(r.a0 == SMCCC_NOT_SUPPORTED, "unknown_calls.function", "returned %ld", r.a0);
	r = smccc_smc(0xc4000055, 0, 0, 0); /* a PSCI function that does not exist, by SMC */
	hvtest_check(r.a0 == SMCCC_NOT_SUPPORTED, "unknown_calls.smc", "returned %ld", r.a0);
	/* SMCCC calls use HVC #0: another immediate is not one of them. */
	x0 = PSCI_VERSION;
	__asm__ volatile("hvc #1" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	hvtest_check((long)x0 == SMCCC_NOT_SUPPORTED, "unknown_calls.hvc_immediate",
		     "HVC #1 returned %ld", (long)x0);

	/* The console write's buffer must lie in the VM's RAM, all of it. */
	r = smccc_hvc(HVLAB_CONSOLE_WRITE, 0x10000000, 4, 0);
	hvtest_check(r.a0 == SMCCC_INVALID_PARAMETER, "unknown_calls.write_bad_address",
		     "a buffer at 0x10000000: %ld", r.a0);
	r = smccc_hvc(HVLAB_CONSOLE_WRITE, 0x44ffffff, 16, 0);
	hvtest_check(r.a0 == SMCCC_INVALID_PARAMETER, "unknown_calls.write_past_ram",
		     "a buffer crossing the end of RAM: %ld", r.a0);
	r = smccc_hvc(HVLAB_CONSOLE_WRITE, (unsigned long)text, 0, 0);
	hvtest_check(r.a0 == 0, "unknown_calls.write_nothing", "an empty write: %ld", r.a0);

	r = smccc_hvc(PSCI_AFFINITY_INFO, 0, 0, 0);
	hvtest_check(r.a0 == PSCI_AFFINITY_ON, "unknown_calls.affinity_own", "returned %ld", r.a0);
	r = smccc_hvc(PSCI_AFFINITY_INFO, 7, 0, 0);
	hvtest_check(r.a0 == PSCI_INVALID_PARAMETERS, "unknown_calls.affinity_bad_cpu",
		     "returned %ld", r.a0);
	r = smccc_hvc(PSCI_AFFINITY_INFO, 0, 1, 0);
	hvtest_check(r.a0 == PSCI_INVALID_PARAMETERS, "unknown_calls.affinity_bad_level",
		     "returned %ld", r.a0);
	hvtest_finish();
}
