/*
 * spinner.c - computes without ever giving the hart back: five ticks of about 30 ms of
 * busy work each. Two spinners in two VMs on one hart only interleave their ticks if the
 * hypervisor preempts them.
 */
#include <hvtest.h>
#include <rv.h>

int main(unsigned long hart, unsigned long dtb)
{
	for (int tick = 1; tick <= 5; tick++) {
		unsigned long start = rdtime();

		while (rdtime() - start < 30 * TICKS_PER_MS)
			__asm__ volatile("" ::: "memory");
		guest_printf("hvtest: spinner tick %d\n", tick);
	}
	hvtest_finish();
}
