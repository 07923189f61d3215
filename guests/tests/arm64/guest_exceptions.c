/*
 * guest_exceptions.c - the guest's own exceptions stay the guest's: a breakpoint, an
 * undefined instruction, an alignment fault and a supervisor call are taken at EL1 by
 * its own vectors with the syndrome a CPU gives them (Arm ARM D17.2.37), and HCR_EL2
 * routes none of them to the hypervisor.
 */
#include <arm64.h>
#include <hvtest.h>

#define EC_SVC64 0x15
#define DFSC_ALIGNMENT 0x21
#define SCTLR_A (1UL << 1)

int main(unsigned long cpu, unsigned long dtb)
{
	unsigned long pc;
	static volatile u64 words[2];

	trap_expect();
	__asm__ volatile("adr %0, 1f\n1: brk #0x1234" : "=r"(pc));
	hvtest_check(trap_seen.count == 1 && ESR_EC(trap_seen.cause) == EC_BRK64 &&
			     ESR_ISS(trap_seen.cause) == 0x1234 && trap_seen.epc == pc,
		     "guest_exceptions.brk", "traps %lu, ESR 0x%lx, ELR 0x%lx (BRK at 0x%lx)",
		     trap_seen.count, trap_seen.cause, trap_seen.epc, pc);

	trap_expect();
	__asm__ volatile("adr %0, 1f\n1: udf #7" : "=r"(pc));
	hvtest_check(trap_seen.count == 1 && ESR_EC(trap_seen.cause) == EC_UNKNOWN &&
			     (trap_seen.cause & ESR_IL) && trap_seen.epc == pc,
		     "guest_exceptions.udf", "traps %lu, ESR 0x%lx, ELR 0x%lx (UDF at 0x%lx)",
		     trap_seen.count, trap_seen.cause, trap_seen.epc, pc);

	/* With alignment checking on (SCTLR_EL1.A), an unaligned load faults. */
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_A);
	isb();
	trap_expect();
	__asm__ volatile("adr %0, 1f\n1: ldr xzr, [%1]" : "=&r"(pc) : "r"((u8 *)words + 1)
			 : "memory");
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) & ~SCTLR_A);
	isb();
	hvtest_check(trap_seen.count == 1 && ESR_EC(trap_seen.cause) == EC_DABT_CUR &&
			     (trap_seen.cause & 0x3f) == DFSC_ALIGNMENT &&
			     trap_seen.tval == (unsigned long)((u8 *)words + 1) && trap_seen.epc == pc,
		     "guest_exceptions.alignment", "traps %lu, ESR 0x%lx, FAR 0x%lx",
		     trap_seen.count, trap_seen.cause, trap_seen.tval);

	/* SVC from EL1 is an exception to EL1 itself. */
	trap_expect();
	__asm__ volatile("adr %0, 1f\n1: svc #42" : "=r"(pc));
	hvtest_check(trap_seen.count == 1 && ESR_EC(trap_seen.cause) == EC_SVC64 &&
			     ESR_ISS(trap_seen.cause) == 42,
		     "guest_exceptions.svc", "traps %lu, ESR 0x%lx", trap_seen.count,
		     trap_seen.cause);
	hvtest_pass("guest_exceptions.survived");
	hvtest_finish();
}
