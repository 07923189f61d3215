/* sbi_base.c - the Base extension: versions, ids, and probe_extension telling the truth. */
#include <hvtest.h>
#include <sbi.h>

/* Extensions the hypervisor must offer from lab 2 on. */
static const unsigned long required[] = {
	SBI_EXT_LEGACY_PUTCHAR, SBI_EXT_LEGACY_GETCHAR, SBI_EXT_BASE,
	SBI_EXT_HSM,		SBI_EXT_SRST,		SBI_EXT_DBCN,
};

/*
 * For each of these, probe's answer is checked against a harmless call: a probed
 * extension must not answer SBI_ERR_NOT_SUPPORTED to a function it defines, an
 * unprobed one must answer it to everything.
 */
struct probe_case {
	unsigned long eid;
	unsigned long fid;
	unsigned long a0, a1;
};

static const struct probe_case cases[] = {
	{ SBI_EXT_TIME, 0, ~0UL, 0 },		  /* set_timer far in the future */
	{ SBI_EXT_IPI, 0, 0, 0 },		  /* send_ipi to no hart: hart_mask 0 */
	{ SBI_EXT_RFENCE, 0, 0, 0 },		  /* remote_fence_i to no hart */
	{ SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 0, 0 },
	{ SBI_EXT_DBCN, SBI_DBCN_WRITE_BYTE, '.', 0 },
	{ 0x504D55, 0, 0, 0 },			  /* PMU num_counters */
	{ 0x53555350, 0, 0, 0 },		  /* SUSP: system_suspend, type 0 is invalid */
	{ 0x43505043, 0, 0, 0 },		  /* CPPC probe */
	{ 0x0A000123, 0, 0, 0 },		  /* nobody's extension */
};

int main(unsigned long hart, unsigned long dtb)
{
	struct sbiret ret = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0, 0);
	long major = (ret.value >> 24) & 0x7f, minor = ret.value & 0xffffff;

	hvtest_check(ret.error == SBI_SUCCESS && major == 2 && minor == 0, "sbi_base.spec_version",
		     "error %ld, version %ld.%ld (want 2.0)", ret.error, major, minor);
	ret = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0, 0, 0);
	hvtest_check(ret.error == SBI_SUCCESS && ret.value != 0 && ret.value != 1, "sbi_base.impl_id",
		     "error %ld, id %ld (0 is BBL's and 1 OpenSBI's: the guest must see the "
		     "hypervisor's own)", ret.error, ret.value);
	ret = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION, 0, 0, 0, 0);
	hvtest_check(ret.error == SBI_SUCCESS, "sbi_base.impl_version", "error %ld", ret.error);
	for (int fid = SBI_BASE_GET_MVENDORID; fid <= SBI_BASE_GET_MIMPID; fid++) {
		ret = sbi_call(SBI_EXT_BASE, fid, 0, 0, 0, 0);
		hvtest_check(ret.error == SBI_SUCCESS, "sbi_base.machine_ids", "fid %d: error %ld",
			     fid, ret.error);
	}

	for (unsigned int i = 0; i < ARRAY_SIZE(required); i++) {
		ret = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, required[i], 0, 0, 0);
		hvtest_check(ret.error == SBI_SUCCESS && ret.value != 0, "sbi_base.probe_required",
			     "extension 0x%lx: error %ld, probe %ld (must be available)",
			     required[i], ret.error, ret.value);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct probe_case *c = &cases[i];
		struct sbiret probe = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, c->eid, 0, 0, 0);

		ret = sbi_call(c->eid, c->fid, c->a0, c->a1, 0, 0);
		if (probe.value)
			hvtest_check(ret.error != SBI_ERR_NOT_SUPPORTED, "sbi_base.probe_truthful",
				     "0x%lx is probed available but answers NOT_SUPPORTED", c->eid);
		else
			hvtest_check(ret.error == SBI_ERR_NOT_SUPPORTED, "sbi_base.probe_truthful",
				     "0x%lx is probed absent but answers %ld", c->eid, ret.error);
	}
	guest_putc('\n');
	hvtest_finish();
}
