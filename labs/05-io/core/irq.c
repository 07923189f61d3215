/*
 * irq.c - routing host interrupts. Each interrupt of the host's controller is free, the
 * hypervisor's, or assigned to one VM. A VM's interrupt is passed on as a level on a line
 * of its virtual interrupt controller, and the host interrupt stays claimed (in service)
 * until the guest completes the virtual one: a level-triggered device that is still
 * asserting would otherwise interrupt again at once. An interrupt nobody owns is reported
 * once and masked.
 *
 * The routes are set up while the VMs are created, before other CPUs start, and only
 * read afterwards. Host interrupts go to the boot CPU alone (the controller is set up to
 * send them there), so irq_handle_pending() runs there.
 */
#include <errno.h>
#include <irq.h>
#include <printf.h>
#include <vintc.h>
#include <vm.h>

struct irq_route {
	enum { IRQ_FREE, IRQ_HYPERVISOR, IRQ_GUEST } owner;
	void (*handler)(u32 irq);
	struct vm *vm;
	u32 virq;
	bool in_service; /* a VM's: claimed on the host, the guest has not completed it yet */
};

static struct irq_route routes[IRQ_MAX];
static const struct irq_chip *chip;

void irq_init(const struct irq_chip *c)
{
	chip = c;
}

int irq_reserve(u32 irq, void (*handler)(u32 irq))
{
	if (irq == 0 || irq >= IRQ_MAX || routes[irq].owner != IRQ_FREE)
		return -EBUSY;
	routes[irq] = (struct irq_route){.owner = IRQ_HYPERVISOR, .handler = handler};
	return 0;
}

int irq_set_handler(u32 irq, void (*handler)(u32 irq))
{
	if (irq == 0 || irq >= IRQ_MAX || routes[irq].owner != IRQ_HYPERVISOR)
		return -EINVAL;
	routes[irq].handler = handler;
	return 0;
}

int irq_assign(u32 irq, struct vm *vm, u32 virq)
{
	if (irq == 0 || irq >= IRQ_MAX)
		return -EINVAL;
	if (routes[irq].owner != IRQ_FREE)
		return -EBUSY;
	routes[irq] = (struct irq_route){.owner = IRQ_GUEST, .vm = vm, .virq = virq};
	return 0;
}

void irq_handle_pending(void)
{
	u32 irq;

	while ((irq = chip->claim()) != 0) {
		struct irq_route *r = irq < IRQ_MAX ? &routes[irq] : NULL;

		if (r && r->owner == IRQ_GUEST && !vm_stopped(r->vm)) {
			/* The VM's interrupt controller is one of its devices. */
			spin_lock(&r->vm->mmio.lock);
			r->in_service = true;
			vintc_set_level(r->vm, r->virq, true);
			spin_unlock(&r->vm->mmio.lock);
			continue; /* completed when the guest completes it */
		}
		if (r && r->owner == IRQ_HYPERVISOR) {
			if (r->handler)
				r->handler(irq);
		} else {
			printf("irq: host interrupt %u has no owner (or its VM has stopped); "
			       "masking it\n",
			       irq);
			chip->enable(irq, false);
		}
		chip->complete(irq);
	}
}

/* Ends the host service of a VM's interrupt; the caller holds the VM's mmio.lock. */
static void irq_guest_release(u32 irq)
{
	struct irq_route *r = &routes[irq];

	/* The device's line is the host's to watch again: lower the copy. */
	vintc_set_level(r->vm, r->virq, false);
	if (r->in_service) {
		r->in_service = false;
		chip->complete(irq);
	}
}

/* Called by the VM's interrupt controller, with the VM's mmio.lock held. */
void irq_guest_completed(struct vm *vm, u32 virq)
{
	for (u32 irq = 1; irq < IRQ_MAX; irq++)
		if (routes[irq].owner == IRQ_GUEST && routes[irq].vm == vm &&
		    routes[irq].virq == virq)
			irq_guest_release(irq);
}

void irq_guest_reset(struct vm *vm)
{
	for (u32 irq = 1; irq < IRQ_MAX; irq++)
		if (routes[irq].owner == IRQ_GUEST && routes[irq].vm == vm)
			irq_guest_release(irq);
}
