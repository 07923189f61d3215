/*
 * undefined_injection.c - a system register the hypervisor traps but does not emulate is
 * an undefined instruction in the guest, as on a CPU without it (ESR_EL1.EC = 0, IL = 1,
 * ELR_EL1 at the instruction): ACTLR_EL1 (HCR_EL2.TACR) and the PMU (MDCR_EL2.TPM). The
 * debug registers, trapped too (MDCR_EL2.TDA), read as zero: a debug unit with nothing
 * enabled.
 */
#include <arm64.h>
#include <hvtest.h>

static bool undefined_at(unsigned long pc)
{
	return trap_seen.count == 1 && ESR_EC(trap_seen.cause) == EC_UNKNOWN &&
	       (trap_seen.cause & ESR_IL) && ESR_ISS(trap_seen.cause) == 0 && trap_seen.epc == pc;
}

int main(unsigned long cpu, unsigned long dtb)
{
	unsigned long pc, value = 0x1234;

	trap_expect();
	__asm__ volatile("adr %0, 1f\n1: mrs %1, actlr_el1" : "=&r"(pc), "+r"(value));
	hvtest_check(undefined_at(pc), "undefined_injection.actlr",
		     "traps %lu, ESR 0x%lx, ELR 0x%lx (MRS at 0x%lx)", trap_seen.count,
		     trap_seen.cause, trap_seen.epc, pc);

	trap_expect();
	__asm__ volatile("adr %0, 1f\n1: mrs %1, pmcr_el0" : "=&r"(pc), "+r"(value));
	hvtest_check(undefined_at(pc), "undefined_injection.pmu",
		     "traps %lu, ESR 0x%lx, ELR 0x%lx (MRS at 0x%lx)", trap_seen.count,
		     trap_seen.cause, trap_seen.epc, pc);

	trap_expect();
	__asm__ volatile("msr mdscr_el1, %0" : : "r"(0x8000UL)); /* MDE: ignored */
	value = read_sysreg(mdscr_el1);
	hvtest_check(trap_seen.count == 0 && value == 0, "undefined_injection.debug_regs_raz",
		     "traps %lu, MDSCR_EL1 reads 0x%lx", trap_seen.count, value);
	hvtest_finish();
}
