/*
 * isolation.c - run in two VMs at once (same guest addresses, different host memory):
 * each finds its RAM clean of the other's pattern, and host memory outside its RAM -
 * where the hypervisor lives - cannot be reached. The scenario asks the hypervisor to
 * inject such stray accesses (fault = "inject") as synchronous external aborts: the
 * guest's own data abort, which its handler (trap.c) records and steps over.
 */
#include <arm64.h>
#include <hvtest.h>

#define MARK_GPA       0x44f00000UL /* inside every VM's 16 MiB at 0x44000000 */
#define HYPERVISOR_HPA 0x40080000UL /* the hypervisor's image in host RAM */

/* ESR_EL1's ISS for a data abort (Arm ARM D17.2.37): write-not-read and the fault status. */
#define ESR_WNR	      (1UL << 6)
#define ESR_DFSC(esr) ((esr)&0x3f)
#define DFSC_SEA      0x10 /* synchronous external abort, not on a table walk */

/* Did the last access take exactly one synchronous external abort at FAR = addr? */
static bool external_abort(unsigned long addr, bool store)
{
	unsigned long esr = trap_seen.cause;

	return trap_seen.count == 1 && ESR_EC(esr) == EC_DABT_CUR && ESR_DFSC(esr) == DFSC_SEA &&
	       !!(esr & ESR_WNR) == store && trap_seen.tval == addr;
}

int main(unsigned long cpu, unsigned long dtb)
{
	volatile u64 *mark = (volatile u64 *)MARK_GPA;
	u64 seen = *mark;

	hvtest_check(seen == 0, "isolation.own_memory", "found 0x%lx: another VM's pattern",
		     (unsigned long)seen);
	*mark = 0x15015a7e15015a7eUL;
	hvtest_check(*mark == 0x15015a7e15015a7eUL, "isolation.write", "pattern did not stick");

	/*
	 * The MMU is off: this asks for guest-physical 0x40080000, where the hypervisor sits
	 * in host memory. This VM's stage-2 maps nothing there: no access, an abort instead.
	 */
	trap_expect();
	seen = *(volatile u64 *)HYPERVISOR_HPA;
	hvtest_check(external_abort(HYPERVISOR_HPA, false), "isolation.hypervisor_unreachable",
		     "a load from 0x%lx gave 0x%lx (traps %lu, ESR_EL1 0x%lx, FAR_EL1 0x%lx)",
		     HYPERVISOR_HPA, (unsigned long)seen, trap_seen.count, trap_seen.cause,
		     trap_seen.tval);
	trap_expect();
	*(volatile u64 *)HYPERVISOR_HPA = 0;
	hvtest_check(external_abort(HYPERVISOR_HPA, true), "isolation.store_refused",
		     "traps %lu, ESR_EL1 0x%lx, FAR_EL1 0x%lx", trap_seen.count, trap_seen.cause,
		     trap_seen.tval);
	hvtest_finish();
}
