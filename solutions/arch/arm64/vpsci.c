/* @since 2 */
/*
 * vpsci.c - the firmware interface the hypervisor offers its guests: calls under the SMC
 * Calling Convention (Arm DEN 0028, SMCCC 1.1) through HVC #0 or SMC #0 - PSCI 1.1 (Arm
 * DEN 0022), SMCCC's own calls and hvlab's vendor-specific hypervisor calls (its
 * console and a shutdown with a status; docs/arm64.md). The function id arrives in w0,
 * arguments in x1-x3 (their low halves for a 32-bit function: bit 30 of the id clear),
 * results leave in x0-x3; every other register is kept.
 */
#include <asm/psci.h>
#include <console.h>
#include <percpu.h>
#include <version.h>
#include <vm.h>

#include "exits.h"

#define SMCCC_64BIT (1U << 30) /* the function uses x registers, not w (SMCCC 2.5) */

/*
 * hvlab's calls: "vendor specific hypervisor service" calls, owning entity 6 (SMCCC
 * 6.1), fast calls. The count, UID and revision queries are SMCCC's (6.2).
 */
#define HVLAB_CALL_COUNT	0x8600ff00
#define HVLAB_CALL_UID		0x8600ff01
#define HVLAB_CALL_REVISION	0x8600ff03
#define HVLAB_CONSOLE_PUTC	0x86000001 /* w1: a character */
#define HVLAB_CONSOLE_WRITE	0xc6000002 /* x1: guest-physical address, x2: length */
#define HVLAB_CONSOLE_GETC	0x86000003 /* x0: a character, or -1 when none waits */
#define HVLAB_SHUTDOWN		0x86000004 /* w1: the VM's exit status */
#define HVLAB_CONSOLE_MAX_BYTES 4096 /* one write prints at most this much */

/* PSCI 1.1 and SMCCC 1.1, as major << 16 | minor. */
#define VPSCI_VERSION  0x10001
#define VSMCCC_VERSION 0x10001

struct vpsci_call {
	struct vcpu *vcpu;
	u64 arg[3]; /* x1..x3 */
	u64 res[4]; /* x0..x3 when the call returns */
	bool no_return; /* the call replaced the vCPU's state (reboot) or stopped it */
};

struct vpsci_function {
	u32 fid;
	const char *name;
	void (*handle)(struct vpsci_call *call);
};

static const struct vpsci_function *vpsci_find(u32 fid);

static void result(struct vpsci_call *call, long value)
{
	call->res[0] = (u64)value;
}

static void psci_version(struct vpsci_call *call)
{
	result(call, VPSCI_VERSION);
}

/* PSCI_FEATURES (5.1.15): 0 for a function the hypervisor implements, no flags. */
static void psci_features(struct vpsci_call *call)
{
	/* @lab 2 begin: PSCI_FEATURES(function id in w1): 0 when vpsci_find() knows the
	 * function - a truthful answer, whatever the table holds - else NOT_SUPPORTED. */
	result(call, vpsci_find((u32)call->arg[0]) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED);
	/* @lab 2 stub: result(call, PSCI_NOT_SUPPORTED); */
	/* @lab 2 end */
}

/* The vCPU whose MPIDR affinity is target (Aff0 = its id, the other fields 0), or NULL. */
static struct vcpu *vpsci_target(struct vm *vm, u64 target)
{
	return target < vm->nr_vcpus ? &vm->vcpus[target] : NULL;
}

/*
 * CPU_ON(target, entry, context) (5.1.4): the vCPU starts at entry, at EL1 with the MMU
 * off, x0 = context (5.6, "CPU_ON ... entry state"); vcpu_start() does it where it runs.
 */
static void psci_cpu_on(struct vpsci_call *call)
{
	struct vm *vm = call->vcpu->vm;
	struct vcpu *target = vpsci_target(vm, call->arg[0]);
	u64 entry = call->arg[1], context = call->arg[2];

	if (!target) {
		result(call, PSCI_INVALID_PARAMETERS);
		return;
	}
	if (!vm_gpa_to_hva(vm, entry, 4)) {
		result(call, PSCI_INVALID_ADDRESS);
		return;
	}
	spin_lock(&vm->lock);
	if (target->state != VCPU_STOPPED) {
		result(call, PSCI_ALREADY_ON);
		/* @since 6 begin */
		if (target->state == VCPU_START_PENDING)
			result(call, PSCI_ON_PENDING);
		/* @since 6 end */
		spin_unlock(&vm->lock);
		return;
	}
	/* @since 6 begin */
	target->state = VCPU_START_PENDING; /* no other vCPU may start it meanwhile */
	/* @since 6 end */
	spin_unlock(&vm->lock);
	vcpu_start(target, entry, context);
	result(call, PSCI_SUCCESS);
}

