/*
 * passthrough.c - "hvlab,passthrough": a host device given to one VM. Its MMIO range is
 * mapped into the VM at the same address (stage-2, read/write), so the guest drives the
 * real registers without a trap; its interrupt is routed to the VM's virtual PLIC as the
 * same source number. The hypervisor's own devices, host RAM, and anything another VM
 * already has are refused.
 */
#include <errno.h>
#include <irq.h>
#include <page_alloc.h>
#include <printf.h>
#include <vdev.h>
#include <vm.h>

#define MAX_PASSTHROUGH 8

static struct mem_range given[MAX_PASSTHROUGH]; /* every range handed out so far */
static int nr_given;

static bool overlaps(paddr_t a, u64 asize, paddr_t b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

/* Devices that stay with the hypervisor or the firmware, on every arch: never given to a VM. */
static const struct {
	const char *compatible;
	const char *why;
} kept_devices[] = {
	{"ns16550a", "the hypervisor's console UART"},
	{"arm,pl011", "the hypervisor's console UART"},
	{"riscv,plic0", "a host PLIC"},
	{"sifive,plic-1.0.0", "a host PLIC"},
	{"riscv,clint0", "the firmware's CLINT"},
	{"sifive,clint0", "the firmware's CLINT"},
	{"sifive,test0", "QEMU's power-off device"},
	{"arm,gic-v3", "the host GIC"},
	{"arm,gic-v3-its", "the host GIC's ITS"},
};

/* Does [base, base + size) overlap a device the hypervisor keeps? Which, if so. */
static const char *kept_device_at(const struct machine *m, paddr_t base, u64 size)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(kept_devices); i++)
		for (int node = -1;
		     (node = fdt_find_compatible(m->fdt, node, kept_devices[i].compatible)) >= 0;)
			for (int r = 0;; r++) {
				u64 rbase, rsize;

				if (fdt_read_reg(m->fdt, node, r, &rbase, &rsize))
					break;
				if (overlaps(base, size, rbase, rsize))
					return kept_devices[i].why;
			}
	return NULL;
}

/* Is [base, base + size) something the hypervisor or another VM holds? Why, if so. */
static const char *range_taken(const struct machine *m, paddr_t base, u64 size)
{
	const char *kept = kept_device_at(m, base, size);

	if (kept)
		return kept;
	for (int i = 0; i < m->nr_mem; i++)
		if (overlaps(base, size, m->mem[i].base, m->mem[i].size))
			return "host RAM";
	for (int i = 0; i < nr_given; i++)
		if (overlaps(base, size, given[i].base, given[i].size))
			return "already given to a VM";
	return NULL;
}

int passthrough_create(struct vm *vm, const struct vm_device_config *dc, char *why, size_t why_size)
{
	const struct machine *m = host_machine;
	const char *taken;
	int err;

	if (!dc->size || !IS_ALIGNED(dc->base | dc->size, PAGE_SIZE)) {
		snprintf(why, why_size, "its range must be whole pages");
		return -EINVAL;
	}
	if ((taken = range_taken(m, dc->base, dc->size))) {
		snprintf(why, why_size, "0x%lx-0x%lx is %s", dc->base, dc->base + dc->size, taken);
		return -EBUSY;
	}
	if (dc->irq && dc->irq > m->intc.nr_irqs) {
		snprintf(why, why_size, "interrupt %u does not exist (%u sources)", dc->irq,
			 m->intc.nr_irqs);
		return -EINVAL;
	}
	if (nr_given == MAX_PASSTHROUGH) {
		snprintf(why, why_size, "more than %d passthrough devices", MAX_PASSTHROUGH);
		return -ENOSPC;
	}
	if (dc->irq && (err = irq_assign(dc->irq, vm, dc->irq))) {
		snprintf(why, why_size, "interrupt %u belongs to the hypervisor or another VM",
			 dc->irq);
		return err;
	}
	if ((err = arch_vm_map_device(vm, dc->base, dc->size))) {
		snprintf(why, why_size, "cannot map it (%s): does it overlap the VM's RAM?",
			 errno_name(err));
		return err;
	}
	given[nr_given++] = (struct mem_range){dc->base, dc->size};
	return 0;
}
