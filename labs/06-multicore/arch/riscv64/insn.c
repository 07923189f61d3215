/*
 * insn.c - decode the integer loads and stores a guest may aim at a device (RISC-V
 * Unprivileged Spec 20191213: chapter 2.6 for LOAD/STORE, chapter 16 for the compressed
 * forms). It touches no CSR, and compiles for the build machine for unit tests. (The
 * helpers are "static inline" so that the lab skeleton, which calls neither, compiles.)
 */
#include <errno.h>

#include "insn.h"

#define OPCODE_LOAD  0x03
#define OPCODE_STORE 0x23

/* The 32-bit LOAD and STORE: funct3 gives the width; bit 2 of it means unsigned. */
static inline int decode_32(u32 insn, struct mmio_insn *out)
{
	unsigned int opcode = insn & 0x7f, funct3 = (insn >> 12) & 7;

	if (opcode == OPCODE_LOAD) {
		if (funct3 == 7)
			return -EINVAL;
		out->store = false;
		out->width = 1U << (funct3 & 3);
		out->sign_extend = !(funct3 & 4) && out->width < 8;
		out->reg = (insn >> 7) & 0x1f;
		return 0;
	}
	if (opcode == OPCODE_STORE && funct3 <= 3) {
		out->store = true;
		out->width = 1U << funct3;
		out->sign_extend = false;
		out->reg = (insn >> 20) & 0x1f;
		return 0;
	}
	return -EINVAL;
}

/*
 * The compressed loads and stores of RV64C: C.LW, C.LD, C.SW, C.SD (quadrant 0, with the
 * 3-bit register fields that name x8-x15) and C.LWSP, C.LDSP, C.SWSP, C.SDSP (quadrant 2).
 */
static inline int decode_16(u16 insn, struct mmio_insn *out)
{
	unsigned int quadrant = insn & 3, funct3 = insn >> 13;

	out->sign_extend = false;
	if (quadrant == 0) {
		switch (funct3) {
		case 2: /* C.LW: rd' in bits 4:2 */
		case 3: /* C.LD */
			out->store = false;
			out->reg = 8 + ((insn >> 2) & 7);
			break;
		case 6: /* C.SW: rs2' in bits 4:2 */
		case 7: /* C.SD */
			out->store = true;
			out->reg = 8 + ((insn >> 2) & 7);
			break;
		default:
			return -EINVAL;
		}
	} else if (quadrant == 2) {
		switch (funct3) {
		case 2: /* C.LWSP: rd in bits 11:7, never x0 */
		case 3: /* C.LDSP */
			out->store = false;
			out->reg = (insn >> 7) & 0x1f;
			if (!out->reg)
				return -EINVAL;
			break;
		case 6: /* C.SWSP: rs2 in bits 6:2 */
		case 7: /* C.SDSP */
			out->store = true;
			out->reg = (insn >> 2) & 0x1f;
			break;
		default:
			return -EINVAL;
		}
	} else {
		return -EINVAL;
	}
	out->width = funct3 & 1 ? 8 : 4;
	out->sign_extend = !out->store && out->width == 4; /* C.LW sign-extends like LW */
	return 0;
}

int insn_decode_mmio(u32 insn, bool from_htinst, struct mmio_insn *out)
{
	if (from_htinst) {
		out->length = insn & 2 ? 4 : 2;
		return decode_32(insn | 2, out);
	}
	if ((insn & 3) == 3) {
		out->length = 4;
		return decode_32(insn, out);
	}
	out->length = 2;
	return decode_16((u16)insn, out);
}
