/*
 * plic.c - the host PLIC (RISC-V PLIC Specification v1.0.0): one context per hart and
 * privilege; the hypervisor uses its hart's S-mode context. The context number is the
 * position of the (hart's interrupt controller, 9) pair in the node's
 * interrupts-extended list - 9 being the supervisor external interrupt (Privileged Spec,
 * section 3.1.9).
 */
#include <errno.h>
#include <irq.h>
#include <plic.h>
#include <printf.h>
#include <string.h>

#define PLIC_PRIORITY 0x000000
#define PLIC_ENABLE   0x002000
#define PLIC_CONTEXT  0x200000
#define IRQ_S_EXT     9

static volatile u32 *plic_base;
static u32 plic_context;
static u32 plic_ndev;

static inline volatile u32 *plic_reg(u64 offset)
{
	return (volatile u32 *)((volatile u8 *)plic_base + offset);
}

/* The hart id of the cpu node above interrupt-controller node `intc`. */
static int hart_of_intc(const struct fdt *fdt, int intc, u64 *hart)
{
	int cpu = fdt_parent(fdt, intc);
	u64 size;

	return cpu < 0 ? -ENOENT : fdt_read_reg(fdt, cpu, 0, hart, &size);
}

static int node_by_phandle(const struct fdt *fdt, u32 phandle)
{
	for (int node = 0; (node = fdt_next_node(fdt, node, NULL)) >= 0;) {
		u32 ph;

		if (fdt_prop_u32(fdt, node, "phandle", &ph) == 0 && ph == phandle)
			return node;
	}
	return -ENOENT;
}

static int find_context(const struct fdt *fdt, int plic, u32 hart, u32 *context)
{
	u32 len;
	const u8 *ext = fdt_prop(fdt, plic, "interrupts-extended", &len);

	for (u32 i = 0; ext && i + 8 <= len; i += 8) {
		u32 phandle = fdt32_to_cpu(ext + i), cause = fdt32_to_cpu(ext + i + 4);
		int intc = phandle == 0xffffffff ? -1 : node_by_phandle(fdt, phandle);
		u64 id;

		if (cause == IRQ_S_EXT && intc >= 0 && hart_of_intc(fdt, intc, &id) == 0 &&
		    id == hart) {
			*context = i / 8;
			return 0;
		}
	}
	return -ENODEV;
}

/* The PLIC that serves `hart`: a machine may have one per socket (QEMU's NUMA nodes). */
static int find_plic(const struct fdt *fdt, u32 hart, u32 *context)
{
	static const char *const compatibles[] = {"riscv,plic0", "sifive,plic-1.0.0"};

	for (unsigned int i = 0; i < ARRAY_SIZE(compatibles); i++)
		for (int node = -1; (node = fdt_find_compatible(fdt, node, compatibles[i])) >= 0;)
			if (find_context(fdt, node, hart, context) == 0)
				return node;
	return -ENODEV;
}

int plic_init(const struct machine *m, const struct fdt *fdt, u32 hart)
{
	int plic = find_plic(fdt, hart, &plic_context);
	u64 base, size;

	if (plic < 0 || fdt_read_reg(fdt, plic, 0, &base, &size) ||
	    fdt_prop_u32(fdt, plic, "riscv,ndev", &plic_ndev))
		return -ENODEV;
	plic_base = (volatile u32 *)(uintptr_t)base;
	*plic_reg(PLIC_CONTEXT + 0x1000 * plic_context) = 0; /* threshold */
	for (u32 irq = 1; irq <= plic_ndev; irq++) {
		*plic_reg(PLIC_PRIORITY + 4 * irq) = 1;
		plic_enable(irq, true);
	}
	printf("plic: hart %u uses context %u of the PLIC at 0x%lx, %u sources\n", hart,
	       plic_context, base, plic_ndev);
	return 0;
}

void plic_enable(u32 irq, bool on)
{
	volatile u32 *word = plic_reg(PLIC_ENABLE + 0x80 * plic_context + 4 * (irq / 32));

	if (irq == 0 || irq > plic_ndev)
		return;
	if (on)
		*word |= 1U << (irq % 32);
	else
		*word &= ~(1U << (irq % 32));
}

u32 plic_claim(void)
{
	return *plic_reg(PLIC_CONTEXT + 0x1000 * plic_context + 4);
}

void plic_complete(u32 irq)
{
	*plic_reg(PLIC_CONTEXT + 0x1000 * plic_context + 4) = irq;
}

const struct irq_chip plic_chip = {
	.name = "PLIC",
	.claim = plic_claim,
	.complete = plic_complete,
	.enable = plic_enable,
};
