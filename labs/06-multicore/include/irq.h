/* irq.h - who owns each host interrupt: the hypervisor, a VM, or nobody. */
#ifndef HVLAB_IRQ_H
#define HVLAB_IRQ_H

#include <types.h>

#define IRQ_MAX 128

struct vm;

/* The hypervisor keeps irq for itself (its UART); handler runs for every one. */
int irq_reserve(u32 irq, void (*handler)(u32 irq));
/* A reserved irq gets a (new) handler; -EINVAL if the hypervisor does not own irq. */
int irq_set_handler(u32 irq, void (*handler)(u32 irq));
/* irq belongs to vm, which sees it as source virq of its virtual PLIC. -EBUSY if taken. */
int irq_assign(u32 irq, struct vm *vm, u32 virq);

/* Claims and dispatches every pending host interrupt (called on a supervisor external
 * interrupt). A VM's interrupt stays in service until the guest completes it. */
void irq_handle_pending(void);

/* The guest completed virq: the host source behind it may interrupt again. */
void irq_guest_completed(struct vm *vm, u32 virq);

#endif
