/*
 * bench_sbi.c - instructions per SBI null call (BASE get_spec_version), counted with
 * rdinstret: under QEMU's -icount the count is exact and the same every run.
 */
#include <hvtest.h>
#include <sbi.h>

#define CALLS 1000

static unsigned long instret(void)
{
	unsigned long n;

	__asm__ volatile("rdinstret %0" : "=r"(n));
	return n;
}

int main(unsigned long hart, unsigned long dtb)
{
	unsigned long start, loop_only, with_calls;

	/* The loop's own cost, measured the same way, is taken off. */
	start = instret();
	for (int i = 0; i < CALLS; i++)
		__asm__ volatile("" ::: "memory");
	loop_only = instret() - start;

	start = instret();
	for (int i = 0; i < CALLS; i++)
		sbi_call(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0, 0);
	with_calls = instret() - start;

	guest_printf("bench: sbi_null_call %lu instructions per round trip (%d calls; exact only "
		     "under QEMU -icount, as make bench runs it)\n",
		     (with_calls - loop_only) / CALLS, CALLS);
	hvtest_finish();
}
