/* irq.h - who owns each host interrupt: the hypervisor, a VM, or nobody. */
#ifndef HVLAB_IRQ_H
#define HVLAB_IRQ_H

#include <asm/irq.h> /* IRQ_MAX: the host controller's interrupt numbers are below it */
#include <types.h>

struct vm;

/*
 * The host's interrupt controller (RISC-V: the PLIC; arm64: the GICv3), as the routing
 * below drives it. claim() returns the next pending interrupt, now in service, or 0;
 * complete() ends its service; enable() masks or unmasks one.
 */
struct irq_chip {
	const char *name;
	u32 (*claim)(void);
	void (*complete)(u32 irq);
	void (*enable)(u32 irq, bool on);
};

/* The arch's interrupt bring-up hands over its controller. */
void irq_init(const struct irq_chip *chip);

/* The hypervisor keeps irq for itself (its UART); handler runs for every one. */
int irq_reserve(u32 irq, void (*handler)(u32 irq));
/* irq belongs to vm, which sees it as line virq of its interrupt controller. -EBUSY if taken. */
int irq_assign(u32 irq, struct vm *vm, u32 virq);

/* Claims and dispatches every pending host interrupt (called on a supervisor external
 * interrupt). A VM's interrupt stays in service until the guest completes it. */
void irq_handle_pending(void);

/* The guest completed virq: the host source behind it may interrupt again. */
void irq_guest_completed(struct vm *vm, u32 virq);

/*
 * The VM reboots: every host interrupt of its that waits for the guest's completion is
 * completed now (the new guest knows nothing of it) and its line lowered. The caller
 * holds vm->mmio.lock.
 */
void irq_guest_reset(struct vm *vm);

#endif
