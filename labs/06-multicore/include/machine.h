/* machine.h - what the hypervisor learned about the host machine from its device tree. */
#ifndef HVLAB_MACHINE_H
#define HVLAB_MACHINE_H

#include <asm/machine.h> /* struct arch_machine */
#include <fdt.h>
#include <types.h>

#define MACHINE_MAX_MEM	     8 /* RAM ranges */
#define MACHINE_MAX_RESERVED 16 /* firmware and other reserved ranges */
#define MACHINE_MAX_CPUS     8

struct mem_range {
	paddr_t base;
	u64 size;
};

struct machine {
	const char *model; /* "/model", or "unknown" */

	struct mem_range mem[MACHINE_MAX_MEM]; /* RAM, from the /memory nodes */
	int nr_mem;
	struct mem_range reserved[MACHINE_MAX_RESERVED]; /* /reserved-memory and /memreserve/ */
	int nr_reserved;

	/*
	 * The usable CPUs, from /cpus/cpu@N, by the hardware's id for them (the reg of
	 * their node: RISC-V hart ids, arm64 MPIDR affinities; arch_cpu_hwid_name says which).
	 */
	u64 cpu_hwids[MACHINE_MAX_CPUS];
	int nr_cpus;
	u64 boot_cpu_hwid; /* the one that runs hv_main() */
	u64 timer_hz; /* the CPUs' timer: RISC-V timebase-frequency, arm64 CNTFRQ_EL0 */

	struct { /* the hypervisor's console */
		const char *compatible; /* which UART: "ns16550a", "arm,pl011" */
		paddr_t base;
		u64 size;
		u32 irq;
		u32 reg_shift; /* ns16550: registers are 1 << reg_shift bytes apart */
		u32 reg_io_width;
	} uart;

	struct { /* the platform interrupt controller (RISC-V: the PLIC, arm64: the GIC) */
		paddr_t base;
		u64 size;
		u32 nr_irqs; /* interrupt numbers 1 .. nr_irqs exist */
	} intc;

	struct arch_machine arch; /* what only the architecture needs (asm/machine.h) */

	const char *bootargs; /* /chosen/bootargs, "" when absent */
	paddr_t initrd_start, initrd_end; /* /chosen/linux,initrd-*, both 0 when absent */
	const struct fdt *fdt; /* the device tree itself (blob, size), checked */
};

/*
 * Reads everything above from the device tree. Returns 0, or a negative errno after
 * describing the problem in 'why' (for example "/memory@80000000: reg has 12 bytes,
 * not a multiple of 16").
 */
int machine_parse(struct machine *m, const struct fdt *fdt, u64 boot_cpu_hwid, char *why,
		  size_t why_size);

/*
 * The console UART's node: the one /chosen/stdout-path names, else the first UART hvlab
 * has a driver for; *compatible says which kind. A negative errno when there is none.
 */
int machine_find_uart(const struct fdt *fdt, const char **compatible);

/* The part students write in lab 1: RAM ranges from the /memory nodes. */
int machine_parse_memory(struct machine *m, const struct fdt *fdt, char *why, size_t why_size);

u64 machine_ram_size(const struct machine *m);

/* The machine the hypervisor runs on, once machine_parse() has described it. */
extern const struct machine *host_machine;
void machine_print(const struct machine *m);

#endif
