/*
 * vcpu.c - the arm64 side of a vCPU: what EL2 sets before a guest runs at EL1, the
 * guest's EL1 system and FP registers, and one trip into the guest and back.
 *
 * A guest at EL1 uses the CPU's own EL1 registers (SCTLR_EL1, TTBR0_EL1, VBAR_EL1, ...)
 * without any trap, and the hypervisor at EL2 never uses them. So they need moving only
 * when this CPU runs another vCPU than the last one: then the last one's are saved in
 * its struct el1_sysregs and the new one's loaded (vcpu_load). Until then the hardware
 * holds the vCPU's true values, and whatever edits them - injecting an exception - edits
 * the hardware. KVM does the same (vcpu_load/vcpu_put); the FP/SIMD registers follow
 * the same rule.
 */
#include <arch.h>
#include <asm/sysreg.h>
#include <panic.h>
#include <percpu.h>
#include <string.h>
#include <vcpu.h>

#include "exits.h"
#include <vm.h>

/*
 * Once per CPU, before any guest runs: what traps to EL2 and where interrupts go while a
 * guest runs (HCR_EL2), the guest's debug and PMU registers trapped (MDCR_EL2), its FP
 * free to use (CPTR_EL2), its counter readable and its physical timer not (CNTHCTL_EL2),
 * and the identity it reads (VPIDR_EL2: this CPU's MIDR).
 */
void arch_virt_init(void)
{
	write_sysreg(hcr_el2, HCR_GUEST);
	write_sysreg(mdcr_el2, ((read_sysreg(pmcr_el0) >> 11) & 0x1f) | MDCR_TPMCR | MDCR_TPM |
				       MDCR_TDA | MDCR_TDOSA | MDCR_TDRA);
	write_sysreg(cptr_el2, CPTR_EL2_RES1);
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	/*
	 * With HCR_EL2.IMO/FMO the guest's GIC CPU interface registers (ICC_PMR_EL1, ...)
	 * are the virtual ones, whose state is ICH_VMCR_EL2 - the vCPU's to keep (below).
	 * EL2 needs the GIC's system registers on to reach it.
	 */
	write_sysreg(icc_sre_el2, ICC_SRE_EL2_SRE | ICC_SRE_EL2_ENABLE);
	arm64_stage2_enable(); /* the format of stage-2 tables (vm.c) */
	isb();
}

/* The vCPU whose EL1 and FP registers this CPU holds; NULL: nobody's that counts. */
static struct vcpu *loaded[CPU_MAX];

void arch_vcpu_reset(struct vcpu *vcpu, paddr_t entry, unsigned long arg)
{
	struct vcpu_context *ctx = &vcpu->arch.ctx;

	memset(&vcpu->arch, 0, sizeof(vcpu->arch));
	ctx->guest_pc = entry;
	ctx->guest_x[0] = arg; /* the device tree (Linux's boot protocol), or CPU_ON's context */
	ctx->guest_pstate = PSR_MODE_EL1H | PSR_DAIF;
	vcpu->arch.sys.sctlr_el1 = SCTLR_EL1_RES1;
	vcpu->arch.sys.vmpidr_el2 = MPIDR_RES1 | vcpu->id;
	/* This CPU may hold the vCPU's registers of before: they are stale now. */
	if (loaded[cpu_id()] == vcpu)
		loaded[cpu_id()] = NULL;
}

/* Every EL1 (and EL0) register a guest owns, once for saving and once for loading. */
/* clang-format off */
#define EL1_SYSREGS(X)                                                                 \
	X(sctlr_el1) X(cpacr_el1) X(ttbr0_el1) X(ttbr1_el1) X(tcr_el1) X(mair_el1)     \
	X(amair_el1) X(vbar_el1) X(contextidr_el1) X(esr_el1) X(far_el1) X(afsr0_el1)  \
	X(afsr1_el1) X(par_el1) X(sp_el1) X(elr_el1) X(spsr_el1) X(tpidr_el0)          \
	X(tpidrro_el0) X(tpidr_el1) X(csselr_el1) X(cntkctl_el1) X(cntv_ctl_el0)       \
	X(cntv_cval_el0) X(vmpidr_el2) X(ich_vmcr_el2)
/* clang-format on */

static void el1_sysregs_save(struct el1_sysregs *s)
{
#define SAVE(reg) s->reg = read_sysreg(reg);
	EL1_SYSREGS(SAVE)
#undef SAVE
}

static void el1_sysregs_load(const struct el1_sysregs *s)
{
#define LOAD(reg) write_sysreg(reg, s->reg);
	EL1_SYSREGS(LOAD)
#undef LOAD
}

/* Gives this CPU's EL1 and FP registers to vcpu, if they are not its already. */
static void vcpu_load(struct vcpu *vcpu)
{
	struct vcpu **last = &loaded[cpu_id()];

	if (*last == vcpu)
		return;
	if (*last) {
		el1_sysregs_save(&(*last)->arch.sys);
		fp_save(&(*last)->arch.fp);
	}
	el1_sysregs_load(&vcpu->arch.sys);
	fp_restore(&vcpu->arch.fp);
	*last = vcpu;
}

void arch_vcpu_run(struct vcpu *vcpu)
{
	vcpu_load(vcpu);
	/* The VM's address space: its stage-2 tables, tagged with its VMID. */
	arm64_vm_enter(vcpu->vm);
	__vcpu_switch(&vcpu->arch.ctx);
	vcpu->exits++;
	vcpu_handle_exit(vcpu);
}

/* Where the lab skeleton's world switch stops until its TODOs are done. */
void __vcpu_switch_not_written(void)
{
	panic("__vcpu_switch in arch/arm64/switch.S is not written yet - see its TODO");
}

void __vcpu_exit_not_written(void)
{
	panic("the guest trapped, but __vcpu_exit in arch/arm64/switch.S is not written yet - "
	      "see its TODO");
}
