/* srst_failure.c - a shutdown with reason "system failure" reaches the grader as status 1. */
#include <hvtest.h>
#include <sbi.h>

int main(unsigned long hart, unsigned long dtb)
{
	struct sbiret ret;

	/* Reasons 2..0xEFFFFFFF are reserved (SBI spec 10.1): refused, the VM runs on. */
	ret = sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_SHUTDOWN, 2, 0, 0);
	hvtest_check(ret.error == SBI_ERR_INVALID_PARAM, "srst.reserved_reason", "error %ld",
		     ret.error);
	ret = sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, 7, 0, 0, 0);
	hvtest_check(ret.error == SBI_ERR_INVALID_PARAM, "srst.bad_type", "error %ld", ret.error);
	guest_puts("hvtest: srst shutting down with reason 1\n");
	sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_SHUTDOWN, SBI_SRST_REASON_FAILURE, 0, 0);
	hvtest_fail("srst.shutdown", "the shutdown call returned");
	hvtest_finish();
}