/* CPU_OFF (5.1.3): the calling vCPU stops; the call does not return. */
static void psci_cpu_off(struct vpsci_call *call)
{
	call->no_return = true;
	vcpu_stop_self(call->vcpu, "PSCI CPU_OFF");
}

/* AFFINITY_INFO(target, lowest level) (5.1.5): level 0 only - vCPUs have no clusters. */
static void psci_affinity_info(struct vpsci_call *call)
{
	struct vcpu *target = vpsci_target(call->vcpu->vm, call->arg[0]);

	if (!target || call->arg[1] != 0) {
		result(call, PSCI_INVALID_PARAMETERS);
		return;
	}
	result(call, target->state == VCPU_STOPPED ? PSCI_AFFINITY_OFF : PSCI_AFFINITY_ON);
	/* @since 6 begin */
	if (target->state == VCPU_START_PENDING)
		result(call, PSCI_AFFINITY_ON_PENDING);
	/* @since 6 end */
}

/* MIGRATE_INFO_TYPE (5.1.6): 2, no Trusted OS that would need migrating. */
static void psci_migrate_info_type(struct vpsci_call *call)
{
	result(call, 2);
}

/* SYSTEM_OFF and SYSTEM_RESET (5.1.9, 5.1.10): the VM's, not the machine's. */
static void psci_system_off(struct vpsci_call *call)
{
	vm_shutdown(call->vcpu->vm, 0);
	call->no_return = true;
}

static void psci_system_reset(struct vpsci_call *call)
{
	vm_reboot(call->vcpu->vm);
	call->no_return = true;
}

static void smccc_version(struct vpsci_call *call)
{
	result(call, VSMCCC_VERSION);
}

/*
 * SMCCC_ARCH_FEATURES (SMCCC 7.3): 0 for an Arm architecture call the hypervisor
 * implements. The firmware workarounds for speculation (ARCH_WORKAROUND_1..3) are not
 * among them: NOT_SUPPORTED, which a guest reads as "nothing to call".
 */
static void smccc_arch_features(struct vpsci_call *call)
{
	u32 fid = (u32)call->arg[0];

	result(call, (fid >> 16) == 0x8000 && vpsci_find(fid) ? 0 : SMCCC_NOT_SUPPORTED);
}

static void hvlab_call_count(struct vpsci_call *call);

/* A UUID of hvlab's own (SMCCC 6.2: "Call UID"): 6e2f9e3c-1d6b-4a77-9b1e-6876 6c62 6172. */
static void hvlab_call_uid(struct vpsci_call *call)
{
	call->res[0] = 0x3c9e2f6e;
	call->res[1] = 0x774a6b1d;
	call->res[2] = 0x76681e9b;
	call->res[3] = 0x7261626c;
}

/* The revision of hvlab's calls: 1.0. */
static void hvlab_call_revision(struct vpsci_call *call)
{
	call->res[0] = 1;
	call->res[1] = 0;
}

static void hvlab_console_putc(struct vpsci_call *call)
{
	vm_console_putc(call->vcpu->vm, (char)call->arg[0]);
	result(call, 0);
}

/* Text at a guest-physical address: at most HVLAB_CONSOLE_MAX_BYTES; x0 = how much. */
static void hvlab_console_write(struct vpsci_call *call)
{
	struct vm *vm = call->vcpu->vm;
	u64 gpa = call->arg[0], len = call->arg[1];
	const char *buf;

	/* @lab 2 begin: Reach the guest's text through vm_gpa_to_hva(): at most
	 * HVLAB_CONSOLE_MAX_BYTES of it (a shorter write is allowed: say how much was
	 * done). A buffer outside the VM's memory is SMCCC_INVALID_PARAMETER. Print the
	 * bytes (vm_console_putc); the result is their number. */
	len = MIN(len, HVLAB_CONSOLE_MAX_BYTES);
	buf = vm_gpa_to_hva(vm, gpa, len);
	if (!buf) {
		result(call, SMCCC_INVALID_PARAMETER);
		return;
	}
	for (u64 i = 0; i < len; i++)
		vm_console_putc(vm, buf[i]);
	result(call, (long)len);
	/* @lab 2 stub: (void)vm, (void)gpa, (void)len, (void)buf; */
	/* @lab 2 stub: result(call, SMCCC_NOT_SUPPORTED); */
	/* @lab 2 end */
}

