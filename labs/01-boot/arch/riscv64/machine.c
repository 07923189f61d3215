/*
 * machine.c - the RISC-V parts of the host description: harts and the PLIC.
 * Bindings: Linux's Documentation/devicetree/bindings/riscv/cpus.yaml and
 * interrupt-controller/sifive,plic-1.0.0.yaml.
 */
#include <arch.h>
#include <errno.h>
#include <printf.h>
#include <string.h>

#include "cpu.h"

static bool node_enabled(const struct fdt *fdt, int node)
{
	const char *status = fdt_prop_string(fdt, node, "status");

	return !status || !strcmp(status, "okay") || !strcmp(status, "ok");
}

static int parse_harts(struct machine *m, const struct fdt *fdt, char *why, size_t why_size)
{
	int cpus = fdt_find_node(fdt, "/cpus");
	u32 tb;

	if (cpus < 0) {
		snprintf(why, why_size, "no /cpus node");
		return -EINVAL;
	}
	if (fdt_prop_u32(fdt, cpus, "timebase-frequency", &tb) || tb == 0) {
		snprintf(why, why_size, "/cpus: missing or malformed timebase-frequency");
		return -EINVAL;
	}
	m->timer_hz = tb;

	for (int node = fdt_first_child(fdt, cpus); node >= 0; node = fdt_next_sibling(fdt, node)) {
		const char *type = fdt_prop_string(fdt, node, "device_type");
		u64 hartid, unused;

		if (!type || strcmp(type, "cpu") || !node_enabled(fdt, node))
			continue;
		if (fdt_read_reg(fdt, node, 0, &hartid, &unused)) {
			snprintf(why, why_size, "/cpus/%s: missing or malformed reg (the hart id)",
				 fdt_node_name(fdt, node));
			return -EINVAL;
		}
		if (m->nr_cpus == MACHINE_MAX_CPUS) {
			printf("machine: more than %d harts; using the first %d\n",
			       MACHINE_MAX_CPUS, MACHINE_MAX_CPUS);
			break;
		}
		m->cpu_hwids[m->nr_cpus++] = hartid;
		if (hartid == m->boot_cpu_hwid || !m->arch.isa)
			m->arch.isa = fdt_prop_string(fdt, node, "riscv,isa");
	}
	if (m->nr_cpus == 0) {
		snprintf(why, why_size, "/cpus: no usable cpu node");
		return -EINVAL;
	}
	return 0;
}

static int parse_plic(struct machine *m, const struct fdt *fdt, char *why, size_t why_size)
{
	int node = fdt_find_compatible(fdt, -1, "riscv,plic0");

	if (node < 0)
		node = fdt_find_compatible(fdt, -1, "sifive,plic-1.0.0");
	if (node < 0) {
		snprintf(why, why_size, "no PLIC (compatible \"riscv,plic0\")");
		return -ENODEV;
	}
	if (fdt_read_reg(fdt, node, 0, &m->intc.base, &m->intc.size) ||
	    fdt_prop_u32(fdt, node, "riscv,ndev", &m->intc.nr_irqs)) {
		snprintf(why, why_size, "/%s: missing or malformed reg or riscv,ndev",
			 fdt_node_name(fdt, node));
		return -EINVAL;
	}
	return 0;
}

/* QEMU's test finisher ("sifive,test0"), if the machine has one: see platform.c. */
void arch_early_init(const struct fdt *fdt)
{
	int node = fdt_find_compatible(fdt, -1, "sifive,test0");
	u64 base, size;

	if (node >= 0 && fdt_read_reg(fdt, node, 0, &base, &size) == 0)
		riscv_finisher_base = base;
}

int arch_machine_parse(struct machine *m, const struct fdt *fdt, char *why, size_t why_size)
{
	int err = parse_harts(m, fdt, why, why_size);

	return err ? err : parse_plic(m, fdt, why, why_size);
}
