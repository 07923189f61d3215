/*
 * srst_failure.c - a shutdown with reason "system failure" reaches the grader as status 1.
 * SRST's arguments are uint32_t (SBI spec 10.1): bits above 31 must not change a thing.
 */
#include <hvtest.h>
#include <sbi.h>

#define UPPER_BITS (0xa5a5a5a5UL << 32)

int main(unsigned long hart, unsigned long dtb)
{
	struct sbiret ret;

	/* Reasons 2..0xEFFFFFFF are reserved (SBI spec 10.1): refused, the VM runs on. */
	ret = sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_SHUTDOWN, 2, 0, 0);
	hvtest_check(ret.error == SBI_ERR_INVALID_PARAM, "srst.reserved_reason", "error %ld",
		     ret.error);
	ret = sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, 7, 0, 0, 0);
	hvtest_check(ret.error == SBI_ERR_INVALID_PARAM, "srst.bad_type", "error %ld", ret.error);
	/* A reserved reason stays reserved whatever the upper bits say. */
	ret = sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_SHUTDOWN, UPPER_BITS | 2, 0, 0);
	hvtest_check(ret.error == SBI_ERR_INVALID_PARAM, "srst.upper_bits_reason",
		     "reason 0x%lx: error %ld", UPPER_BITS | 2, ret.error);
	/* And a valid type and reason stay valid: this shuts down with status 1. */
	guest_puts("hvtest: srst shutting down with reason 1 (upper bits set)\n");
	sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, UPPER_BITS | SBI_SRST_SHUTDOWN,
		 UPPER_BITS | SBI_SRST_REASON_FAILURE, 0, 0);
	hvtest_fail("srst.shutdown", "the shutdown call with upper bits set returned");
	hvtest_finish();
}
