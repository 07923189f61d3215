/*
 * vcpu.c - the RISC-V side of a vCPU: what the H extension needs set before a guest
 * runs, and one trip into the guest and back (RISC-V Privileged Spec v1.12, chapter 8).
 */
#include <arch.h>
#include <asm/csr.h>
#include <panic.h>
#include <percpu.h>
#include <string.h>
#include <vcpu.h>

#include "exits.h"
#include <irq.h>

#include "vtimer.h"
#include <vm.h>

/*
 * Once per hart, before any guest runs: which traps go straight to the guest, which
 * counters it may read, and no stage-2 translation yet (hgatp = 0: Bare).
 */
void arch_virt_init(void)
{
	csr_write(hedeleg, (1UL << EXC_INST_MISALIGNED) | (1UL << EXC_ILLEGAL_INST) |
				   (1UL << EXC_BREAKPOINT) | (1UL << EXC_LOAD_MISALIGNED) |
				   (1UL << EXC_STORE_MISALIGNED) | (1UL << EXC_ECALL_U) |
				   (1UL << EXC_INST_PAGE_FAULT) | (1UL << EXC_LOAD_PAGE_FAULT) |
				   (1UL << EXC_STORE_PAGE_FAULT));
	csr_write(hideleg, (1UL << IRQ_VS_SOFT) | (1UL << IRQ_VS_TIMER) | (1UL << IRQ_VS_EXT));
	csr_write(hcounteren, HCOUNTEREN_CY | HCOUNTEREN_TM | HCOUNTEREN_IR);
	csr_write(hgatp, 0);
	if (cpu_id() == 0)
		riscv_vmid_detect(); /* the harts are alike: the boot hart speaks for all */
	/*
	 * The hypervisor's own timer and external interrupts. sstatus.SIE stays 0, so
	 * they never interrupt the hypervisor itself: they arrive as exits while a guest
	 * runs (HS-level interrupts are always enabled at lower privilege, section 3.1.6.1)
	 * and wake a WFI when nothing runs.
	 */
	csr_set(sie, SIE_STIE | SIE_SEIE);
}

/* Each hart's floating-point registers belong to one vCPU at a time: fp_owner[cpu]. */
static struct vcpu *fp_owner[CPU_MAX];

void arch_vcpu_reset(struct vcpu *vcpu, paddr_t entry, unsigned long arg)
{
	struct vcpu_context *ctx = &vcpu->arch.ctx;

	memset(&vcpu->arch, 0, sizeof(vcpu->arch));
	ctx->guest_sepc = entry;
	ctx->guest_x[10] = vcpu->id; /* a0: hart id, as the SBI boot protocol says */
	ctx->guest_x[11] = arg; /* a1: the device tree, or 0 */
	ctx->guest_sstatus = SSTATUS_SPP;
	ctx->guest_hstatus =
		(csr_read(hstatus) & HSTATUS_VSXL_MASK) | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_VTW;
	/*
	 * What a guest kernel finds from its firmware: OpenSBI leaves scounteren with the
	 * counters enabled for U-mode, and Linux relies on it (its vDSO reads time).
	 */
	vcpu->arch.vs.scounteren = HCOUNTEREN_CY | HCOUNTEREN_TM | HCOUNTEREN_IR;
	/* Floating point on: with V = 1 it needs sstatus.FS as well as the guest's vsstatus.FS. */
	ctx->guest_sstatus |= SSTATUS_FS_INITIAL;
	vcpu->arch.timer_deadline = VTIMER_OFF;
	if (fp_owner[cpu_id()] == vcpu)
		fp_owner[cpu_id()] = NULL; /* the registers hold the old run's values: load zeros */
}

static void vs_csrs_load(const struct vs_csrs *vs)
{
	csr_write(vsstatus, vs->vsstatus);
	csr_write(vsie, vs->vsie);
	csr_write(vstvec, vs->vstvec);
	csr_write(vsscratch, vs->vsscratch);
	csr_write(vsepc, vs->vsepc);
	csr_write(vscause, vs->vscause);
	csr_write(vstval, vs->vstval);
	csr_write(vsatp, vs->vsatp);
	csr_write(hvip, vs->hvip);
	csr_write(scounteren, vs->scounteren);
	csr_write(senvcfg, vs->senvcfg);
}

