/* @since 4 */
/* plic.h - driver for the host's PLIC, the platform-level interrupt controller. */
#ifndef HVLAB_PLIC_H
#define HVLAB_PLIC_H

#include <fdt.h>
#include <irq.h>
#include <machine.h>

/*
 * Finds this hart's S-mode context in the PLIC's interrupts-extended (the firmware
 * keeps M-mode for itself), sets its threshold to 0 and every source's priority to 1,
 * enabled: any interrupt that arrives is seen, owned or not. 0, or -ENODEV.
 */
int plic_init(const struct machine *m, const struct fdt *fdt, u32 hart);

void plic_enable(u32 irq, bool on);
/* The highest-priority pending source, now in service; 0 when none. */
u32 plic_claim(void);
void plic_complete(u32 irq);

/* The three above, for irq.c (irq_init). */
extern const struct irq_chip plic_chip;

#endif
