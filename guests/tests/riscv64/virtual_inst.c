/*
 * virtual_inst.c - hypervisor CSRs do not exist for a guest: reading hstatus from
 * VS-mode raises a virtual-instruction exception in HS-mode, which the hypervisor must
 * turn into an illegal-instruction exception in the guest (what a hart without H would do).
 */
#include <hvtest.h>

int main(unsigned long hart, unsigned long dtb)
{
	unsigned long at, value = 0x1234;

	trap_expect();
	__asm__ volatile("la %0, 1f\n1: csrr %1, hstatus" : "=&r"(at), "+r"(value));
	if (hvtest_check(trap_seen.count == 1, "virtual_inst.trapped",
			 "the guest's handler ran %lu times (want 1)", trap_seen.count)) {
		hvtest_check(trap_seen.cause == 2 && trap_seen.epc == at,
			     "virtual_inst.illegal_injected",
			     "scause %lu at 0x%lx, want 2 (illegal instruction) at 0x%lx",
			     trap_seen.cause, trap_seen.epc, at);
		/* csrr rd, hstatus = 0x600 << 20 | rd << 7 | 0x2073 (Zicsr): any rd. */
		hvtest_check((trap_seen.tval & 0xfff0707f) == 0x60002073,
			     "virtual_inst.tval_is_instruction", "stval 0x%lx", trap_seen.tval);
	}
	hvtest_check(value == 0x1234, "virtual_inst.no_value", "csrr wrote 0x%lx", value);
	hvtest_finish();
}
