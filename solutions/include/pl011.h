/* pl011.h - driver for the Arm PL011 UART, the console of QEMU's arm64 virt machine. */
#ifndef HVLAB_PL011_H
#define HVLAB_PL011_H

#include <console.h>
#include <machine.h>

/* Drives the PL011 at base from now on (and turns it on, if nothing has). */
void pl011_init(paddr_t base);
void pl011_putc(char c);
int pl011_getc(void);

/* The console driver for the machine's UART, m->uart. */
const struct console_driver *pl011_console(const struct machine *m);

#endif
