/* ns16550.h - driver for the 16550-compatible UART that is the hypervisor's console. */
#ifndef HVLAB_NS16550_H
#define HVLAB_NS16550_H

#include <console.h>
#include <machine.h>

/* Binds the driver to the UART described in m->uart and returns its console. */
const struct console_driver *ns16550_console(const struct machine *m);

#endif
