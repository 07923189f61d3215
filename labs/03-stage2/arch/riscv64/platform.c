/* platform.c - riscv64 hooks for the core: the consoles, interrupt numbers, power-off. */
#include <arch.h>
#include <asm/sbi.h>
#include <errno.h>
#include <ns16550.h>
#include <string.h>

#include "cpu.h"

const char arch_name[] = "riscv64";
const char arch_cpu_hwid_name[] = "hart";

/* The PLIC's binding: "interrupts" holds the source number, one cell. */
int arch_irq_parse(const struct fdt *fdt, int node, u32 *irq)
{
	return fdt_prop_u32(fdt, node, "interrupts", irq);
}


/* Until the UART driver runs, characters go out through OpenSBI's legacy console call. */
static const struct console_driver sbi_console = {
	.name = "sbi",
	.putc = sbi_legacy_putchar,
	.getc = sbi_legacy_getchar,
};

const struct console_driver *arch_early_console(void)
{
	return &sbi_console;
}

const struct console_driver *arch_console(const struct machine *m)
{
	return strcmp(m->uart.compatible, "ns16550a") ? NULL : ns16550_console(m);
}

paddr_t riscv_finisher_base;

/*
 * QEMU's test finisher: writing 0x3333 | code << 16 ends QEMU with exit status 'code'
 * (hw/misc/sifive_test.c). OpenSBI uses it for SRST too, but for a "system failure"
 * shutdown it writes code 0, so QEMU would exit with success; the hypervisor therefore
 * reports a failure through the device itself when the machine has one.
 */
#define FINISHER_FAIL	   0x3333
#define FINISHER_EXIT_CODE 1

void arch_poweroff(bool failure)
{
	if (failure && riscv_finisher_base) {
		volatile u32 *finisher = (volatile u32 *)(uintptr_t)riscv_finisher_base;

		*finisher = FINISHER_FAIL | FINISHER_EXIT_CODE << 16;
	}
	sbi_system_shutdown(failure);
}
