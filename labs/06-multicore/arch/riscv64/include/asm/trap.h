/* asm/trap.h - the register frame saved on every trap into the hypervisor. */
#ifndef ASM_TRAP_H
#define ASM_TRAP_H

/* Byte offsets into struct trap_frame, shared with trap_entry.S. */
#define TF_X(n)	   ((n)*8) /* x1..x31; slot 0 is unused */
#define TF_SEPC	   (32 * 8)
#define TF_SSTATUS (33 * 8)
#define TF_SCAUSE  (34 * 8)
#define TF_STVAL   (35 * 8)
#define TF_HTVAL   (36 * 8)
#define TF_HTINST  (37 * 8)
#define TF_HSTATUS (38 * 8)
#define TF_SIZE	   (40 * 8) /* a multiple of 16: the stack stays aligned (psABI) */

#ifndef __ASSEMBLER__
#include <types.h>

struct trap_frame {
	unsigned long x[32]; /* x[0] is unused; x[2] is sp at the time of the trap */
	unsigned long sepc; /* where the trap happened; sret returns here */
	unsigned long sstatus;
	unsigned long scause;
	unsigned long stval;
	unsigned long htval; /* guest physical address >> 2 of a guest page fault */
	unsigned long htinst; /* the trapping instruction, transformed (Priv. Spec 8.6.3) */
	unsigned long hstatus;
	unsigned long pad;
};

_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trap_frame layout");

/* Called by trap_entry.S with the saved frame; may change tf->sepc and registers. */
void hv_trap_handle(struct trap_frame *tf);

/* Prints the decoded report of an unexpected trap: cause, CSRs and every register. */
void trap_report(const struct trap_frame *tf);
const char *trap_cause_name(unsigned long scause);

/* ABI names of x0..x31, for reports. */
extern const char *const riscv_reg_names[32];

#endif /* __ASSEMBLER__ */
#endif
