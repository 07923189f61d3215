/* @since 2 */
/* asm/vcpu.h - an arm64 vCPU: its saved registers and its EL1 system registers. */
#ifndef ASM_VCPU_H
#define ASM_VCPU_H

/*
 * Byte offsets into struct vcpu_context, shared with switch.S. The context holds the
 * guest's general-purpose registers while the hypervisor runs and the hypervisor's
 * callee-saved ones (x19-x30, AAPCS64) while the guest runs.
 */
#define VCPU_GUEST_X(n)	  ((n)*8) /* x0..x30 */
#define VCPU_GUEST_PC	  (31 * 8) /* ELR_EL2: where the guest resumes */
#define VCPU_GUEST_PSTATE (32 * 8) /* SPSR_EL2: its PSTATE, EL1h or EL0t, DAIF, flags */
#define VCPU_GUEST_SP_EL0 (33 * 8) /* its EL0 stack pointer: the hypervisor's this_cpu() */
#define VCPU_HOST_SP_EL0  (34 * 8)
#define VCPU_HOST_X(n)	  ((35 + (n)-19) * 8) /* x19..x30 */
#define VCPU_EXIT_ESR	  (47 * 8) /* why the guest stopped: ESR_EL2, FAR_EL2, HPFAR_EL2 */
#define VCPU_EXIT_FAR	  (48 * 8)
#define VCPU_EXIT_HPFAR	  (49 * 8)
#define VCPU_EXIT_KIND	  (50 * 8) /* the vector that took it: TRAP_FROM_LOWER64 + type */
#define VCPU_CONTEXT_SIZE (52 * 8)

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <types.h>

struct vcpu_context {
	u64 guest_x[31];
	u64 guest_pc;
	u64 guest_pstate;
	u64 guest_sp_el0;
	u64 host_sp_el0; /* this_cpu() (asm/percpu.h) */
	u64 host_x[12]; /* x19 .. x30 */
	u64 esr;
	u64 far;
	u64 hpfar;
	u64 kind;
	u64 pad;
};

_Static_assert(offsetof(struct vcpu_context, guest_pc) == VCPU_GUEST_PC, "layout");
_Static_assert(offsetof(struct vcpu_context, guest_sp_el0) == VCPU_GUEST_SP_EL0, "layout");
_Static_assert(offsetof(struct vcpu_context, host_x) == VCPU_HOST_X(19), "layout");
_Static_assert(offsetof(struct vcpu_context, esr) == VCPU_EXIT_ESR, "layout");
_Static_assert(offsetof(struct vcpu_context, kind) == VCPU_EXIT_KIND, "layout");
_Static_assert(sizeof(struct vcpu_context) == VCPU_CONTEXT_SIZE, "layout");

/*
 * The guest's EL1 (and EL0) system registers: the CPU has one copy of each, which the
 * guest uses directly, without a trap. They belong to the vCPU that last ran on this CPU
 * (vcpu.c switches them only when another vCPU runs) and live here meanwhile.
 */
struct el1_sysregs {
	u64 sctlr_el1, cpacr_el1, ttbr0_el1, ttbr1_el1, tcr_el1, mair_el1, amair_el1;
	u64 vbar_el1, contextidr_el1, esr_el1, far_el1, afsr0_el1, afsr1_el1, par_el1;
	u64 sp_el1, elr_el1, spsr_el1, tpidr_el0, tpidrro_el0, tpidr_el1;
	u64 csselr_el1, cntkctl_el1, cntv_ctl_el0, cntv_cval_el0;
	u64 vmpidr_el2; /* what the guest reads as its MPIDR_EL1 */
	u64 ich_vmcr_el2; /* its GIC CPU interface: priority mask, group enables, ... */
};

/* V0-V31, then FPSR and FPCR: the layout fp.S saves and loads. */
struct fp_context {
	u64 v[32][2];
	u64 fpsr, fpcr;
} __aligned(16);

/* fp.S: save or load this CPU's FP/SIMD registers. */
void fp_save(struct fp_context *fp);
void fp_restore(const struct fp_context *fp);

struct arch_vcpu {
	struct vcpu_context ctx; /* first: switch.S is handed its address */
	struct el1_sysregs sys;
	struct fp_context fp;
};

/* switch.S: runs the guest until it traps to EL2; the exit is in ctx. */
void __vcpu_switch(struct vcpu_context *ctx);

#endif /* __ASSEMBLER__ */
#endif
