/*
 * insn.c - the loads and stores a guest may aim at a device: from ESR_EL2's syndrome
 * when the CPU describes the access (ISV = 1), else decoded from the A64 instruction
 * (Arm ARM C4.1.94, load/store encodings). It touches no system register, and compiles
 * for the build machine for unit tests.
 */
#include <asm/sysreg.h>
#include <errno.h>

#include "insn.h"

void insn_decode_esr(u64 esr, struct mmio_insn *out)
{
	*out = (struct mmio_insn){
		.store = esr & ESR_WNR,
		.width = 1U << ESR_SAS(esr),
		.sign_extend = esr & ESR_SSE,
		.reg64 = esr & ESR_SF,
		.count = 1,
		.reg = {ESR_SRT(esr), 0},
	};
}

static inline s64 sign_extend_field(u32 value, unsigned int bits)
{
	return (s64)((u64)value << (64 - bits)) >> (64 - bits);
}

/* LDR/STR (immediate), pre-index (bits 11:10 = 11) or post-index (01), integer registers. */
static int decode_single(u32 insn, struct mmio_insn *out)
{
	unsigned int size = insn >> 30, opc = (insn >> 22) & 3, idx = (insn >> 10) & 3;

	if ((insn & 0x3f200000) != 0x38000000 || (idx != 1 && idx != 3))
		return -EINVAL;
	if ((size == 3 && opc >= 2) || (size == 2 && opc == 3))
		return -EINVAL; /* PRFM-like and LDRSW Wt do not exist */
	*out = (struct mmio_insn){
		.store = opc == 0,
		.width = 1U << size,
		.sign_extend = opc >= 2,
		.reg64 = size == 3 || opc == 2,
		.count = 1,
		.reg = {insn & 0x1f, 0},
		.writeback = true,
		.base = (insn >> 5) & 0x1f,
		.offset = sign_extend_field((insn >> 12) & 0x1ff, 9),
	};
	return 0;
}

/*
 * LDP/STP/LDPSW: post-index (bits 24:23 = 01), signed offset (10), pre-index (11), and
 * LDNP/STNP (00), a signed offset with a non-temporal hint that means nothing here.
 */
static int decode_pair(u32 insn, struct mmio_insn *out)
{
	unsigned int opc = insn >> 30, idx = (insn >> 23) & 3, load = (insn >> 22) & 1;
	unsigned int width;

	if ((insn & 0x3e000000) != 0x28000000 || opc == 3 || (opc == 1 && (!load || idx == 0)))
		return -EINVAL;
	width = opc == 2 ? 8 : 4;
	*out = (struct mmio_insn){
		.store = !load,
		.width = width,
		.sign_extend = opc == 1, /* LDPSW */
		.reg64 = opc != 0,
		.count = 2,
		.reg = {insn & 0x1f, (insn >> 10) & 0x1f},
		.writeback = idx == 1 || idx == 3,
		.base = (insn >> 5) & 0x1f,
		.offset = sign_extend_field((insn >> 15) & 0x7f, 7) * width,
	};
	return 0;
}

int insn_decode_mmio(u32 insn, struct mmio_insn *out)
{
	return decode_single(insn, out) == 0 ? 0 : decode_pair(insn, out);
}
