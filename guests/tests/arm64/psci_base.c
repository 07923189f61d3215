/*
 * psci_base.c - the firmware interface the hypervisor offers: PSCI 1.1 and SMCCC 1.1,
 * with a truthful PSCI_FEATURES, and hvlab's own calls - through HVC and through SMC,
 * which the hypervisor must trap (HCR_EL2.TSC) rather than let QEMU's PSCI answer.
 */
#include <arm64.h>
#include <hvtest.h>

/* What PSCI_FEATURES must say of each function, and that calling it agrees. */
static const struct {
	u32 fid;
	bool implemented;
} functions[] = {
	{PSCI_VERSION, true},	       {PSCI_CPU_ON, true},	      {PSCI_CPU_ON_32, true},
	{PSCI_CPU_OFF, true},	       {PSCI_AFFINITY_INFO, true},    {PSCI_MIGRATE_INFO_TYPE, true},
	{PSCI_SYSTEM_OFF, true},       {PSCI_SYSTEM_RESET, true},     {PSCI_FEATURES, true},
	{SMCCC_VERSION, true},	       {PSCI_CPU_SUSPEND, false},     {PSCI_MIGRATE, false},
	{PSCI_SYSTEM_SUSPEND, false},  {PSCI_SYSTEM_RESET2, false},   {0x8400ffff, false},
};

int main(unsigned long cpu, unsigned long dtb)
{
	struct smccc_res r, uid;
	int wrong = 0;

	r = smccc_hvc(PSCI_VERSION, 0, 0, 0);
	hvtest_check(r.a0 == 0x10001, "psci_base.version", "PSCI_VERSION = 0x%lx, not 1.1",
		     r.a0);
	r = smccc_hvc(SMCCC_VERSION, 0, 0, 0);
	hvtest_check(r.a0 == 0x10001, "psci_base.smccc_version", "SMCCC_VERSION = 0x%lx", r.a0);

	for (unsigned int i = 0; i < ARRAY_SIZE(functions); i++) {
		long want = functions[i].implemented ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;

		r = smccc_hvc(PSCI_FEATURES, functions[i].fid, 0, 0);
		if (r.a0 != want) {
			guest_printf("hvtest: PSCI_FEATURES(0x%x) = %ld, expected %ld\n",
				     functions[i].fid, r.a0, want);
			wrong++;
		}
	}
	hvtest_check(!wrong, "psci_base.features", "%d wrong answers", wrong);
	/* Truthful the other way too: what it calls unsupported is, when called. */
	r = smccc_hvc(PSCI_CPU_SUSPEND, 0, 0, 0);
	hvtest_check(r.a0 == PSCI_NOT_SUPPORTED, "psci_base.unsupported_calls",
		     "CPU_SUSPEND returned %ld", r.a0);
	r = smccc_hvc(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0);
	hvtest_check(r.a0 == 2, "psci_base.migrate_info_type", "%ld, not 2 (no Trusted OS)", r.a0);
	r = smccc_hvc(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0, 0);
	hvtest_check(r.a0 == SMCCC_NOT_SUPPORTED, "psci_base.arch_features",
		     "SMCCC_ARCH_FEATURES(ARCH_WORKAROUND_1) = %ld", r.a0);

	/* hvlab's vendor calls: 4 functions, revision 1.0, a UID that is not "unknown". */
	uid = smccc_hvc(HVLAB_CALL_UID, 0, 0, 0);
	r = smccc_hvc(HVLAB_CALL_COUNT, 0, 0, 0);
	hvtest_check(r.a0 == 4 && (u32)uid.a0 != 0xffffffff &&
			     smccc_hvc(HVLAB_CALL_REVISION, 0, 0, 0).a0 == 1,
		     "psci_base.vendor_calls", "count %ld, UID word 0x%lx", r.a0, uid.a0);
	/* Through SMC the same UID: the hypervisor answered, not QEMU's firmware. */
	r = smccc_smc(HVLAB_CALL_UID, 0, 0, 0);
	hvtest_check(r.a0 == uid.a0 && r.a1 == uid.a1 && r.a2 == uid.a2 && r.a3 == uid.a3,
		     "psci_base.smc_trapped", "UID through SMC 0x%lx, through HVC 0x%lx", r.a0,
		     uid.a0);
	r = smccc_smc(PSCI_VERSION, 0, 0, 0);
	hvtest_check(r.a0 == 0x10001, "psci_base.smc_version", "PSCI_VERSION through SMC = 0x%lx",
		     r.a0);
	hvtest_finish();
}
