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
	/* A vCPU asleep in WFI is still started (SBI spec chapter 9). */
	return SBI_HSM_STATE_STARTED;
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
	default:
		call->error = SBI_ERR_NOT_SUPPORTED;
	}
}


static const struct vsbi_extension vsbi_extensions[] = {
	{SBI_EXT_LEGACY_PUTCHAR, "legacy console putchar", vsbi_legacy_putchar, true},
	{SBI_EXT_LEGACY_GETCHAR, "legacy console getchar", vsbi_legacy_getchar, true},
	{SBI_EXT_BASE, "base", vsbi_base, false},
	{SBI_EXT_HSM, "hart state management", vsbi_hsm, false},
	{SBI_EXT_SRST, "system reset", vsbi_srst, false},
	{SBI_EXT_DBCN, "debug console", vsbi_dbcn, false},
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
