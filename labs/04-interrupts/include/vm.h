/* vm.h - virtual machines: memory, vCPUs, lifecycle. */
#ifndef HVLAB_VM_H
#define HVLAB_VM_H

#include <bundle.h>
#include <spinlock.h>
#include <vcpu.h>
#include <asm/vm.h>
#include <mmio.h>

/* A region of guest RAM and the host memory behind it. */
struct vm_region {
	paddr_t gpa;
	u64 size;
	paddr_t hpa;
};

enum vm_state {
	VM_RUNNING,
	VM_STOPPING, /* its vCPUs have stopped; the hypervisor is reporting why */
	VM_STOPPED, /* shut down by the guest, or stopped by the hypervisor */
};

struct vm {
	int id;
	const struct vm_config *config;
	/*
	 * Guards the VM's and its vCPUs' state when another CPU may change it at the same
	 * time (from lab 6 on: SBI HSM, a vCPU stopping the VM while another runs).
	 */
	spinlock_t lock;
	enum vm_state state;
	int exit_status; /* the SRST reason, or -1 when the hypervisor stopped it */
	struct vm_region mem[VM_MAX_REGIONS];
	int nr_mem;
	struct vcpu vcpus[VM_MAX_VCPUS];
	unsigned int nr_vcpus;
	spinlock_t console_lock; /* console_line and console_input */
	char console_line[128]; /* the guest's output, printed a whole line at a time */
	unsigned int console_len;
	struct mmio_bus mmio; /* the emulated devices in the VM's address space */
	struct arch_vm arch;
};

/* Stopped, or being stopped: it will never run again. */
static inline bool vm_stopped(const struct vm *vm)
{
	return vm->state == VM_STOPPING || vm->state == VM_STOPPED;
}

/* Builds the VM's address space: stage-2 tables for its RAM, a VMID (arch code). */
int arch_vm_init(struct vm *vm, char *why, size_t why_size);

/*
 * What arch_vm_init() does on every arch (core/vm_stage2.c): gives vm a VMID (0 when the
 * CPU has no VMID bits), builds the tables s2 for its RAM and prints them. 0; -ENOSYS
 * when the lab's stage-2 code is not written yet but vm may run identity-mapped without
 * translation; another negative errno after describing the problem in 'why'.
 */
int vm_stage2_setup(struct vm *vm, struct stage2 *s2, unsigned int vmid_bits, unsigned int *vmid,
		    char *why, size_t why_size);
/* The lowest VMID no VM has yet, now taken; -ENOSPC when none of 2^vmid_bits is left. */
int vmid_alloc(unsigned int vmid_bits);

/* Maps a host device's MMIO range into the VM at the same address (passthrough). */
int arch_vm_map_device(struct vm *vm, paddr_t base, u64 size);

/* What a guest's remote fence asks for (SBI RFENCE): its instruction cache, or its TLB. */
enum vm_fence {
	VM_FENCE_I, /* FENCE.I */
	VM_FENCE_VMA, /* SFENCE.VMA of every address space */
	VM_FENCE_VMA_ASID, /* SFENCE.VMA of one ASID */
};

/* Does the fence on this CPU, for vm's translations (not only while vm runs here). */
void arch_vm_fence(struct vm *vm, enum vm_fence kind, unsigned long asid);

/* Builds VM 'id' from its configuration: memory, image, vCPU 0 ready at the entry. */
int vm_create(struct vm *vm, int id, const struct vm_config *cfg, char *why, size_t why_size);

/*
 * The host address of guest-physical [gpa, gpa + size), or NULL unless all of it lies
 * in one RAM region of the VM. Everything the hypervisor reads or writes on a guest's
 * behalf goes through here.
 */
void *vm_gpa_to_hva(struct vm *vm, paddr_t gpa, u64 size);

/*
 * The guest's console output. It is printed a line at a time, so that the lines of VMs
 * that take turns on the hart never mix; vm_console_flush() prints a partial line (a
 * shell's prompt) when the guest waits for input.
 */
void vm_console_putc(struct vm *vm, char c);
void vm_console_flush(struct vm *vm);

/*
 * The guest's console input: the next character typed for it, or -1. Until lab 5 that
 * is whatever the host UART holds; from lab 5 on only the VM with the console's focus
 * gets input (core/console_mux.c), queued here by vm_console_input().
 */
int vm_console_getc(struct vm *vm);

/* The guest asked to power off: prints "vm0 (<name>): shutdown, status N". */
void vm_shutdown(struct vm *vm, int status);
/* The guest asked to reboot: its image is loaded again and vCPU 0 restarts. */
void vm_reboot(struct vm *vm);
/* The guest did something the hypervisor cannot let it do: stop it with a report. */
void vm_crash(struct vm *vm, const char *fmt, ...) __printf(2, 3);

/* Runs every VM until all have stopped; returns true if all shut down with status 0. */
bool vm_run_all(struct vm *vms, int nr_vms);

#endif
