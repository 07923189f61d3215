/* insn.h - decoding the load or store that trapped, for MMIO emulation. */
#ifndef RISCV_INSN_H
#define RISCV_INSN_H

#include <types.h>

struct mmio_insn {
	bool store;
	unsigned int width; /* bytes: 1, 2, 4 or 8 */
	bool sign_extend; /* loads: LB, LH, LW (and C.LW) extend the sign */
	unsigned int reg; /* rd of a load, rs2 of a store */
	unsigned int length; /* of the original instruction: 2 (compressed) or 4 */
};

/*
 * Decodes insn, which is either the instruction as fetched (its low two bits 11: 32
 * bits; anything else: a 16-bit compressed one in the low half) or, when from_htinst,
 * the transformed instruction the hart wrote to htinst (Privileged Spec 8.6.3: bit 1
 * clear means the original was compressed). 0, or -EINVAL when it is not an integer
 * load or store.
 */
int insn_decode_mmio(u32 insn, bool from_htinst, struct mmio_insn *out);

#endif
