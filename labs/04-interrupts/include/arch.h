/* arch.h - the hooks each architecture provides to the arch-neutral core. */
#ifndef HVLAB_ARCH_H
#define HVLAB_ARCH_H

#include <console.h>
#include <fdt.h>
#include <machine.h>
#include <types.h>

/* "riscv64", "arm64", ... */
extern const char arch_name[];
/* What the architecture calls a CPU's hardware id: "hart" (RISC-V), "mpidr" (arm64). */
extern const char arch_cpu_hwid_name[];

/* The firmware's console, used until the hypervisor's own UART driver is up. */
const struct console_driver *arch_early_console(void);
/* The console UART's driver (m->uart), or NULL when the arch has none for that UART. */
const struct console_driver *arch_console(const struct machine *m);

/*
 * Called once the device tree is known to be well-formed, before anything can fail:
 * finds what arch_poweroff() needs to report a failure.
 */
void arch_early_init(const struct fdt *fdt);

/*
 * The host interrupt number of the first entry of node's "interrupts", as the interrupt
 * controller's binding encodes it (RISC-V PLIC: one cell; arm64 GIC: type, number,
 * flags). 0, or -ENOENT / -EINVAL.
 */
int arch_irq_parse(const struct fdt *fdt, int node, u32 *irq);

/* Adds the CPUs and the interrupt controller to m; errors as machine_parse(). */
int arch_machine_parse(struct machine *m, const struct fdt *fdt, char *why, size_t why_size);

/*
 * Checks that this CPU can host virtual machines (RISC-V: the H extension). Returns 0,
 * or -ENODEV after writing what is missing and how to get it into 'why'.
 */
int arch_check_virtualization(const struct machine *m, char *why, size_t why_size);

/* Executes an instruction that does not exist, for the trap-report self-test. */
void arch_execute_illegal_instruction(void);

/* Prepares this hart to run guests (RISC-V: delegation, counters, hgatp). */
void arch_virt_init(void);

/* Brings up the host interrupt controller and the hart's timer. */
int arch_interrupts_init(const struct machine *m, const struct fdt *fdt, char *why,
			 size_t why_size);

/* Turns the machine off; 'failure' makes QEMU exit with a non-zero status. */
void __noreturn arch_poweroff(bool failure);

#endif
