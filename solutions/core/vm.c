/* @since 2 */
/* vm.c - virtual machines: their memory, their vCPUs, and how they stop. */
#include <errno.h>
#include <console.h>
#include <page_alloc.h>
#include <printf.h>
#include <string.h>
#include <vm.h>
/* @since 3 begin */
#include <vdev.h>
/* @since 3 end */
/* @since 4 begin */
#include <irq.h>
#include <vintc.h>
/* @since 4 end */
/* @since 5 begin */
#include <console_mux.h>
#include <vuart.h>
/* @since 5 end */
/* @since 6 begin */
#include <percpu.h>
#include <smp.h>
/* @since 6 end */

/*
 * Without stage-2 translation (lab 2: hgatp.MODE = Bare) a guest-physical address is a
 * host-physical one, so a VM can only use host RAM at its own addresses ("identity").
 * Lab 3's stage-2 tables lift that (the "true ||" exists from lab 3 on).
 */
static const bool have_stage2 =
	/* @since 3 begin */
	true ||
	/* @since 3 end */
	false;

__printf(4, 5) static int vm_error(const struct vm *vm, char *why, size_t why_size, const char *fmt,
				   ...)
{
	size_t n = snprintf(why, why_size, "vm%d (%s): ", vm->id, vm->config->name);
	va_list ap;

	va_start(ap, fmt);
	if (n < why_size)
		vsnprintf(why + n, why_size - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int vm_setup_memory(struct vm *vm, char *why, size_t why_size)
{
	const struct vm_config *cfg = vm->config;

	for (int i = 0; i < cfg->nr_mem; i++) {
		const struct mem_range *r = &cfg->mem[i];
		struct vm_region *region = &vm->mem[vm->nr_mem];
		int err;

		if (!cfg->identity && !have_stage2)
			return vm_error(vm, why, why_size,
					"memory must be identity-mapped (GPA = HPA): stage-2 "
					"translation does not exist yet");
		region->gpa = r->base;
		if (cfg->identity) {
			err = page_alloc_reserve(r->base, r->size);
			if (err)
				return vm_error(
					vm, why, why_size,
					"memory 0x%lx-0x%lx is not free host RAM (%s): an "
					"identity-mapped VM needs RAM that nothing else uses",
					r->base, r->base + r->size,
					err == -EBUSY ? "some of it is in use" : "not RAM");
			region->hpa = r->base;
		}
		/* @since 3 begin */
		else {
			/* 2 MiB alignment where the GPA has it: stage-2 can use superpages. */
			u64 align = IS_ALIGNED(r->base, 2 * MiB) && r->size >= 2 * MiB ? 2 * MiB
										       : PAGE_SIZE;
			void *ram = page_alloc_range(r->size, align);

			if (!ram)
				return vm_error(vm, why, why_size,
						"not enough free host memory for %lu MiB of RAM",
						r->size / MiB);
			region->hpa = (paddr_t)(uintptr_t)ram;
		}
		/* @since 3 end */
		region->size = r->size;
		vm->nr_mem++;
	}
	return 0;
}

void *vm_gpa_to_hva(struct vm *vm, paddr_t gpa, u64 size)
{
	/* @lab 2 begin: Find the region of vm->mem[] that holds all of [gpa, gpa + size)
	 * (mind overflow: gpa + size may wrap) and return the host address behind gpa,
	 * region->hpa + (gpa - region->gpa). Anything else - a range outside every
	 * region, or straddling two - is NULL: the guest gave a bad address. */
	for (int i = 0; i < vm->nr_mem; i++) {
		const struct vm_region *r = &vm->mem[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size && size <= r->size - (gpa - r->gpa))
			return (void *)(uintptr_t)(r->hpa + (gpa - r->gpa));
	}
	return NULL;
	/* @lab 2 stub: return NULL; */
	/* @lab 2 end */
}

/* What vCPU 0 finds in its second argument register: its device tree, if it has one. */
static unsigned long vm_boot_arg(const struct vm_config *cfg)
{
	/* @since 4 begin */
	if (cfg->dtb)
		return cfg->dtb_gpa;
	/* @since 4 end */
	return 0;
}

/* Fresh RAM holding the image, and vCPU 0 about to execute it. */
static void vm_load(struct vm *vm)
{
	const struct vm_config *cfg = vm->config;
	bool restart;

	for (int i = 0; i < vm->nr_mem; i++)
		memset((void *)(uintptr_t)vm->mem[i].hpa, 0, vm->mem[i].size);
	memcpy(vm_gpa_to_hva(vm, cfg->kernel_gpa, cfg->kernel_size), cfg->kernel, cfg->kernel_size);
	/* @since 4 begin */
	if (cfg->dtb)
		memcpy(vm_gpa_to_hva(vm, cfg->dtb_gpa, cfg->dtb_size), cfg->dtb, cfg->dtb_size);
	/* @since 4 end */
	/* @since 3 begin */
	/* Its devices power on afresh too, and from lab 4 on so do its interrupts. */
	spin_lock(&vm->mmio.lock);
	/* @since 4 begin */
	irq_guest_reset(vm);
	/* @since 4 end */
	mmio_reset(&vm->mmio);
	spin_unlock(&vm->mmio.lock);
	/* @since 3 end */
	spin_lock(&vm->lock);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i].state = VCPU_STOPPED;
	/* From lab 6 on, another vCPU may have shut the VM down while it was reloaded. */
	restart = !vm_stopped(vm);
	if (restart)
		vm->state = VM_RUNNING;
	spin_unlock(&vm->lock);
	if (restart)
		vcpu_start(&vm->vcpus[0], cfg->entry, vm_boot_arg(cfg));
}

/* @since 3 begin */
static int vm_add_devices(struct vm *vm, char *why, size_t why_size)
{
	const struct vm_config *cfg = vm->config;

	for (int i = 0; i < cfg->nr_devices; i++) {
		const struct vm_device_config *dc = &cfg->devices[i];
		char detail[224] = "";
		int err;

		/* @since 4 begin */
		for (int j = 0; j < i && dc->irq; j++)
			if (cfg->devices[j].irq == dc->irq)
				return vm_error(vm, why, why_size,
						"device %s at 0x%lx: interrupt %u is device %s's "
						"already",
						dc->compatible, dc->base, dc->irq,
						cfg->devices[j].compatible);
		/* @since 4 end */
		err = vdev_create(vm, dc, detail, sizeof(detail));
		if (err)
			return vm_error(vm, why, why_size, "device %s at 0x%lx: %s", dc->compatible,
					dc->base, detail[0] ? detail : errno_name(err));
		printf("vm%d (%s): device %s at 0x%lx\n", vm->id, cfg->name, dc->compatible,
		       dc->base);
	}
	return 0;
}
/* @since 3 end */

/* @since 6 begin */
/* "vm0 (linux): vCPU 0 on CPU 0, vCPU 1 on CPU 1" */
static void vm_print_affinity(const struct vm *vm)
{
	char line[256];
	size_t n = snprintf(line, sizeof(line), "vm%d (%s):", vm->id, vm->config->name);

	for (unsigned int i = 0; i < vm->nr_vcpus && n < sizeof(line); i++)
		n += snprintf(line + n, sizeof(line) - n, "%s vCPU %u on CPU %u", i ? "," : "", i,
			      vm->vcpus[i].cpu);
	printf("%s\n", line);
}
/* @since 6 end */

int vm_create(struct vm *vm, int id, const struct vm_config *cfg, char *why, size_t why_size)
{
	int err;

	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	vm->config = cfg;
	vm->nr_vcpus = cfg->nr_vcpus;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].id = i;
		/* @since 6 begin */
		vm->vcpus[i].cpu = cfg->vcpu_cpu[i];
		/* @since 6 end */
	}
	if ((err = vm_setup_memory(vm, why, why_size)))
		return err;
	/* @since 3 begin */
	if ((err = arch_vm_init(vm, why, why_size)))
		return err;
	/* @since 3 end */
	/* @since 4 begin */
	if ((err = vintc_create(vm, why, why_size)))
		return err;
	/* @since 4 end */
	/* @since 3 begin */
	if ((err = vm_add_devices(vm, why, why_size)))
		return err;
	/* @since 3 end */
	if (!vm_gpa_to_hva(vm, cfg->kernel_gpa, cfg->kernel_size))
		return vm_error(vm, why, why_size,
				"vm_gpa_to_hva() finds no memory for the kernel at 0x%lx",
				cfg->kernel_gpa);
	vm_load(vm);
	printf("vm%d (%s): %u vCPU(s), %d memory region(s), entry 0x%lx\n", vm->id, cfg->name,
	       vm->nr_vcpus, vm->nr_mem, cfg->entry);
	/* @since 6 begin */
	vm_print_affinity(vm);
	/* @since 6 end */
	return 0;
}