static void vs_csrs_save(struct vs_csrs *vs)
{
	vs->vsstatus = csr_read(vsstatus);
	vs->vsie = csr_read(vsie);
	vs->vstvec = csr_read(vstvec);
	vs->vsscratch = csr_read(vsscratch);
	vs->vsepc = csr_read(vsepc);
	vs->vscause = csr_read(vscause);
	vs->vstval = csr_read(vstval);
	vs->vsatp = csr_read(vsatp);
	vs->hvip = csr_read(hvip);
	vs->scounteren = csr_read(scounteren);
	vs->senvcfg = csr_read(senvcfg);
}

static const unsigned long virq_bits[] = {
	[VIRQ_SOFT] = 1UL << IRQ_VS_SOFT,
	[VIRQ_TIMER] = 1UL << IRQ_VS_TIMER,
	[VIRQ_EXT] = 1UL << IRQ_VS_EXT,
};

void arch_vcpu_set_virq(struct vcpu *vcpu, enum virq irq, bool pending)
{
	if (pending) {
		vcpu->arch.vs.hvip |= virq_bits[irq];
		vcpu_wake(vcpu);
	} else {
		vcpu->arch.vs.hvip &= ~virq_bits[irq];
	}
}

/*
 * WFI (with hstatus.VTW set it came here): should the vCPU wait? Not if an interrupt it
 * enabled is pending already, and not if it enabled none - nothing could ever wake it,
 * and WFI may complete at any time (Privileged Spec, section 3.3.3).
 */
bool arch_vcpu_should_wait(const struct vcpu *vcpu)
{
	/* vsie is the VS-level view: SSIE, STIE, SEIE at bits 1, 5, 9; hvip has 2, 6, 10. */
	unsigned long enabled = vcpu->arch.vs.vsie << 1;

	return enabled && !(vcpu->arch.vs.hvip & enabled);
}

/* The hypervisor's own interrupts, whether they came as an exit or woke an idle hart. */
void arch_handle_host_interrupts(struct vcpu *running)
{
	unsigned long pending = csr_read(sip);

	if (pending & (1UL << IRQ_S_TIMER))
		vtimer_interrupt(running);
	if (pending & (1UL << IRQ_S_EXT))
		irq_handle_pending();
}

void arch_wait_for_interrupt(void)
{
	vtimer_idle();
	/* With sstatus.SIE = 0 the interrupt is not taken, but WFI still ends (3.3.3). */
	__asm__ volatile("wfi" ::: "memory");
	arch_handle_host_interrupts(NULL);
}

static void fp_switch_to(struct vcpu *vcpu)
{
	struct vcpu **owner = &fp_owner[cpu_id()];

	if (*owner == vcpu)
		return;
	csr_set(sstatus, SSTATUS_FS_INITIAL); /* sstatus.FS on, to reach the registers */
	if (*owner)
		fp_save(&(*owner)->arch.fp);
	fp_restore(&vcpu->arch.fp);
	*owner = vcpu;
}

void arch_vcpu_run(struct vcpu *vcpu)
{
	fp_switch_to(vcpu);
	vtimer_enter(vcpu);
	/* The VM's address space: its stage-2 tables, tagged with its VMID. */
	riscv_vm_enter(vcpu->vm);
	vs_csrs_load(&vcpu->arch.vs);
	__vcpu_switch(&vcpu->arch.ctx);
	vs_csrs_save(&vcpu->arch.vs);
	vcpu->exits++;
	vcpu_handle_exit(vcpu);
}

/* Where the lab skeleton's world switch stops until its TODOs are done. */
void __vcpu_switch_not_written(void)
{
	panic("__vcpu_switch in arch/riscv64/switch.S is not written yet - see its TODO");
}

void __vcpu_trap_entry_not_written(void)
{
	panic("the guest trapped, but __vcpu_trap_entry in arch/riscv64/switch.S is not "
	      "written yet - see its TODO");
}
