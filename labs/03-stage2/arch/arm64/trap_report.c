/*
 * trap_report.c - turn an exception taken to EL2 into a report a person can act on.
 * Exception classes and syndromes: Arm ARM D17.2.37 (ESR_EL2), its "ISS encoding"
 * sections for aborts; fault status codes: the DFSC/IFSC tables there.
 */
#include <asm/sysreg.h>
#include <asm/trap.h>
#include <printf.h>

static const char *const ec_names[64] = {
	[EC_UNKNOWN] = "unknown reason",
	[EC_WFX] = "trapped WFI or WFE",
	[0x03] = "trapped AArch32 MCR or MRC (coproc 15)",
	[0x04] = "trapped AArch32 MCRR or MRRC (coproc 15)",
	[0x05] = "trapped AArch32 MCR or MRC (coproc 14)",
	[0x06] = "trapped AArch32 LDC or STC",
	[EC_FP_ASIMD] = "trapped FP or Advanced SIMD access",
	[0x0c] = "trapped AArch32 MRRC (coproc 14)",
	[EC_ILLEGAL_STATE] = "illegal execution state",
	[0x11] = "SVC from AArch32",
	[0x12] = "HVC from AArch32",
	[0x13] = "SMC from AArch32",
	[EC_SVC64] = "SVC from AArch64",
	[EC_HVC64] = "HVC from AArch64",
	[EC_SMC64] = "SMC from AArch64",
	[EC_SYS64] = "trapped MSR, MRS or system instruction",
	[0x19] = "trapped SVE access",
	[EC_IABT_LOW] = "instruction abort from a lower EL",
	[EC_IABT_CUR] = "instruction abort from EL2",
	[EC_PC_ALIGN] = "PC alignment fault",
	[EC_DABT_LOW] = "data abort from a lower EL",
	[EC_DABT_CUR] = "data abort from EL2",
	[EC_SP_ALIGN] = "SP alignment fault",
	[0x28] = "floating-point exception from AArch32",
	[0x2c] = "floating-point exception from AArch64",
	[EC_SERROR] = "SError interrupt",
	[0x30] = "breakpoint from a lower EL",
	[0x31] = "breakpoint from EL2",
	[0x32] = "software step from a lower EL",
	[0x33] = "software step from EL2",
	[0x34] = "watchpoint from a lower EL",
	[0x35] = "watchpoint from EL2",
	[0x38] = "BKPT from AArch32",
	[EC_BRK64] = "BRK from AArch64",
};

const char *trap_ec_name(unsigned int ec)
{
	return ec < 64 && ec_names[ec] ? ec_names[ec] : "unknown exception class";
}

/* A data or instruction fault status code (DFSC/IFSC), with its level where it has one. */
static void fault_status_name(unsigned int fsc, char *buf, size_t size)
{
	static const char *const by_level[] = {"address size fault", "translation fault",
					       "access flag fault", "permission fault"};

	if (fsc < 0x10)
		snprintf(buf, size, "%s, level %u", by_level[fsc >> 2], fsc & 3);
	else if (fsc == FSC_SEA)
		snprintf(buf, size, "synchronous external abort");
	else if (fsc >= 0x14 && fsc <= 0x17)
		snprintf(buf, size, "synchronous external abort on a table walk, level %u",
			 fsc & 3);
	else if (fsc == 0x21)
		snprintf(buf, size, "alignment fault");
	else if (fsc == 0x30)
		snprintf(buf, size, "TLB conflict abort");
	else
		snprintf(buf, size, "fault status 0x%x", fsc);
}

void trap_iss_describe(u64 esr, char *buf, size_t size)
{
	unsigned int ec = ESR_EC(esr);
	char fsc[64];
	size_t n;

	if (ec != EC_DABT_LOW && ec != EC_DABT_CUR && ec != EC_IABT_LOW && ec != EC_IABT_CUR) {
		snprintf(buf, size, "ISS 0x%07lx", ESR_ISS(esr));
		return;
	}
	fault_status_name(ESR_FSC(esr), fsc, sizeof(fsc));
	n = snprintf(buf, size, "ISS 0x%07lx: %s, S1PTW %d", ESR_ISS(esr), fsc,
		     !!(esr & ESR_S1PTW));
	if (ec == EC_DABT_LOW || ec == EC_DABT_CUR)
		n += snprintf(buf + n, n < size ? size - n : 0, ", WnR %d, ISV %d",
			      !!(esr & ESR_WNR), !!(esr & ESR_ISV));
	if ((ec == EC_DABT_LOW || ec == EC_DABT_CUR) && (esr & ESR_ISV))
		snprintf(buf + n, n < size ? size - n : 0, " (SAS %lu, SSE %d, SRT %lu, SF %d)",
			 ESR_SAS(esr), !!(esr & ESR_SSE), ESR_SRT(esr), !!(esr & ESR_SF));
}

void trap_report(const struct trap_frame *tf)
{
	static const char *const types[] = {"synchronous exception", "IRQ", "FIQ", "SError"};
	unsigned int ec = ESR_EC(tf->esr);
	char iss[160];

	printf("\n=== trap report: unexpected %s at EL2 ===\n", types[tf->kind & 3]);
	printf("esr     0x%016lx (EC 0x%02x: %s)\n", tf->esr, ec, trap_ec_name(ec));
	trap_iss_describe(tf->esr, iss, sizeof(iss));
	printf("        %s\n", iss);
	printf("elr     0x%016lx  far     0x%016lx\n", tf->elr, tf->far);
	printf("spsr    0x%016lx  hpfar   0x%016lx\n", tf->spsr, tf->hpfar);
	for (int i = 0; i < 32; i++) {
		static const char *const special[] = {"x29/fp", "x30/lr", "sp"};
		char name[12];

		if (i < 29)
			snprintf(name, sizeof(name), "x%d", i);
		else
			snprintf(name, sizeof(name), "%s", special[i - 29]);
		printf("%-8s 0x%016lx%s", name, i < 31 ? tf->x[i] : tf->sp,
		       i % 3 == 2 || i == 31 ? "\n" : "  ");
	}
	printf("=== end of trap report ===\n");
}
