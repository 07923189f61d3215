/*
 * vsbi.c - the SBI the hypervisor offers its guests (RISC-V SBI spec v2.0). A guest's
 * ecall from VS-mode arrives here with the extension in a7, the function in a6 and the
 * arguments in a0..a5; the answer goes back in a0 (error) and a1 (value).
 */
#include <asm/csr.h>
#include <asm/sbi.h>
#include <asm/trap.h>
#include <console.h>
#include <percpu.h>
#include <version.h>
#include <vm.h>

#include "exits.h"
#include "vtimer.h"

/* Extensions and functions beyond those of the hypervisor's own calls (asm/sbi.h). */
#define SBI_EXT_DBCN		  0x4442434E /* "DBCN" */
#define SBI_BASE_GET_IMPL_ID	  1
#define SBI_BASE_GET_IMPL_VERSION 2
#define SBI_BASE_GET_MVENDORID	  4
#define SBI_BASE_GET_MARCHID	  5
#define SBI_BASE_GET_MIMPID	  6
#define SBI_DBCN_WRITE		  0
#define SBI_DBCN_READ		  1
#define SBI_DBCN_WRITE_BYTE	  2
#define SBI_HSM_STATE_STARTED	  0
#define SBI_HSM_STATE_STOPPED	  1
#define SBI_HSM_STATE_START_PENDING  2
#define SBI_HSM_STATE_SUSPENDED	     4
#define SBI_HSM_STATE_RESUME_PENDING 6
#define SBI_SRST_TYPE_COLD_REBOOT    1
#define SBI_SRST_TYPE_WARM_REBOOT    2
#define SBI_SRST_REASON_VENDOR_FIRST 0xF0000000UL

/* SBI spec 2.0 is what this file implements: major 2, minor 0 (section 4.1). */
#define VSBI_SPEC_VERSION (2UL << 24 | 0)
/*
 * hvlab has no implementation id registered in the SBI spec's table (section 4.9);
 * it answers with "hvlb" in ASCII, which no registered implementation uses.
 */
#define VSBI_IMPL_ID	    0x68766c62UL
#define VSBI_MAX_DBCN_BYTES 4096 /* one call writes at most this much */

struct vsbi_call {
	struct vcpu *vcpu;
	unsigned long fid;
	unsigned long *arg; /* the guest's a0..a5 */
	long error;
	long value;
	bool no_return; /* the call replaced the vCPU's state (reboot) or stopped it */
};

struct vsbi_extension {
	unsigned long eid;
	const char *name;
	void (*handle)(struct vsbi_call *call);
	bool legacy; /* SBI v0.1: the result is a0 alone */
};

static const struct vsbi_extension *vsbi_find(unsigned long eid);

static void vsbi_base(struct vsbi_call *call)
{
	switch (call->fid) {
	case SBI_BASE_GET_SPEC_VERSION:
		call->value = VSBI_SPEC_VERSION;
		break;
	case SBI_BASE_GET_IMPL_ID:
		call->value = VSBI_IMPL_ID;
		break;
	case SBI_BASE_GET_IMPL_VERSION:
		call->value = HVLAB_VERSION_CODE;
		break;
	case SBI_BASE_PROBE_EXTENSION:
		call->value = vsbi_find(call->arg[0]) != NULL;
		break;
	case SBI_BASE_GET_MVENDORID:
	case SBI_BASE_GET_MARCHID:
	case SBI_BASE_GET_MIMPID: {
		struct sbiret ret = sbi_ecall(SBI_EXT_BASE, call->fid, 0, 0, 0);

		call->error = ret.error;
		call->value = ret.value;
		return;
	}
	default:
		call->error = SBI_ERR_NOT_SUPPORTED;
		return;
	}
	call->error = SBI_SUCCESS;
}

static void vsbi_legacy_putchar(struct vsbi_call *call)
{
	vm_console_putc(call->vcpu->vm, (char)call->arg[0]);
	call->value = 0;
}

static void vsbi_legacy_getchar(struct vsbi_call *call)
{
	vm_console_flush(call->vcpu->vm); /* a prompt is waiting for this input */
	call->value = vm_console_getc(call->vcpu->vm);
}

/*
 * The debug console (SBI spec chapter 12): text is passed by its guest-physical
 * address in (a1, a2) = (low, high bits); on RV64 the high part must be 0.
 */
