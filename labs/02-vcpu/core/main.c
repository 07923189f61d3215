/*
 * main.c - the hypervisor's boot flow, common to every architecture.
 *
 * The arch entry code (arch/<arch>/head.S) sets up a stack and the trap vector and calls
 * hv_main() with the boot CPU's id and the device tree the firmware handed over.
 */
#include <arch.h>
#include <errno.h>
#include <machine.h>
#include <page_alloc.h>
#include <panic.h>
#include <percpu.h>
#include <printf.h>
#include <selftest.h>
#include <version.h>
#include <bundle.h>
#include <vm.h>

#define FDT_MAX_SIZE (2 * MiB) /* a larger host device tree is surely corrupt */

/* Linker-script symbols: the first and the last byte (page-aligned) of the image. */
extern char _start_image[], _end_image[];

static struct machine machine;

/* A failed boot step: say which, and why. ENOSYS means a lab TODO is still open. */
static void __noreturn boot_failed(const char *step, int err, const char *why)
{
	fatal("%s: %s (%s)%s", step, why[0] ? why : "failed", errno_name(err),
	      err == -ENOSYS ? " - see its TODO" : "");
}

static void page_alloc_setup(const struct machine *m)
{
	struct page_exclusion excl[MACHINE_MAX_RESERVED + 3];
	int n = 0, err;

	for (int i = 0; i < m->nr_reserved; i++)
		excl[n++] = (struct page_exclusion){m->reserved[i].base, m->reserved[i].size,
						    "firmware"};
	excl[n++] = (struct page_exclusion){(paddr_t)(uintptr_t)_start_image,
					    (u64)(_end_image - _start_image), "hypervisor"};
	excl[n++] = (struct page_exclusion){(paddr_t)(uintptr_t)m->fdt->blob, m->fdt->size,
					    "device tree"};
	if (m->initrd_end > m->initrd_start)
		excl[n++] = (struct page_exclusion){m->initrd_start,
						    m->initrd_end - m->initrd_start, "initrd"};
	for (int i = 0; i < n; i++)
		printf("page allocator: excluding 0x%016lx-0x%016lx (%s)\n", excl[i].base,
		       excl[i].base + excl[i].size, excl[i].owner);

	if ((err = page_alloc_init(m, excl, n)))
		boot_failed("page allocator", err,
			    err == -ENOSYS
				    ? "page_alloc_init() in core/page_alloc.c is not written yet"
				    : "");
	printf("page allocator: %lu pages of RAM, %lu free (%lu KiB)\n", page_alloc_ram_pages(),
	       page_alloc_free_pages(), page_alloc_free_pages() * PAGE_SIZE / KiB);
}

/*
 * Creates the VMs the bundle describes and runs them; powers the machine off when the
 * last one has stopped. Returns only when there is no bundle.
 */
static void run_virtual_machines(const struct machine *m)
{
	static struct vm_config configs[VM_MAX];
	static struct vm vms[VM_MAX];
	char why[384] = "";
	int nr_vms, err;

	nr_vms = bundle_load(m, configs, VM_MAX, why, sizeof(why));
	if (nr_vms < 0)
		fatal("bundle: %s", why);
	if (nr_vms == 0)
		return;
	arch_virt_init();
	for (int i = 0; i < nr_vms; i++)
		if ((err = vm_create(&vms[i], i, &configs[i], why, sizeof(why))))
			fatal("%s", why);
	if (vm_run_all(vms, nr_vms)) {
		printf("hvlab: every virtual machine has shut down; powering off\n");
		arch_poweroff(false);
	}
	printf("hvlab: every virtual machine has stopped, not all with status 0; "
	       "powering off (failure)\n");
	arch_poweroff(true);
}

void hv_main(u64 boot_cpu_hwid, paddr_t fdt_addr)
{
	char why[320] = "";
	struct fdt fdt;
	int err;

	console_init(arch_early_console());
	printf("\nhvlab %s (%s) - a teaching hypervisor\n", HVLAB_VERSION, arch_name);
	printf("boot: %s %lu, device tree at 0x%lx\n", arch_cpu_hwid_name, boot_cpu_hwid, fdt_addr);

	if (fdt_open(&fdt, (const void *)(uintptr_t)fdt_addr, FDT_MAX_SIZE))
		fatal("device tree at 0x%lx is malformed: %s", fdt_addr, fdt.error);
	arch_early_init(&fdt);
	if ((err = machine_parse(&machine, &fdt, boot_cpu_hwid, why, sizeof(why))))
		boot_failed("device tree", err, why);

	cpus_init(&machine);

	/* From here on the hypervisor drives the UART itself. */
	if (!arch_console(&machine))
		fatal("device tree: the console is an %s UART at 0x%lx, which hvlab has no %s "
		      "driver for",
		      machine.uart.compatible, machine.uart.base, arch_name);
	console_init(arch_console(&machine));
	machine_print(&machine);

	if ((err = arch_check_virtualization(&machine, why, sizeof(why))))
		fatal("%s", why);

	page_alloc_setup(&machine);
	selftest_run(&machine);
	run_virtual_machines(&machine);

	printf("hvlab: no virtual machine to run; powering off\n");
	arch_poweroff(false);
}
