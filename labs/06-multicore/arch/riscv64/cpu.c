/*
 * cpu.c - does this hart have the hypervisor extension?
 *
 * misa.H would say, but misa is an M-mode CSR that HS-mode cannot read. Two other
 * witnesses are at hand: the device tree's "riscv,isa" string for the hart, and the
 * hart itself - reading hstatus raises an illegal-instruction exception when H is
 * absent (RISC-V Privileged Spec v1.12, section 2.1: accessing a CSR that does not exist).
 */
#include <arch.h>
#include <asm/csr.h>
#include <errno.h>
#include <printf.h>
#include <string.h>

#include "cpu.h"

bool cpu_has_h;
volatile bool cpu_probe_active;
volatile bool cpu_probe_faulted;
volatile bool guest_access_active[CPU_MAX];
volatile bool guest_access_faulted[CPU_MAX];

/* True when the single-letter part of an ISA string ("rv64imafdch_zicsr...") holds 'h'. */
static bool isa_has_letter(const char *isa, char letter)
{
	if (!isa || strncmp(isa, "rv", 2))
		return false;
	isa += 2;
	while (*isa >= '0' && *isa <= '9')
		isa++;
	for (; *isa && *isa != '_'; isa++)
		if (*isa == letter)
			return true;
	return false;
}

bool isa_has_extension(const char *isa, const char *ext)
{
	size_t len = strlen(ext);

	/* Multi-letter extensions follow the single letters, each after an underscore. */
	for (const char *p = isa ? strchr(isa, '_') : NULL; p; p = strchr(p + 1, '_'))
		if (!strncmp(p + 1, ext, len) && (p[1 + len] == '_' || p[1 + len] == '\0'))
			return true;
	return false;
}

static bool hstatus_readable(void)
{
	cpu_probe_faulted = false;
	cpu_probe_active = true;
	(void)csr_read(hstatus);
	cpu_probe_active = false;
	return !cpu_probe_faulted;
}

int arch_check_virtualization(const struct machine *m, char *why, size_t why_size)
{
	bool listed = isa_has_letter(m->arch.isa, 'h');
	bool works = hstatus_readable();

	if (!works) {
		snprintf(why, why_size,
			 "this CPU has no RISC-V hypervisor (H) extension (riscv,isa = \"%s\"); "
			 "hvlab needs it: run QEMU with -cpu rv64 (H is on by default) or "
			 "-cpu rv64,h=true",
			 m->arch.isa ? m->arch.isa : "?");
		return -ENODEV;
	}
	if (!listed)
		printf("cpu: hstatus is readable although riscv,isa does not list 'h'\n");
	cpu_has_h = true;
	printf("cpu: RISC-V H extension present\n");
	return 0;
}

void arch_execute_illegal_instruction(void)
{
	/* An all-zero 32-bit word is defined to be illegal (Unprivileged Spec, section 1.5). */
	__asm__ volatile(".4byte 0");
}
