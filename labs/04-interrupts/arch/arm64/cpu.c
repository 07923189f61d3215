/*
 * cpu.c - can this CPU host virtual machines, and what if it cannot.
 *
 * A hypervisor on arm64 runs at EL2: CurrentEL says whether QEMU entered the image there
 * (head.S boots at EL1 too, up to this check). ID_AA64PFR0_EL1.EL2 says whether EL2
 * exists at all, ID_AA64MMFR0_EL1 how many physical address bits stage-2 translation may
 * produce (Arm ARM D17.2.63/65).
 */
#include <arch.h>
#include <asm/sysreg.h>
#include <errno.h>
#include <printf.h>

#include "cpu.h"

volatile bool cpu_probe_active[CPU_MAX];
volatile bool cpu_probe_faulted[CPU_MAX];

/* PARange (ID_AA64MMFR0_EL1 bits 3:0) in bits. */
static const unsigned int parange_bits[] = {32, 36, 40, 42, 44, 48, 52};

int arch_check_virtualization(const struct machine *m, char *why, size_t why_size)
{
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1), mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	u64 parange = mmfr0 & ID_AA64MMFR0_PARANGE_MASK;
	unsigned int pa_bits = parange < ARRAY_SIZE(parange_bits) ? parange_bits[parange] : 0;

	/* QEMU enters at EL2 only with virtualization=on (and then its PSCI is SMC). */
	if (read_sysreg(CurrentEL) != CURRENTEL_EL2) {
		snprintf(
			why, why_size,
			"QEMU started hvlab at EL%lu, not at EL2: a hypervisor needs EL2; run QEMU "
			"with -M virt,virtualization=on",
			read_sysreg(CurrentEL) >> 2);
		return -ENODEV;
	}
	if (((pfr0 >> ID_AA64PFR0_EL2_SHIFT) & 0xf) == 0) {
		snprintf(why, why_size,
			 "this CPU has no EL2 (ID_AA64PFR0_EL1 = 0x%lx): hvlab needs the "
			 "virtualization extensions; run QEMU with -M virt,virtualization=on",
			 pfr0);
		return -ENODEV;
	}
	/* Stage-2 tables here translate 40-bit guest-physical addresses (stage2.c). */
	if (pa_bits < 40) {
		snprintf(why, why_size,
			 "this CPU has %u physical address bits; hvlab's stage-2 tables need 40",
			 pa_bits);
		return -ENODEV;
	}
	printf("cpu: arm64 at EL2, MIDR 0x%lx, %u-bit physical addresses, %u-bit VMIDs\n",
	       read_sysreg(midr_el1), pa_bits,
	       ((read_sysreg(id_aa64mmfr1_el1) >> ID_AA64MMFR1_VMIDBITS_SHIFT) & 0xf) == 2 ? 16
											   : 8);
	return 0;
}

void arch_execute_illegal_instruction(void)
{
	/* UDF: permanently undefined (Arm ARM C6.2.335). */
	__asm__ volatile("udf #0");
}

void arm64_semihosting_exit(u64 status)
{
	/*
	 * Semihosting for AArch32 and AArch64 (Arm IHI 0027), SYS_EXIT (0x18): x1 points at
	 * {ADP_Stopped_ApplicationExit, status}; HLT #0xF000 calls the debugger - QEMU,
	 * with -semihosting-config enable=on. Without it HLT is undefined: the probe (at
	 * EL2, trap.c; at EL1, head.S's el1_probe_vectors) skips it and we return.
	 */
	u64 block[2] = {0x20026, status};
	register u64 x0 __asm__("x0") = 0x18;
	register u64 x1 __asm__("x1") = (u64)(uintptr_t)block;
	bool at_el2 = read_sysreg(CurrentEL) == CURRENTEL_EL2;

	if (at_el2)
		cpu_probe_active[cpu_id()] = true;
	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "x17", "memory");
	if (at_el2)
		cpu_probe_active[cpu_id()] = false;
}
