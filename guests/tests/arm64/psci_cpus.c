/*
 * psci_cpus.c - a VM of two vCPUs: vCPU 0 starts vCPU 1 with PSCI CPU_ON and turns itself
 * off (CPU_OFF); vCPU 1 starts at the entry it was given, with x0 = the context, sees
 * vCPU 0 off and reports. Without a timer (arm64's lab 4) nothing takes the CPU back
 * from a running vCPU, so vCPU 0's CPU_OFF is what lets vCPU 1 run at all.
 */
#include <arm64.h>
#include <hvtest.h>

#define CONTEXT 0xc0ffee15c0ffee15UL

static void second(unsigned long cpu, unsigned long context)
{
	struct smccc_res r;

	hvtest_check(context == CONTEXT, "psci_cpus.context", "x0 = 0x%lx at entry", context);
	hvtest_check(read_sysreg(mpidr_el1) == (0x80000000UL | 1), "psci_cpus.mpidr",
		     "MPIDR_EL1 = 0x%lx", read_sysreg(mpidr_el1));
	r = smccc_hvc(PSCI_AFFINITY_INFO, 0, 0, 0);
	hvtest_check(r.a0 == PSCI_AFFINITY_OFF, "psci_cpus.first_off",
		     "AFFINITY_INFO(vCPU 0) = %ld after its CPU_OFF", r.a0);
	hvtest_finish();
}

int main(unsigned long cpu, unsigned long dtb)
{
	struct smccc_res r;
	long err;

	r = smccc_hvc(PSCI_AFFINITY_INFO, 1, 0, 0);
	hvtest_check(r.a0 == PSCI_AFFINITY_OFF, "psci_cpus.second_off", "AFFINITY_INFO(1) = %ld",
		     r.a0);
	err = smccc_hvc(PSCI_CPU_ON, 7, (unsigned long)cpu_entry, 0).a0;
	hvtest_check(err == PSCI_INVALID_PARAMETERS, "psci_cpus.bad_cpu", "CPU_ON(7) = %ld", err);
	err = smccc_hvc(PSCI_CPU_ON, 1, 0x1000, 0).a0;
	hvtest_check(err == PSCI_INVALID_ADDRESS, "psci_cpus.bad_entry",
		     "CPU_ON(1) at 0x1000, outside RAM, = %ld", err);
	err = cpu_start(1, second, CONTEXT);
	hvtest_check(err == PSCI_SUCCESS, "psci_cpus.cpu_on", "CPU_ON(1) = %ld", err);
	err = cpu_start(1, second, CONTEXT);
	hvtest_check(err == PSCI_ALREADY_ON, "psci_cpus.already_on", "CPU_ON(1) again = %ld",
		     err);
	r = smccc_hvc(PSCI_AFFINITY_INFO, 1, 0, 0);
	hvtest_check(r.a0 == PSCI_AFFINITY_ON, "psci_cpus.second_on", "AFFINITY_INFO(1) = %ld",
		     r.a0);
	smccc_hvc(PSCI_CPU_OFF, 0, 0, 0);
	hvtest_fail("psci_cpus.cpu_off", "CPU_OFF returned");
	hvtest_finish();
}
