/*
 * bench_mmio.c - instructions per emulated MMIO load: LDR X of the test device's ID
 * register (at 0x0b000000), a stage-2 abort that the hypervisor decodes from ESR_EL2 and
 * hands to the device. Counted as bench_hvc.c counts.
 */
#include <arm64.h>
#include <hvtest.h>

#define LOADS 16384
#define NS_PER_TICK 16
#define TESTDEV_ID 0x0b000000UL

int main(unsigned long cpu, unsigned long dtb)
{
	volatile u64 *id = (volatile u64 *)TESTDEV_ID;
	u64 start, loop_only, with_loads, sum = 0;

	start = counter_now();
	for (int i = 0; i < LOADS; i++)
		__asm__ volatile("" ::: "memory");
	loop_only = counter_now() - start;

	start = counter_now();
	for (int i = 0; i < LOADS; i++)
		sum += *id;
	with_loads = counter_now() - start;

	hvtest_check(sum == LOADS * 0x5644545345545648UL, "bench_mmio.loads", "sum 0x%lx", sum);
	guest_printf("bench: mmio_load %lu instructions per emulated load (%d loads; exact only "
		     "under QEMU -icount, as make bench runs it)\n",
		     ((with_loads - loop_only) * NS_PER_TICK + LOADS / 2) / LOADS, LOADS);
	hvtest_finish();
}
