/* insn.h - what a guest's load or store to an emulated device does, for MMIO emulation. */
#ifndef ARM64_INSN_H
#define ARM64_INSN_H

#include <types.h>

struct mmio_insn {
	bool store;
	unsigned int width; /* bytes per register: 1, 2, 4 or 8 */
	bool sign_extend; /* loads: LDRSB, LDRSH, LDRSW, LDPSW extend the sign */
	bool reg64; /* the register is Xn (a load fills all 64 bits), else Wn */
	unsigned int count; /* registers transferred: 1, or 2 for a pair (LDP, STP) */
	unsigned int reg[2]; /* Rt (and Rt2); 31 is XZR/WZR */
	/* Writeback (pre- and post-index forms): base += offset after the access. */
	bool writeback;
	unsigned int base; /* Rn; 31 is SP */
	s64 offset;
};

/*
 * The access as ESR_EL2 describes it when its ISV bit is set (Arm ARM D17.2.37, "ISS
 * encoding for an exception from a Data Abort"): SAS, SSE, SRT, SF and WnR.
 */
void insn_decode_esr(u64 esr, struct mmio_insn *out);

/*
 * Decodes an A64 instruction that ESR_EL2 could not describe (ISV = 0): LDR and STR of
 * general-purpose registers with pre- or post-index writeback, LDP, STP and LDPSW in
 * all three forms, and LDNP and STNP (Arm ARM C4.1.94, "Loads and Stores"). 0, or
 * -EINVAL for anything else (FP/SIMD registers, exclusives, atomics, ...).
 */
int insn_decode_mmio(u32 insn, struct mmio_insn *out);

#endif
