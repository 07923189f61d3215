/*
 * isolation.c - run in two VMs at once (same guest addresses, different host memory):
 * each finds its RAM clean of the other's pattern, and host memory outside its RAM -
 * where the hypervisor lives - cannot be reached (the scenario injects access faults).
 */
#include <hvtest.h>

#define MARK_GPA 0x84f00000UL /* inside every VM's 16 MiB at 0x84000000 */
#define HYPERVISOR_HPA 0x80200000UL

int main(unsigned long hart, unsigned long dtb)
{
	volatile u64 *mark = (volatile u64 *)MARK_GPA;
	u64 seen = *mark;

	hvtest_check(seen == 0, "isolation.own_memory", "found 0x%lx: another VM's pattern",
		     (unsigned long)seen);
	*mark = 0x15015a7e15015a7eUL;
	hvtest_check(*mark == 0x15015a7e15015a7eUL, "isolation.write", "pattern did not stick");

	trap_expect();
	seen = *(volatile u64 *)HYPERVISOR_HPA;
	hvtest_check(trap_seen.count == 1 && trap_seen.cause == 5, "isolation.hypervisor_unreachable",
		     "a load from 0x%lx gave 0x%lx (traps %lu, cause %lu)", HYPERVISOR_HPA,
		     (unsigned long)seen, trap_seen.count, trap_seen.cause);
	trap_expect();
	*(volatile u64 *)HYPERVISOR_HPA = 0;
	hvtest_check(trap_seen.count == 1 && trap_seen.cause == 7, "isolation.store_refused",
		     "traps %lu, cause %lu", trap_seen.count, trap_seen.cause);
	hvtest_finish();
}
