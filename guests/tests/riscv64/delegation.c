/*
 * delegation.c - exceptions a guest handles itself reach its own handler directly
 * (hedeleg): breakpoint, illegal instruction, misaligned AMO. The hypervisor would stop
 * the VM if they came to it instead.
 */
#include <hvtest.h>

static void expect_trap(const char *name, unsigned long cause, unsigned long epc,
			unsigned long tval, bool check_tval)
{
	if (!hvtest_check(trap_seen.count == 1, name, "the handler ran %lu times (want 1)",
			  trap_seen.count))
		return;
	if (trap_seen.cause != cause || trap_seen.epc != epc) {
		hvtest_fail(name, "scause %lu at 0x%lx, want %lu at 0x%lx", trap_seen.cause,
			    trap_seen.epc, cause, epc);
		return;
	}
	if (check_tval && trap_seen.tval != tval)
		hvtest_fail(name, "stval 0x%lx, want 0x%lx", trap_seen.tval, tval);
}

int main(unsigned long hart, unsigned long dtb)
{
	static u64 words[2];
	unsigned long at;

	trap_expect();
	__asm__ volatile("la %0, 1f\n1: ebreak" : "=r"(at));
	expect_trap("delegation.breakpoint", 3, at, 0, false);

	trap_expect();
	__asm__ volatile("la %0, 1f\n1: .4byte 0xffffffff" : "=r"(at));
	expect_trap("delegation.illegal_instruction", 2, at, 0, false);

	/*
	 * AMOs must be naturally aligned (Unprivileged Spec 9.4): this one is not. The spec
	 * calls it a store/AMO misaligned exception (6); QEMU 7.2 raises the load
	 * misaligned one (4) for the AMO's read. Either is the guest's to handle.
	 */
	trap_expect();
	{
		unsigned long addr = (unsigned long)words + 1, old;

		__asm__ volatile("la %0, 1f\n1: amoadd.w %1, zero, (%2)"
				 : "=&r"(at), "=r"(old)
				 : "r"(addr)
				 : "memory");
		expect_trap("delegation.misaligned_amo", trap_seen.cause == 4 ? 4 : 6, at, addr,
			    true);
	}
	hvtest_pass("delegation.survived");
	hvtest_finish();
}
