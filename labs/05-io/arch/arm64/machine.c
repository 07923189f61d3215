/*
 * machine.c - the arm64 parts of the host description: CPUs, the timer's frequency, the
 * GICv3 and the interrupt numbers of its binding, and the PSCI conduit.
 * Bindings: Linux's Documentation/devicetree/bindings/arm/cpus.yaml, arm/psci.yaml,
 * timer/arm,arch_timer.yaml and interrupt-controller/arm,gic-v3.yaml.
 */
#include <arch.h>
#include <asm/sysreg.h>
#include <errno.h>
#include <printf.h>
#include <string.h>

#include "cpu.h"

#define GICD_TYPER    0x0004 /* ITLinesNumber in bits 4:0 (GICv3 spec, 12.9.38) */
#define GIC_MAX_INTID 1019 /* 1020-1023 are special (GICv3 spec, 2.2) */

static bool node_enabled(const struct fdt *fdt, int node)
{
	const char *status = fdt_prop_string(fdt, node, "status");

	return !status || !strcmp(status, "okay") || !strcmp(status, "ok");
}

/* Every enabled /cpus/cpu@N: its reg is the MPIDR's affinity fields. */
static int parse_cpus(struct machine *m, const struct fdt *fdt, char *why, size_t why_size)
{
	int cpus = fdt_find_node(fdt, "/cpus");

	if (cpus < 0) {
		snprintf(why, why_size, "no /cpus node");
		return -EINVAL;
	}
	for (int node = fdt_first_child(fdt, cpus); node >= 0; node = fdt_next_sibling(fdt, node)) {
		const char *type = fdt_prop_string(fdt, node, "device_type");
		u64 mpidr, unused;

		if (!type || strcmp(type, "cpu") || !node_enabled(fdt, node))
			continue;
		if (fdt_read_reg(fdt, node, 0, &mpidr, &unused)) {
			snprintf(why, why_size, "/cpus/%s: missing or malformed reg (the MPIDR)",
				 fdt_node_name(fdt, node));
			return -EINVAL;
		}
		if (m->nr_cpus == MACHINE_MAX_CPUS) {
			printf("machine: more than %d CPUs; using the first %d\n", MACHINE_MAX_CPUS,
			       MACHINE_MAX_CPUS);
			break;
		}
		m->cpu_hwids[m->nr_cpus++] = mpidr & MPIDR_HWID_MASK;
	}
	if (m->nr_cpus == 0) {
		snprintf(why, why_size, "/cpus: no usable cpu node");
		return -EINVAL;
	}
	return 0;
}

/*
 * The generic timer's frequency: the /timer node's clock-frequency where firmware did
 * not program CNTFRQ_EL0 (the binding discourages it), else CNTFRQ_EL0 itself.
 */
static int parse_timer(struct machine *m, const struct fdt *fdt, char *why, size_t why_size)
{
	int node = fdt_find_compatible(fdt, -1, "arm,armv8-timer");
	u32 hz;

	if (node >= 0 && fdt_prop_u32(fdt, node, "clock-frequency", &hz) == 0)
		m->timer_hz = hz;
	else
		m->timer_hz = read_sysreg(cntfrq_el0);
	if (m->timer_hz == 0) {
		snprintf(why, why_size,
			 "the generic timer's frequency is unknown (CNTFRQ_EL0 = 0)");
		return -EINVAL;
	}
	return 0;
}

/* The GICv3: distributor first in reg, then the redistributor region. */
static int parse_gic(struct machine *m, const struct fdt *fdt, char *why, size_t why_size)
{
	int node = fdt_find_compatible(fdt, -1, "arm,gic-v3");
	u32 typer;

	if (node < 0) {
		snprintf(why, why_size,
			 "no GICv3 (compatible \"arm,gic-v3\"): run QEMU with "
			 "-M virt,gic-version=3");
		return -ENODEV;
	}
	if (fdt_read_reg(fdt, node, 0, &m->intc.base, &m->intc.size) ||
	    fdt_read_reg(fdt, node, 1, &m->arch.gicr_base, &m->arch.gicr_size)) {
		snprintf(why, why_size,
			 "/%s: missing or malformed reg (distributor, redistributors)",
			 fdt_node_name(fdt, node));
		return -EINVAL;
	}
	/* The distributor says how many interrupt ids it implements: 32 * (N + 1). */
	typer = *(volatile u32 *)(uintptr_t)(m->intc.base + GICD_TYPER);
	m->intc.nr_irqs = MIN(32 * ((typer & 0x1f) + 1) - 1, GIC_MAX_INTID);
	return 0;
}

/* The GIC's binding: three cells, the type (0 SPI, 1 PPI), the number, the flags. */
int arch_irq_parse(const struct fdt *fdt, int node, u32 *irq)
{
	u32 len;
	const u8 *cells = fdt_prop(fdt, node, "interrupts", &len);

	if (!cells)
		return -ENOENT;
	if (len < 12)
		return -EINVAL;
	*irq = fdt32_to_cpu(cells + 4) + (fdt32_to_cpu(cells) == 1 ? 16 : 32);
	return 0;
}

int arch_machine_parse(struct machine *m, const struct fdt *fdt, char *why, size_t why_size)
{
	int err = parse_cpus(m, fdt, why, why_size);

	if (!err)
		err = parse_timer(m, fdt, why, why_size);
	if (!err)
		err = parse_gic(m, fdt, why, why_size);
	return err;
}
