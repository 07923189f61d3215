/* vm.c - virtual machines: their memory, their vCPUs, and how they stop. */
#include <errno.h>
#include <console.h>
#include <page_alloc.h>
#include <printf.h>
#include <string.h>
#include <vm.h>
#include <vdev.h>
#include <irq.h>
#include <vintc.h>

/*
 * Without stage-2 translation (lab 2: hgatp.MODE = Bare) a guest-physical address is a
 * host-physical one, so a VM can only use host RAM at its own addresses ("identity").
 * Lab 3's stage-2 tables lift that (the "true ||" exists from lab 3 on).
 */
static const bool have_stage2 =
	true ||
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
		region->size = r->size;
		vm->nr_mem++;
	}
	return 0;
}

void *vm_gpa_to_hva(struct vm *vm, paddr_t gpa, u64 size)
{
	for (int i = 0; i < vm->nr_mem; i++) {
		const struct vm_region *r = &vm->mem[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size && size <= r->size - (gpa - r->gpa))
			return (void *)(uintptr_t)(r->hpa + (gpa - r->gpa));
	}
	return NULL;
}

/* What vCPU 0 finds in its second argument register: its device tree, if it has one. */
static unsigned long vm_boot_arg(const struct vm_config *cfg)
{
	if (cfg->dtb)
		return cfg->dtb_gpa;
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
	if (cfg->dtb)
		memcpy(vm_gpa_to_hva(vm, cfg->dtb_gpa, cfg->dtb_size), cfg->dtb, cfg->dtb_size);
	/* Its devices power on afresh too, and from lab 4 on so do its interrupts. */
	spin_lock(&vm->mmio.lock);
	irq_guest_reset(vm);
	mmio_reset(&vm->mmio);
	spin_unlock(&vm->mmio.lock);
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

static int vm_add_devices(struct vm *vm, char *why, size_t why_size)
{
	const struct vm_config *cfg = vm->config;

	for (int i = 0; i < cfg->nr_devices; i++) {
		const struct vm_device_config *dc = &cfg->devices[i];
		char detail[224] = "";
		int err;

		for (int j = 0; j < i && dc->irq; j++)
			if (cfg->devices[j].irq == dc->irq)
				return vm_error(vm, why, why_size,
						"device %s at 0x%lx: interrupt %u is device %s's "
						"already",
						dc->compatible, dc->base, dc->irq,
						cfg->devices[j].compatible);
		err = vdev_create(vm, dc, detail, sizeof(detail));
		if (err)
			return vm_error(vm, why, why_size, "device %s at 0x%lx: %s", dc->compatible,
					dc->base, detail[0] ? detail : errno_name(err));
		printf("vm%d (%s): device %s at 0x%lx\n", vm->id, cfg->name, dc->compatible,
		       dc->base);
	}
	return 0;
}


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
	}
	if ((err = vm_setup_memory(vm, why, why_size)))
		return err;
	if ((err = arch_vm_init(vm, why, why_size)))
		return err;
	if ((err = vintc_create(vm, why, why_size)))
		return err;
	if ((err = vm_add_devices(vm, why, why_size)))
		return err;
	if (!vm_gpa_to_hva(vm, cfg->kernel_gpa, cfg->kernel_size))
		return vm_error(vm, why, why_size,
				"vm_gpa_to_hva() finds no memory for the kernel at 0x%lx",
				cfg->kernel_gpa);
	vm_load(vm);
	printf("vm%d (%s): %u vCPU(s), %d memory region(s), entry 0x%lx\n", vm->id, cfg->name,
	       vm->nr_vcpus, vm->nr_mem, cfg->entry);
	return 0;
}

/* Prints the VM's pending output; the caller holds vm->console_lock. */
static void vm_console_flush_locked(struct vm *vm)
{
	const char *label = NULL;

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


int vm_console_getc(struct vm *vm)
{
	return console_getc();
}


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
	__atomic_store_n(&vm->state, VM_STOPPED, __ATOMIC_RELEASE);
	return true;
}

void vm_shutdown(struct vm *vm, int status)
{
	vm_stop(vm, status, "shutdown, status %d", status);
}

void vm_reboot(struct vm *vm)
{
	vm_console_flush(vm);
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


bool vm_run_all(struct vm *vms, int nr_vms)
{
	bool all_ok = true;

	/*
	 * Until there is a timer (lab 4) nothing takes the CPU back from a guest, so each
	 * VM runs until it stops and then the next; from lab 4 on they take turns.
	 */
	sched_run(vms, nr_vms);
	for (int i = 0; i < nr_vms; i++)
		all_ok = all_ok && vms[i].exit_status == 0;
	return all_ok;
}