/* Prints the VM's pending output; the caller holds vm->console_lock. */
static void vm_console_flush_locked(struct vm *vm)
{
	const char *label = NULL;

	/* @since 5 begin */
	if (vm->console_label[0])
		label = vm->console_label;
	/* @since 5 end */
	console_write_guest(vm->id, label, vm->console_line, vm->console_len);
	vm->console_len = 0;
}

void vm_console_flush(struct vm *vm)
{
	spin_lock(&vm->console_lock);
	vm_console_flush_locked(vm);
	spin_unlock(&vm->console_lock);
}

void vm_console_putc(struct vm *vm, char c)
{
	spin_lock(&vm->console_lock);
	vm->console_line[vm->console_len++] = c;
	if (c == '\n' || vm->console_len == sizeof(vm->console_line))
		vm_console_flush_locked(vm);
	spin_unlock(&vm->console_lock);
}

/* @since 5 begin */
void vm_console_input(struct vm *vm, char c)
{
	unsigned int tail;

	spin_lock(&vm->console_lock);
	if (vm->input_count == sizeof(vm->console_input)) {
		/* nobody reads it: drop what does not fit, as a full FIFO would */
		spin_unlock(&vm->console_lock);
		return;
	}
	tail = (vm->input_head + vm->input_count) % sizeof(vm->console_input);
	vm->console_input[tail] = c;
	vm->input_count++;
	spin_unlock(&vm->console_lock);
	if (vm->vuart) {
		spin_lock(&vm->mmio.lock);
		vuart_input_ready(vm->vuart);
		spin_unlock(&vm->mmio.lock);
	}
}
/* @since 5 end */

