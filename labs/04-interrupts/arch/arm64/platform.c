/*
 * platform.c - arm64 hooks for the core: the consoles, power-off, and what is read of
 * the device tree first.
 *
 * No firmware offers a console here. Until arch_early_init() has found the UART in the
 * device tree, what the hypervisor prints waits in early_buffer; the PL011 driver then
 * sends it and takes over.
 */
#include <arch.h>
#include <asm/psci.h>
#include <pl011.h>
#include <string.h>

#include "cpu.h"

const char arch_name[] = "arm64";
const char arch_cpu_hwid_name[] = "mpidr";

static char early_buffer[1024];
static unsigned int early_len;
static bool early_uart; /* the PL011 is found: write to it */

static void early_putc(char c)
{
	if (early_uart)
		pl011_putc(c);
	else if (early_len < sizeof(early_buffer))
		early_buffer[early_len++] = c;
}

static int early_getc(void)
{
	return early_uart ? pl011_getc() : -1;
}

static const struct console_driver early_console = {
	.name = "early",
	.putc = early_putc,
	.getc = early_getc,
};

const struct console_driver *arch_early_console(void)
{
	return &early_console;
}

const struct console_driver *arch_console(const struct machine *m)
{
	return strcmp(m->uart.compatible, "arm,pl011") ? NULL : pl011_console(m);
}

/* The UART, for the early console, and the PSCI conduit, for arch_poweroff(). */
void arch_early_init(const struct fdt *fdt)
{
	int psci = fdt_find_node(fdt, "/psci");
	const char *method = psci >= 0 ? fdt_prop_string(fdt, psci, "method") : NULL;
	const char *compatible;
	int uart = machine_find_uart(fdt, &compatible);
	u64 base, size;

	psci_set_conduit(method && !strcmp(method, "hvc"));
	if (uart < 0 || strcmp(compatible, "arm,pl011") || fdt_read_reg(fdt, uart, 0, &base, &size))
		return;
	pl011_init(base);
	early_uart = true;
	for (unsigned int i = 0; i < early_len; i++)
		pl011_putc(early_buffer[i]);
	early_len = 0;
}

/*
 * PSCI SYSTEM_OFF ends QEMU with status 0 whatever happened. A failure must reach the
 * grader as a failure status: semihosting's SYS_EXIT does that, when QEMU has it on.
 */
void arch_poweroff(bool failure)
{
	if (failure)
		arm64_semihosting_exit(1);
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfe");
}
