/* asm/trap.h - the register frame saved on every exception taken to EL2. */
#ifndef ASM_TRAP_H
#define ASM_TRAP_H

/* Byte offsets into struct trap_frame, shared with trap_entry.S. */
#define TF_X(n)	 ((n)*8) /* x0..x30 */
#define TF_SP	 (31 * 8) /* sp at the time of the exception */
#define TF_ELR	 (32 * 8)
#define TF_SPSR	 (33 * 8)
#define TF_ESR	 (34 * 8)
#define TF_FAR	 (35 * 8)
#define TF_HPFAR (36 * 8)
#define TF_KIND	 (37 * 8)
#define TF_SIZE	 (38 * 8) /* a multiple of 16: sp stays aligned (AAPCS64) */

/*
 * Which vector took it (D1.10.2, "Exception vectors"): the source - the current EL
 * with SP_EL0 or SP_ELx, or a lower EL in AArch64 or AArch32 - times four, plus the
 * type: synchronous, IRQ, FIQ or SError.
 */
#define TRAP_SYNC	  0
#define TRAP_IRQ	  1
#define TRAP_FIQ	  2
#define TRAP_SERROR	  3
#define TRAP_FROM_SP0	  0
#define TRAP_FROM_SPX	  4
#define TRAP_FROM_LOWER64 8
#define TRAP_FROM_LOWER32 12

#ifndef __ASSEMBLER__
#include <types.h>

struct trap_frame {
	u64 x[31];
	u64 sp;
	u64 elr; /* where the exception happened; eret returns here */
	u64 spsr;
	u64 esr;
	u64 far;
	u64 hpfar;
	u64 kind; /* TRAP_FROM_* + TRAP_* */
};

_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trap_frame layout");

/* Called by trap_entry.S with the saved frame; may change tf->elr and registers. */
void hv_trap_handle(struct trap_frame *tf);

/* Prints the decoded report of an unexpected exception: ESR, its registers, all registers. */
void trap_report(const struct trap_frame *tf);
/* The name of an exception class (ESR_EL2.EC), "unknown exception class" if none. */
const char *trap_ec_name(unsigned int ec);
/* What an ESR's syndrome says, in words ("ISS 0x...: translation fault, level 1, ..."). */
void trap_iss_describe(u64 esr, char *buf, size_t size);

#endif /* __ASSEMBLER__ */
#endif