static void vsbi_dbcn(struct vsbi_call *call)
{
	unsigned long num = call->arg[0], lo = call->arg[1], hi = call->arg[2];
	char *buf;

	if (call->fid == SBI_DBCN_WRITE_BYTE) {
		vm_console_putc(call->vcpu->vm, (char)call->arg[0]);
		call->error = SBI_SUCCESS;
		return;
	}
	if (call->fid != SBI_DBCN_WRITE && call->fid != SBI_DBCN_READ) {
		call->error = SBI_ERR_NOT_SUPPORTED;
		return;
	}
	num = MIN(num, VSBI_MAX_DBCN_BYTES);
	buf = hi ? NULL : vm_gpa_to_hva(call->vcpu->vm, lo, num);
	if (!buf) {
		call->error = SBI_ERR_INVALID_PARAM;
		return;
	}
	call->value = 0;
	if (call->fid == SBI_DBCN_WRITE) {
		for (; (unsigned long)call->value < num; call->value++)
			vm_console_putc(call->vcpu->vm, buf[call->value]);
	} else {
		int c;

		vm_console_flush(call->vcpu->vm);
		while ((unsigned long)call->value < num &&
		       (c = vm_console_getc(call->vcpu->vm)) >= 0)
			buf[call->value++] = (char)c;
	}
	call->error = SBI_SUCCESS;
}

/*
 * System reset (SBI spec chapter 10): the VM's, not the machine's. Both arguments are
 * uint32_t (section 10.1, sbi_system_reset): only the low 32 bits of a0 and a1 count.
 */
static void vsbi_srst(struct vsbi_call *call)
{
	u32 type = (u32)call->arg[0], reason = (u32)call->arg[1];

	if (call->fid != SBI_SRST_RESET) {
		call->error = SBI_ERR_NOT_SUPPORTED;
		return;
	}
	if (reason > SBI_SRST_REASON_SYSTEM_FAILURE && reason < SBI_SRST_REASON_VENDOR_FIRST) {
		call->error = SBI_ERR_INVALID_PARAM;
		return;
	}
	switch (type) {
	case SBI_SRST_TYPE_SHUTDOWN:
		vm_shutdown(call->vcpu->vm, (int)reason);
		break;
	case SBI_SRST_TYPE_COLD_REBOOT:
	case SBI_SRST_TYPE_WARM_REBOOT:
		vm_reboot(call->vcpu->vm);
		break;
	default:
		call->error = SBI_ERR_INVALID_PARAM;
		return;
	}
	/* A successful reset does not return: the vCPU starts afresh, or not at all. */
	call->no_return = true;
}

/* The HSM state of a vCPU (SBI spec chapter 9, table of states), as hart_get_status says. */
static long hsm_state(const struct vcpu *vcpu)
{
	if (vcpu->state == VCPU_STOPPED)
		return SBI_HSM_STATE_STOPPED;
	if (vcpu->state == VCPU_START_PENDING)
		return SBI_HSM_STATE_START_PENDING;
	/* Woken but not yet back on its CPU: resume pending. */
	if (vcpu->suspended)
		return vcpu->state == VCPU_WAITING ? SBI_HSM_STATE_SUSPENDED
						   : SBI_HSM_STATE_RESUME_PENDING;
	/* A vCPU asleep in WFI is still started (SBI spec chapter 9). */
	return SBI_HSM_STATE_STARTED;
}

/*
 * hart_start(hartid, start_addr, opaque): the stopped vCPU hartid starts at start_addr
 * in VS-mode with a0 = hartid, a1 = opaque and its MMU off (SBI spec 9.1). On its own
 * CPU: vcpu_start() sends the request there.
 */
static void hsm_hart_start(struct vsbi_call *call)
{
	struct vm *vm = call->vcpu->vm;
	unsigned long hart = call->arg[0], start = call->arg[1], opaque = call->arg[2];
	struct vcpu *target;

	/* TODO(lab 6): A hartid the VM does not have is SBI_ERR_INVALID_PARAM; a
	 * start address outside its RAM (vm_gpa_to_hva) SBI_ERR_INVALID_ADDRESS. Under
	 * vm->lock, only a VCPU_STOPPED target may start: it becomes VCPU_START_PENDING
	 * (anything else: SBI_ERR_ALREADY_AVAILABLE - two vCPUs may race to start the
	 * same one). Then vcpu_start() it, outside the lock, and succeed. See README.md. */
	(void)vm, (void)hart, (void)start, (void)opaque, (void)target;
	call->error = SBI_ERR_NOT_SUPPORTED;
}

/* hart_stop(): the calling vCPU stops; the call does not return (SBI spec 9.2). */
static void hsm_hart_stop(struct vsbi_call *call)
{
	call->vcpu->arch.timer_deadline = VTIMER_OFF;
	call->no_return = true;
	vcpu_stop_self(call->vcpu, "SBI HSM hart_stop");
}

#define SBI_HSM_SUSPEND_RETENTIVE     0x00000000UL
#define SBI_HSM_SUSPEND_NON_RETENTIVE 0x80000000UL