int vm_console_getc(struct vm *vm)
{
	/* @since 5 begin */
	if (console_mux_active()) {
		int c = -1;

		spin_lock(&vm->console_lock);
		if (vm->input_count) {
			c = (unsigned char)vm->console_input[vm->input_head];
			vm->input_head = (vm->input_head + 1) % sizeof(vm->console_input);
			vm->input_count--;
		}
		spin_unlock(&vm->console_lock);
		return c;
	}
	/* @since 5 end */
	return console_getc();
}

/* @since 6 begin */
/* Makes every other CPU look at its vCPUs again: some of them may have to stop. */
static void vm_kick_cpus(void)
{
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
		if (cpu != cpu_id())
			cpu_kick(cpu);
}

/*
 * Takes the VM's vCPUs off every other CPU: returns once none of them is in vcpu_run()
 * but the caller's own. Mail is handled meanwhile: those CPUs may be waiting for ours.
 */
static void vm_wait_vcpus_out(struct vm *vm)
{
	bool busy;

	vm_kick_cpus();
	do {
		cpu_msgs_handle();
		busy = false;
		for (unsigned int i = 0; i < vm->nr_vcpus; i++)
			if (vm->vcpus[i].cpu != cpu_id() &&
			    __atomic_load_n(&vm->vcpus[i].running, __ATOMIC_ACQUIRE))
				busy = true;
	} while (busy);
}

