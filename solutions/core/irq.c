/* @since 4 */
/*
 * irq.c - routing host interrupts. Each PLIC source is free, the hypervisor's, or
 * assigned to one VM. A VM's source is passed on as a level on its virtual PLIC, and the
 * host source stays claimed (in service) until the guest completes the virtual one: a
 * level-triggered device that is still asserting would otherwise interrupt again at once.
 * An interrupt nobody owns is reported once and masked.
 *
 * The routes are set up while the VMs are created, before other CPUs start, and only
 * read afterwards. Host interrupts go to the boot CPU alone (the PLIC enables them for
 * its context only), so irq_handle_pending() runs there.
 */
#include <errno.h>
#include <irq.h>
#include <plic.h>
#include <printf.h>
#include <vm.h>

struct irq_route {
	enum { IRQ_FREE, IRQ_HYPERVISOR, IRQ_GUEST } owner;
	void (*handler)(u32 irq);
	struct vm *vm;
	u32 virq;
};

static struct irq_route routes[IRQ_MAX];

int irq_reserve(u32 irq, void (*handler)(u32 irq))
{
	if (irq == 0 || irq >= IRQ_MAX || routes[irq].owner != IRQ_FREE)
		return -EBUSY;
	routes[irq] = (struct irq_route){IRQ_HYPERVISOR, handler, NULL, 0};
	return 0;
}

/* @since 5 begin */
int irq_set_handler(u32 irq, void (*handler)(u32 irq))
{
	if (irq == 0 || irq >= IRQ_MAX || routes[irq].owner != IRQ_HYPERVISOR)
		return -EINVAL;
	routes[irq].handler = handler;
	return 0;
}
/* @since 5 end */

int irq_assign(u32 irq, struct vm *vm, u32 virq)
{
	if (irq == 0 || irq >= IRQ_MAX)
		return -EINVAL;
	if (routes[irq].owner != IRQ_FREE)
		return -EBUSY;
	routes[irq] = (struct irq_route){IRQ_GUEST, NULL, vm, virq};
	return 0;
}

void irq_handle_pending(void)
{
	u32 irq;

	while ((irq = plic_claim()) != 0) {
		struct irq_route *r = irq < IRQ_MAX ? &routes[irq] : NULL;

		if (r && r->owner == IRQ_GUEST && !vm_stopped(r->vm)) {
			spin_lock(&r->vm->mmio.lock); /* the vPLIC is one of the VM's devices */
			vplic_set_level(&r->vm->vplic, r->virq, true);
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
			plic_enable(irq, false);
		}
		plic_complete(irq);
	}
}

/* Called by the vPLIC, with the VM's device lock (vm->mmio.lock) held. */
void irq_guest_completed(struct vm *vm, u32 virq)
{
	for (u32 irq = 1; irq < IRQ_MAX; irq++)
		if (routes[irq].owner == IRQ_GUEST && routes[irq].vm == vm &&
		    routes[irq].virq == virq) {
			/* The device's line is the host's to watch again: lower the copy. */
			vplic_set_level(&vm->vplic, virq, false);
			plic_complete(irq);
		}
}