/*
 * hart_suspend(type, resume_addr, opaque) (SBI spec 9.4): the vCPU sleeps like WFI
 * until an interrupt it enabled in sie is pending. Retentive: the call then returns 0.
 * Non-retentive: its registers are lost, it wakes up at resume_addr with a0 = hartid,
 * a1 = opaque, the MMU off and sstatus.SIE = 0 - which may as well be set up now.
 */
static void hsm_hart_suspend(struct vsbi_call *call)
{
	struct vcpu *vcpu = call->vcpu;
	unsigned long type = call->arg[0] & 0xffffffffUL, resume = call->arg[1];
	bool retentive = !(type & SBI_HSM_SUSPEND_NON_RETENTIVE);

	/* TODO(lab 6): Types 0 (retentive) and 0x80000000 (non-retentive) are what
	 * hvlab implements; any other - reserved, or platform-specific - is
	 * SBI_ERR_INVALID_PARAM (the spec's table of hart_suspend errors). A
	 * non-retentive suspend needs resume_addr in RAM (SBI_ERR_INVALID_ADDRESS). Then:
	 * the call succeeds; a non-retentive one sets pc (no_return: sepc is not moved on),
	 * a0, a1, vsatp and vsstatus.SIE as the spec wants them at the wake-up. Finally
	 * the vCPU waits (VCPU_WAITING, vcpu->suspended) unless arch_vcpu_should_wait()
	 * says an interrupt is pending already. See README.md. */
	(void)vcpu, (void)resume, (void)retentive;
	call->error = SBI_ERR_NOT_SUPPORTED;
}

/* Hart state management (SBI spec chapter 9): the VM's vCPUs are its harts. */
static void vsbi_hsm(struct vsbi_call *call)
{
	struct vm *vm = call->vcpu->vm;
	unsigned long hart = call->arg[0];

	switch (call->fid) {
	case SBI_HSM_HART_GET_STATUS:
		if (hart >= vm->nr_vcpus) {
			call->error = SBI_ERR_INVALID_PARAM;
			return;
		}
		call->value = hsm_state(&vm->vcpus[hart]);
		call->error = SBI_SUCCESS;
		return;
	case SBI_HSM_HART_START:
		hsm_hart_start(call);
		return;
	case SBI_HSM_HART_STOP:
		hsm_hart_stop(call);
		return;
	case SBI_HSM_HART_SUSPEND:
		hsm_hart_suspend(call);
		return;
	default:
		call->error = SBI_ERR_NOT_SUPPORTED;
	}
}

#define SBI_EXT_TIME		   0x54494D45 /* "TIME" */
#define SBI_EXT_RFENCE		   0x52464E43 /* "RFNC" */
#define SBI_RFENCE_FENCE_I	   0
#define SBI_RFENCE_SFENCE_VMA	   1
#define SBI_RFENCE_SFENCE_VMA_ASID 2

/*
 * A hart mask (SBI spec 3.1): bit i of hart_mask is hart hart_mask_base + i, and a base
 * of -1 means every hart. A bit for a hart the VM does not have is an error.
 */
static long hart_mask_check(const struct vm *vm, unsigned long mask, unsigned long base)
{
	if (base == ~0UL)
		return SBI_SUCCESS;
	for (unsigned int bit = 0; bit < 64; bit++)
		if ((mask & (1UL << bit)) && (base + bit >= vm->nr_vcpus || base + bit < base))
			return SBI_ERR_INVALID_PARAM;
	return SBI_SUCCESS;
}

/* Does a (checked) hart mask name vCPU i? */
static bool hart_in_mask(unsigned int i, unsigned long mask, unsigned long base)
{
	return base == ~0UL || (i >= base && i - base < 64 && (mask & (1UL << (i - base))));
}

/* Timer (SBI spec chapter 6): the deadline in `time` units; the pending bit clears. */
static void vsbi_time(struct vsbi_call *call)
{
	if (call->fid != 0) {
		call->error = SBI_ERR_NOT_SUPPORTED;
		return;
	}
	vtimer_set(call->vcpu, call->arg[0]);
	call->error = SBI_SUCCESS;
}

/*
 * IPI (chapter 7): a supervisor software interrupt (VSSIP) on every target vCPU -
 * through its own CPU when it runs on another (vcpu_set_virq).
 */
static void vsbi_ipi(struct vsbi_call *call)
{
	struct vm *vm = call->vcpu->vm;
	unsigned long mask = call->arg[0], base = call->arg[1];

	if (call->fid != 0) {
		call->error = SBI_ERR_NOT_SUPPORTED;
		return;
	}
	call->error = hart_mask_check(vm, mask, base);
	for (unsigned int i = 0; !call->error && i < vm->nr_vcpus; i++)
		if (hart_in_mask(i, mask, base))
			vcpu_set_virq(&vm->vcpus[i], VIRQ_SOFT, true);
}

