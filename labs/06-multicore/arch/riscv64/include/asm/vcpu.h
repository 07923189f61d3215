/* asm/vcpu.h - a RISC-V vCPU: the saved guest context and its VS-level CSRs. */
#ifndef ASM_VCPU_H
#define ASM_VCPU_H

/*
 * Byte offsets into struct vcpu_context, shared with switch.S. The context holds the
 * guest's registers while the hypervisor runs and the hypervisor's callee-saved
 * registers while the guest runs.
 */
#define VCPU_GUEST_X(n)	   ((n)*8) /* x1..x31; slot 0 unused */
#define VCPU_GUEST_SEPC	   (32 * 8) /* the guest's pc */
#define VCPU_GUEST_SSTATUS (33 * 8)
#define VCPU_GUEST_HSTATUS (34 * 8)
#define VCPU_HOST_X(n)	   ((35 + (n)) * 8) /* ra, sp, gp, tp, s0..s11 are used */
#define VCPU_HOST_SSTATUS  (67 * 8)
#define VCPU_HOST_HSTATUS  (68 * 8)
#define VCPU_HOST_STVEC	   (69 * 8)
#define VCPU_HOST_SSCRATCH (70 * 8)
#define VCPU_EXIT_SCAUSE   (71 * 8)
#define VCPU_EXIT_STVAL	   (72 * 8)
#define VCPU_EXIT_HTVAL	   (73 * 8)
#define VCPU_EXIT_HTINST   (74 * 8)
#define VCPU_CONTEXT_SIZE  (75 * 8)

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <types.h>

struct vcpu_context {
	unsigned long guest_x[32];
	unsigned long guest_sepc;
	unsigned long guest_sstatus; /* SPP = 1: sret enters (V)S-mode */
	unsigned long guest_hstatus; /* SPV = 1: sret enters the guest (V = 1) */
	unsigned long host_x[32];
	unsigned long host_sstatus;
	unsigned long host_hstatus;
	unsigned long host_stvec;
	unsigned long host_sscratch;
	/* Why the guest stopped: the trap CSRs, read as the trap entered HS-mode. */
	unsigned long scause;
	unsigned long stval;
	unsigned long htval;
	unsigned long htinst;
};

_Static_assert(offsetof(struct vcpu_context, guest_sepc) == VCPU_GUEST_SEPC, "layout");
_Static_assert(offsetof(struct vcpu_context, guest_hstatus) == VCPU_GUEST_HSTATUS, "layout");
_Static_assert(offsetof(struct vcpu_context, host_x) == VCPU_HOST_X(0), "layout");
_Static_assert(offsetof(struct vcpu_context, host_sscratch) == VCPU_HOST_SSCRATCH, "layout");
_Static_assert(offsetof(struct vcpu_context, htinst) == VCPU_EXIT_HTINST, "layout");
_Static_assert(sizeof(struct vcpu_context) == VCPU_CONTEXT_SIZE, "layout");

/*
 * The guest's VS-level CSRs (RISC-V Privileged Spec v1.12, section 8.2). While the guest
 * runs, its sstatus, stvec, ... accesses reach these "vs" copies; the hypervisor keeps
 * them here whenever another vCPU uses the hart.
 */
struct vs_csrs {
	unsigned long vsstatus;
	unsigned long vsie;
	unsigned long vstvec;
	unsigned long vsscratch;
	unsigned long vsepc;
	unsigned long vscause;
	unsigned long vstval;
	unsigned long vsatp;
	unsigned long hvip; /* virtual interrupts pending for the guest */
	/*
	 * Supervisor CSRs that have no VS copy: VS-mode reads and writes the hart's own
	 * (section 8.2: only the CSRs listed there are swapped when V = 1). They are the
	 * guest's as much as vsstatus is, so they travel with the vCPU like the rest.
	 */
	unsigned long scounteren; /* which counters its U-mode may read */
	unsigned long senvcfg; /* its U-mode's execution environment (section 4.1.4) */
};

/* f0..f31 and fcsr (the hypervisor itself never uses floating point). */
struct fp_context {
	u64 f[32];
	u64 fcsr;
};

/* fp.S: save or load the hart's floating-point registers. */
void fp_save(struct fp_context *fp);
void fp_restore(const struct fp_context *fp);

struct arch_vcpu {
	struct vcpu_context ctx; /* first: switch.S is handed its address */
	struct vs_csrs vs;
	unsigned long timer_deadline; /* SBI set_timer's value; ~0: not armed */
	struct fp_context fp; /* the guest's floating-point registers */
};

/* switch.S: runs the guest until it traps into HS-mode; the trap is in ctx. */
void __vcpu_switch(struct vcpu_context *ctx);

#endif /* __ASSEMBLER__ */
#endif