static void hvlab_console_getc(struct vpsci_call *call)
{
	vm_console_flush(call->vcpu->vm); /* a prompt is waiting for this input */
	result(call, vm_console_getc(call->vcpu->vm));
}

/* The VM stops with this status, as SBI SRST's reason does on RISC-V (0: success). */
static void hvlab_shutdown(struct vpsci_call *call)
{
	vm_shutdown(call->vcpu->vm, (int)(u32)call->arg[0]);
	call->no_return = true;
}

static const struct vpsci_function vpsci_functions[] = {
	{PSCI_VERSION, "PSCI_VERSION", psci_version},
	{PSCI_FEATURES, "PSCI_FEATURES", psci_features},
	{PSCI_CPU_ON, "CPU_ON", psci_cpu_on},
	{PSCI_CPU_ON & ~SMCCC_64BIT, "CPU_ON (32-bit)", psci_cpu_on},
	{PSCI_CPU_OFF, "CPU_OFF", psci_cpu_off},
	{PSCI_AFFINITY_INFO, "AFFINITY_INFO", psci_affinity_info},
	{PSCI_AFFINITY_INFO & ~SMCCC_64BIT, "AFFINITY_INFO (32-bit)", psci_affinity_info},
	{PSCI_MIGRATE_INFO_TYPE, "MIGRATE_INFO_TYPE", psci_migrate_info_type},
	{PSCI_SYSTEM_OFF, "SYSTEM_OFF", psci_system_off},
	{PSCI_SYSTEM_RESET, "SYSTEM_RESET", psci_system_reset},
	{SMCCC_VERSION, "SMCCC_VERSION", smccc_version},
	{SMCCC_ARCH_FEATURES, "SMCCC_ARCH_FEATURES", smccc_arch_features},
	{HVLAB_CALL_COUNT, "hvlab call count", hvlab_call_count},
	{HVLAB_CALL_UID, "hvlab call UID", hvlab_call_uid},
	{HVLAB_CALL_REVISION, "hvlab call revision", hvlab_call_revision},
	{HVLAB_CONSOLE_PUTC, "hvlab console putc", hvlab_console_putc},
	{HVLAB_CONSOLE_WRITE, "hvlab console write", hvlab_console_write},
	{HVLAB_CONSOLE_GETC, "hvlab console getc", hvlab_console_getc},
	{HVLAB_SHUTDOWN, "hvlab shutdown", hvlab_shutdown},
};

/* How many of hvlab's own calls there are: those of owning entity 6, but the queries. */
static void hvlab_call_count(struct vpsci_call *call)
{
	long n = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(vpsci_functions); i++)
		n += (vpsci_functions[i].fid >> 24 & 0x3f) == 6 &&
		     (vpsci_functions[i].fid & 0xff00) != 0xff00;
	result(call, n);
}

static const struct vpsci_function *vpsci_find(u32 fid)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(vpsci_functions); i++)
		if (vpsci_functions[i].fid == fid)
			return &vpsci_functions[i];
	return NULL;
}

bool vpsci_handle_call(struct vcpu *vcpu, unsigned int imm)
{
	u64 *x = vcpu->arch.ctx.guest_x;
	u32 fid = (u32)x[0];
	const struct vpsci_function *f = vpsci_find(fid);
	struct vpsci_call call = {.vcpu = vcpu};

	/* SMCCC calls use immediate 0 (SMCCC 2.9); an unknown call is an answer, too. */
	if (imm != 0 || !f) {
		x[0] = (u64)SMCCC_NOT_SUPPORTED;
		return true;
	}
	for (int i = 0; i < 3; i++)
		call.arg[i] = fid & SMCCC_64BIT ? x[i + 1] : (u32)x[i + 1];
	f->handle(&call);
	if (call.no_return)
		return false;
	for (int i = 0; i < 4; i++)
		x[i] = call.res[i];
	return true;
}
