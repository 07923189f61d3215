/*
 * insn_test.c - unit tests of the MMIO instruction decoder (arch/riscv64/insn.c), on the
 * build machine: every load and store width, plain, compressed and as the transformed
 * instruction a hart may leave in htinst.
 */
#include <errno.h>

#include "insn.h"
#include "unit.h"

static void expect(const char *what, u32 insn, bool from_htinst, int err, bool store,
		   unsigned int width, bool sign, unsigned int reg, unsigned int length)
{
	struct mmio_insn mi = { 0 };
	int got = insn_decode_mmio(insn, from_htinst, &mi);

	CHECK(got == err && (err || (mi.store == store && mi.width == width &&
				     mi.sign_extend == sign && mi.reg == reg && mi.length == length)),
	      "%s (0x%08x%s): err %d store %d width %u sign %d reg %u length %u", what, insn,
	      from_htinst ? ", htinst" : "", got, mi.store, mi.width, mi.sign_extend, mi.reg,
	      mi.length);
}

/* I-type load: imm | rs1 | funct3 | rd | 0000011; S-type store: rs2 in 24:20. */
static u32 load(unsigned int funct3, unsigned int rd, unsigned int rs1)
{
	return 0x123u << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | 0x03;
}

static u32 store(unsigned int funct3, unsigned int rs2, unsigned int rs1)
{
	return rs2 << 20 | rs1 << 15 | funct3 << 12 | 0x23;
}

int main(void)
{
	static const unsigned int widths[] = { 1, 2, 4, 8 };

	for (unsigned int f = 0; f < 4; f++) {
		expect("load", load(f, 10, 11), false, 0, false, widths[f], f < 3, 10, 4);
		expect("store", store(f, 12, 11), false, 0, true, widths[f], false, 12, 4);
	}
	for (unsigned int f = 4; f < 7; f++)
		expect("unsigned load", load(f, 5, 6), false, 0, false, widths[f - 4], false, 5, 4);
	expect("funct3 7 is no load", load(7, 5, 6), false, -EINVAL, 0, 0, 0, 0, 0);
	expect("store funct3 4", store(4, 5, 6), false, -EINVAL, 0, 0, 0, 0, 0);
	expect("an ALU instruction", 0x00b50533 /* add a0, a0, a1 */, false, -EINVAL, 0, 0, 0, 0, 0);

	/* Compressed: c.lw a3, 8(a4) = 0x4714; c.ld a3, 0(a4) = 0x6314; c.sw a5, 8(a4) = 0xc71c;
	 * c.sd a5, 0(a4) = 0xe31c; c.lwsp a0, 12(sp) = 0x4532; c.sdsp ra, 8(sp) = 0xe406. */
	expect("c.lw", 0x4714, false, 0, false, 4, true, 13, 2);
	expect("c.ld", 0x6314, false, 0, false, 8, false, 13, 2);
	expect("c.sw", 0xc71c, false, 0, true, 4, false, 15, 2);
	expect("c.sd", 0xe31c, false, 0, true, 8, false, 15, 2);
	expect("c.lwsp", 0x4532, false, 0, false, 4, true, 10, 2);
	expect("c.sdsp", 0xe406, false, 0, true, 8, false, 1, 2);
	expect("c.addi is no load", 0x0505 /* addi a0, a0, 1 */, false, -EINVAL, 0, 0, 0, 0, 0);

	/* Transformed (htinst): rs1 and offset zeroed; bit 1 clear if the original was 16-bit. */
	expect("htinst lw", load(2, 9, 0) & ~(0xfffu << 20), true, 0, false, 4, true, 9, 4);
	expect("htinst from c.sd", store(3, 15, 0) & ~2u, true, 0, true, 8, false, 15, 2);
	expect("htinst from c.lw", load(2, 13, 0) & ~(0xfffu << 20) & ~2u, true, 0, false, 4, true,
	       13, 2);
	return unit_summary("insn_test");
}
