/* machine.h - what the hypervisor learned about the host machine from its device tree. */
#ifndef HVLAB_MACHINE_H
#define HVLAB_MACHINE_H

#include <fdt.h>
#include <types.h>

#define MACHINE_MAX_MEM	     8 /* RAM ranges */
#define MACHINE_MAX_RESERVED 16 /* firmware and other reserved ranges */
#define MACHINE_MAX_HARTS    8

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

	u32 hart_ids[MACHINE_MAX_HARTS]; /* usable harts, from /cpus/cpu@N */
	int nr_harts;
	u32 boot_hart;
	u64 timebase_hz; /* /cpus/timebase-frequency */
	const char *isa; /* riscv,isa of the boot hart */

	struct { /* the hypervisor's console, an ns16550 UART */
		paddr_t base;
		u64 size;
		u32 irq;
		u32 reg_shift;
		u32 reg_io_width;
	} uart;

	struct { /* the platform interrupt controller */
		paddr_t base;
		u64 size;
		u32 ndev; /* number of interrupt sources */
	} intc;

	const char *bootargs; /* /chosen/bootargs, "" when absent */
	paddr_t initrd_start, initrd_end; /* /chosen/linux,initrd-*, both 0 when absent */
	const struct fdt *fdt; /* the device tree itself (blob, size), checked */
};

/*
 * Reads everything above from the device tree. Returns 0, or a negative errno after
 * describing the problem in 'why' (for example "/memory@80000000: reg has 12 bytes,
 * not a multiple of 16").
 */
int machine_parse(struct machine *m, const struct fdt *fdt, u32 boot_hart, char *why,
		  size_t why_size);

/* The part students write in lab 1: RAM ranges from the /memory nodes. */
int machine_parse_memory(struct machine *m, const struct fdt *fdt, char *why, size_t why_size);

u64 machine_ram_size(const struct machine *m);

/* The machine the hypervisor runs on, once machine_parse() has described it. */
extern const struct machine *host_machine;
void machine_print(const struct machine *m);

#endif