/* "vm0 (name): vCPU 1 ran on CPU 1, 1234 exits": where the scheduler really ran them. */
static void vm_print_placement(const struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		const struct vcpu *v = &vm->vcpus[i];
		char cpus[64] = "";
		size_t n = 0;

		for (unsigned int c = 0; c < CPU_MAX && n < sizeof(cpus); c++)
			if (v->ran_on & (1UL << c))
				n += snprintf(cpus + n, sizeof(cpus) - n, "%s%u", n ? " " : "", c);
		printf("vm%d (%s): vCPU %u ran on CPU %s, %lu exits\n", vm->id, vm->config->name, i,
		       n ? cpus : "none", v->exits);
	}
}
/* @since 6 end */

/*
 * Stops the VM and reports it ("vm0 (name): <what>"); false if it was stopped already
 * (one report per VM). It counts as stopped only once the report is out: the machine is
 * powered off when every VM has stopped, and the VM's last words must not be lost.
 */
__printf(3, 4) static bool vm_stop(struct vm *vm, int status, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	vm_console_flush(vm);
	spin_lock(&vm->lock);
	if (vm_stopped(vm)) {
		spin_unlock(&vm->lock);
		return false;
	}
	vm->state = VM_STOPPING;
	vm->exit_status = status;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i].state = VCPU_STOPPED;
	spin_unlock(&vm->lock);

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	printf("vm%d (%s): %s\n", vm->id, vm->config->name, what);
	/* @since 6 begin */
	vm_print_placement(vm);
	/* @since 6 end */
	__atomic_store_n(&vm->state, VM_STOPPED, __ATOMIC_RELEASE);
	/* @since 6 begin */
	vm_kick_cpus();
	/* @since 6 end */
	return true;
}

void vm_shutdown(struct vm *vm, int status)
{
	vm_stop(vm, status, "shutdown, status %d", status);
}

void vm_reboot(struct vm *vm)
{
	vm_console_flush(vm);
	/* @since 6 begin */
	/* Its other vCPUs may be running on other CPUs: get them out first. */
	spin_lock(&vm->lock);
	if (vm->state != VM_RUNNING) {
		spin_unlock(&vm->lock); /* stopped, or another vCPU reboots it already */
		return;
	}
	vm->state = VM_RESETTING;
	spin_unlock(&vm->lock);
	vm_wait_vcpus_out(vm);
	/* @since 6 end */
	printf("vm%d (%s): reboot\n", vm->id, vm->config->name);
	vm_load(vm);
}

void vm_crash(struct vm *vm, const char *fmt, ...)
{
	char why[224];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	vm_stop(vm, -1, "stopped by the hypervisor: %s", why);
}

/* @since 6 begin */
static struct vm *all_vms;
static int nr_all_vms;

/* What the other CPUs do once they are up: run their share of the vCPUs. */
static void vm_run_secondary(void)
{
	sched_run(all_vms, nr_all_vms);
}
/* @since 6 end */

bool vm_run_all(struct vm *vms, int nr_vms)
{
	bool all_ok = true;

	/* @since 6 begin */
	all_vms = vms;
	nr_all_vms = nr_vms;
	smp_start_secondaries(vm_run_secondary);
	/* @since 6 end */
	/*
	 * Until there is a timer (lab 4) nothing takes the CPU back from a guest, so each
	 * VM runs until it stops and then the next; from lab 4 on they take turns.
	 */
	sched_run(vms, nr_vms);
	for (int i = 0; i < nr_vms; i++)
		all_ok = all_ok && vms[i].exit_status == 0;
	return all_ok;
}