/*
 * The remote part of a fence: every other CPU that runs one of the target vCPUs does
 * it too (arch_vm_fence, through a CPU_MSG_FENCE message), and the call returns only
 * when all have - the guest may free a page it unmapped as soon as the call returns.
 */
static void rfence_remote(struct vm *vm, unsigned long mask, unsigned long base, enum vm_fence kind,
			  unsigned long asid)
{
	unsigned long targets = 0; /* bit c: CPU c runs a target vCPU */
	u32 pending = 0;

	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (hart_in_mask(i, mask, base))
			targets |= 1UL << vm->vcpus[i].cpu;
	targets &= ~(1UL << cpu_id()); /* this CPU fenced already */
	if (!targets)
		return;
	/* TODO(lab 6): Send each CPU in targets a CPU_MSG_FENCE for vm (arg[0] = kind,
	 * arg[1] = asid) whose done counter is `pending`, then wait until all have done
	 * it (cpu_wait_for: it handles this CPU's own messages meanwhile, so two CPUs
	 * fencing each other at once do not wait for each other forever). Count every
	 * message into `pending` before sending the first. See README.md. */
	(void)pending, (void)kind, (void)asid;
	vm_crash(vm, "remote fences to other CPUs are not written yet");
}

/*
 * Remote fences (chapter 8): FENCE.I, or HFENCE.VVMA for the guest's own translations
 * on every hart that runs a target vCPU. This CPU always fences (harmless if none of
 * them runs here). Flushing more than the range asked for is allowed, and simpler: the
 * whole address space, or the whole ASID.
 */
static void vsbi_rfence(struct vsbi_call *call)
{
	struct vm *vm = call->vcpu->vm;
	unsigned long mask = call->arg[0], base = call->arg[1], asid = call->arg[4];
	static const enum vm_fence kinds[] = {VM_FENCE_I, VM_FENCE_VMA, VM_FENCE_VMA_ASID};

	/* The remote HFENCEs (functions 3 to 6) are for harts with the H extension; a
	 * vCPU has none, and the spec's answer for that is SBI_ERR_NOT_SUPPORTED. */
	if (call->fid >= ARRAY_SIZE(kinds)) {
		call->error = SBI_ERR_NOT_SUPPORTED;
		return;
	}
	/* The mask first: a bad one is refused before anything is done. */
	call->error = hart_mask_check(vm, mask, base);
	if (call->error)
		return;
	arch_vm_fence(vm, kinds[call->fid], asid);
	rfence_remote(vm, mask, base, kinds[call->fid], asid);
}

static const struct vsbi_extension vsbi_extensions[] = {
	{SBI_EXT_LEGACY_PUTCHAR, "legacy console putchar", vsbi_legacy_putchar, true},
	{SBI_EXT_LEGACY_GETCHAR, "legacy console getchar", vsbi_legacy_getchar, true},
	{SBI_EXT_BASE, "base", vsbi_base, false},
	{SBI_EXT_HSM, "hart state management", vsbi_hsm, false},
	{SBI_EXT_SRST, "system reset", vsbi_srst, false},
	{SBI_EXT_DBCN, "debug console", vsbi_dbcn, false},
	{SBI_EXT_TIME, "timer", vsbi_time, false},
	{SBI_EXT_IPI, "IPI", vsbi_ipi, false},
	{SBI_EXT_RFENCE, "remote fence", vsbi_rfence, false},
};

static const struct vsbi_extension *vsbi_find(unsigned long eid)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(vsbi_extensions); i++)
		if (vsbi_extensions[i].eid == eid)
			return &vsbi_extensions[i];
	return NULL;
}

bool vsbi_handle_call(struct vcpu *vcpu)
{
	unsigned long *x = vcpu->arch.ctx.guest_x;
	const struct vsbi_extension *ext = vsbi_find(x[17]);
	struct vsbi_call call = {
		.vcpu = vcpu,
		.fid = x[16],
		.arg = &x[10],
		.error = SBI_ERR_NOT_SUPPORTED,
	};

	/* An extension the hypervisor does not know is an answer, not a failure. */
	if (!ext) {
		x[10] = (unsigned long)SBI_ERR_NOT_SUPPORTED;
		return true;
	}
	ext->handle(&call);
	if (call.no_return)
		return false;
	if (ext->legacy) {
		x[10] = (unsigned long)call.value;
		return true;
	}
	x[10] = (unsigned long)call.error;
	x[11] = (unsigned long)call.value;
	return true;
}
