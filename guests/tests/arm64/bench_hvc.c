/*
 * bench_hvc.c - instructions per hypervisor call round trip (HVC #0, PSCI_VERSION),
 * counted with the virtual counter: under QEMU's -icount shift=0 every instruction is one
 * nanosecond, and CNTVCT (62.5 MHz) ticks once every 16, the same on every run. Enough
 * calls make the 16-instruction grain vanish from the average.
 */
#include <arm64.h>
#include <hvtest.h>

#define CALLS 16384
#define NS_PER_TICK 16 /* 1 GHz of instructions / 62.5 MHz (CNTFRQ_EL0) */

int main(unsigned long cpu, unsigned long dtb)
{
	u64 start, loop_only, with_calls;

	/* The loop's own cost, measured the same way, is taken off. */
	start = counter_now();
	for (int i = 0; i < CALLS; i++)
		__asm__ volatile("" ::: "memory");
	loop_only = counter_now() - start;

	start = counter_now();
	for (int i = 0; i < CALLS; i++)
		smccc_hvc(PSCI_VERSION, 0, 0, 0);
	with_calls = counter_now() - start;

	guest_printf("bench: hvc_null_call %lu instructions per round trip (%d calls; exact only "
		     "under QEMU -icount, as make bench runs it)\n",
		     ((with_calls - loop_only) * NS_PER_TICK + CALLS / 2) / CALLS, CALLS);
	hvtest_finish();
}
