/*
 * vintc.c - the RISC-V VM's interrupt controller: a virtual PLIC (vdev/vplic.c) where
 * QEMU's virt machine has its PLIC, with contexts as Linux expects them - two per hart,
 * M-mode then S-mode; only the S-mode ones reach the vCPU, as its VSEIP.
 */
#include <errno.h>
#include <irq.h>
#include <printf.h>
#include <vintc.h>
#include <vm.h>

/* The vPLIC tells the vCPU of an S-mode context (odd numbers) about its line. */
static void vplic_deliver(struct vplic *p, u32 context, bool asserted)
{
	struct vm *vm = p->owner;

	if (context % 2 == 1 && context / 2 < vm->nr_vcpus)
		vcpu_set_virq(&vm->vcpus[context / 2], VIRQ_EXT, asserted);
}

/* The guest completed `source`: a passed-through host interrupt may come again. */
static void vplic_completed(struct vplic *p, u32 source)
{
	irq_guest_completed(p->owner, source);
}

static int vplic_mmio_read(struct mmio_device *dev, u64 offset, unsigned int width, u64 *value)
{
	return vplic_read(dev->priv, offset, width, value);
}

static int vplic_mmio_write(struct mmio_device *dev, u64 offset, unsigned int width, u64 value)
{
	return vplic_write(dev->priv, offset, width, value);
}

static void vplic_mmio_reset(struct mmio_device *dev)
{
	vplic_reset(dev->priv);
}

int vintc_create(struct vm *vm, char *why, size_t why_size)
{
	struct vplic *p = &vm->arch.vplic;

	p->deliver = vplic_deliver;
	p->completed = vplic_completed;
	p->owner = vm;
	vplic_init(p, ARCH_VPLIC_SOURCES, 2 * vm->nr_vcpus);
	vm->arch.vplic_dev = (struct mmio_device){
		.name = "vplic",
		.base = ARCH_VPLIC_BASE,
		.size = VPLIC_SIZE,
		.read = vplic_mmio_read,
		.write = vplic_mmio_write,
		.reset = vplic_mmio_reset,
		.priv = p,
	};
	if (mmio_register(&vm->mmio, &vm->arch.vplic_dev)) {
		snprintf(why, why_size, "vm%d (%s): the virtual PLIC at 0x%lx overlaps a device",
			 vm->id, vm->config->name, ARCH_VPLIC_BASE);
		return -EINVAL;
	}
	return 0;
}

u32 vintc_nr_lines(const struct vm *vm)
{
	return vm->arch.vplic.nr_sources;
}

void vintc_set_level(struct vm *vm, u32 line, bool high)
{
	vplic_set_level(&vm->arch.vplic, line, high);
}
