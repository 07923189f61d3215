/* sbi_unknown.c - calls nobody implements answer SBI_ERR_NOT_SUPPORTED, and nothing breaks. */
#include <hvtest.h>
#include <sbi.h>

int main(unsigned long hart, unsigned long dtb)
{
	static const unsigned long nobody[] = { 0x0A000000, 0x0FFFFFFF, 0x7FFFFFFF, 0x12345678 };
	struct sbiret ret;

	for (unsigned int i = 0; i < ARRAY_SIZE(nobody); i++) {
		ret = sbi_call(nobody[i], 0, 1, 2, 3, 4);
		hvtest_check(ret.error == SBI_ERR_NOT_SUPPORTED, "sbi_unknown.extension",
			     "extension 0x%lx answered %ld", nobody[i], ret.error);
	}
	/* A known extension, an unknown function. */
	ret = sbi_call(SBI_EXT_BASE, 0x7fff, 0, 0, 0, 0);
	hvtest_check(ret.error == SBI_ERR_NOT_SUPPORTED, "sbi_unknown.function",
		     "base function 0x7fff answered %ld", ret.error);
	ret = sbi_call(SBI_EXT_DBCN, 0x100, 0, 0, 0, 0);
	hvtest_check(ret.error == SBI_ERR_NOT_SUPPORTED, "sbi_unknown.function",
		     "DBCN function 0x100 answered %ld", ret.error);
	/* A DBCN write from outside the VM's memory is refused, not performed. */
	ret = sbi_call(SBI_EXT_DBCN, SBI_DBCN_WRITE, 16, 0x1000, 0, 0);
	hvtest_check(ret.error == SBI_ERR_INVALID_PARAM, "sbi_unknown.dbcn_bad_address",
		     "DBCN write from 0x1000 answered %ld (want INVALID_PARAM)", ret.error);
	ret = sbi_call(SBI_EXT_DBCN, SBI_DBCN_WRITE, 16, 0x84000000, 1, 0);
	hvtest_check(ret.error == SBI_ERR_INVALID_PARAM, "sbi_unknown.dbcn_bad_address",
		     "DBCN write with base_addr_hi = 1 answered %ld", ret.error);
	ret = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 0, 0, 0, 0);
	hvtest_check(ret.error == SBI_SUCCESS && ret.value == SBI_HSM_STARTED,
		     "sbi_unknown.hsm_own_status", "error %ld, status %ld", ret.error, ret.value);
	ret = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 99, 0, 0, 0);
	hvtest_check(ret.error == SBI_ERR_INVALID_PARAM, "sbi_unknown.hsm_bad_hart",
		     "hart 99: error %ld", ret.error);
	hvtest_finish();
}
