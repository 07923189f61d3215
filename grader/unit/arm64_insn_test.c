/*
 * arm64_insn_test.c - unit tests of arm64's MMIO access decoder (arch/arm64/insn.c), on
 * the build machine: insn_decode_esr(), the access as ESR_EL2's data-abort syndrome
 * describes it (ISV = 1), and insn_decode_mmio(), the A64 loads and stores with
 * writeback and the register pairs the syndrome cannot describe (ISV = 0), with the
 * refusal (-EINVAL) of every other load, store or instruction.
 *
 * The instruction words were assembled by GNU as 2.40 (aarch64-linux-gnu-as
 * -march=armv8.5-a+memtag+pauth) and the text beside each is what objdump prints for it.
 * Words marked "made:" are unallocated encodings objdump shows as undefined, made from
 * the assembled neighbour named by changing one field. The syndromes are built from the
 * bit positions of the Arm ARM (DDI 0487, D17.2.37), not from asm/sysreg.h, so that the
 * header's field macros are checked too.
 */
#include <errno.h>

#include "insn.h"
#include "unit.h"

/* Readable arguments for the expectations below. */
#define WREG false /* reg64: the register is Wn */
#define XREG true /* Xn */
#define ZX   false /* sign_extend */
#define SX   true
#define NOWB false /* writeback: offset form */
#define WB   true /* pre- or post-index */

/* A single register: always written back, as only the pre- and post-index forms are ours. */
#define LD1(w, sx, r64, rt, rn, off)                                                       \
	{ .width = (w), .sign_extend = (sx), .reg64 = (r64), .count = 1, .reg = { (rt) },   \
	  .writeback = true, .base = (rn), .offset = (off) }
#define ST1(w, r64, rt, rn, off)                                                           \
	{ .store = true, .width = (w), .reg64 = (r64), .count = 1, .reg = { (rt) },         \
	  .writeback = true, .base = (rn), .offset = (off) }
/* A pair: offset (no writeback), pre- or post-index; off is in bytes, imm7 * width. */
#define LD2(w, sx, r64, rt, rt2, rn, wb, off)                                              \
	{ .width = (w), .sign_extend = (sx), .reg64 = (r64), .count = 2, .reg = { (rt), (rt2) }, \
	  .writeback = (wb), .base = (rn), .offset = (off) }
#define ST2(w, r64, rt, rt2, rn, wb, off)                                                  \
	{ .store = true, .width = (w), .reg64 = (r64), .count = 2, .reg = { (rt), (rt2) },    \
	  .writeback = (wb), .base = (rn), .offset = (off) }

/*
 * Two fillings of *out before a decode, one with every flag set and one with every flag
 * clear: a field the decoder leaves alone is wrong after one of them.
 */
static const struct mmio_insn poison[] = {
	{ .store = true, .width = 3, .sign_extend = true, .reg64 = true, .count = 7,
	  .reg = { 99, 99 }, .writeback = true, .base = 99, .offset = 0x5a5a5a5a },
	{ .store = false, .width = 0, .sign_extend = false, .reg64 = false, .count = 0,
	  .reg = { 77, 77 }, .writeback = false, .base = 77, .offset = -0x5a5a5a5a },
};

/*
 * Do two decodes agree? reg[1] only matters for a pair; the addressing (base, offset,
 * also decoded for a pair's offset form) only for an instruction, not for a syndrome.
 */
static bool same(const struct mmio_insn *got, const struct mmio_insn *want, bool addressing)
{
	return got->store == want->store && got->width == want->width &&
	       got->sign_extend == want->sign_extend && got->reg64 == want->reg64 &&
	       got->count == want->count && got->reg[0] == want->reg[0] &&
	       (want->count < 2 || got->reg[1] == want->reg[1]) &&
	       got->writeback == want->writeback &&
	       (!addressing || (got->base == want->base && got->offset == want->offset));
}

#define MI_FMT "store %d width %u sign %d reg64 %d count %u reg %u,%u wb %d base %u offset %ld"
#define MI_ARGS(m)                                                                         \
	(m).store, (m).width, (m).sign_extend, (m).reg64, (m).count, (m).reg[0], (m).reg[1], \
		(m).writeback, (m).base, (long)(m).offset

/* insn decodes to *want, whatever *out held before (one check for both fillings). */
static void expect_insn(u32 insn, const char *text, const struct mmio_insn *want)
{
	struct mmio_insn got;
	int err;

	for (unsigned int i = 0; i < ARRAY_SIZE(poison); i++) {
		got = poison[i];
		err = insn_decode_mmio(insn, &got);
		if (err || !same(&got, want, true))
			break;
	}
	CHECK(err == 0 && same(&got, want, true),
	      "%s (0x%08x): err %d, got " MI_FMT ", want " MI_FMT, text, insn, err,
	      MI_ARGS(got), MI_ARGS(*want));
}

static void expect_refused(u32 insn, const char *text)
{
	struct mmio_insn got = poison[0];
	int err = insn_decode_mmio(insn, &got);

	CHECK(err == -EINVAL, "%s (0x%08x) is not ours: err %d", text, insn, err);
}

/* ---- insn_decode_mmio: what it decodes ----------------------------------------------- */

static const struct {
	u32 insn;
	const char *text;
	struct mmio_insn want;
} decoded[] = {
	/* Post-index (bits 11:10 = 01): the access at [Rn], then Rn += imm9, unscaled. Every
	 * width of STR and LDR; LDRSB and LDRSH fill Wt (opc 11) or Xt (opc 10), LDRSW Xt. */
	{ 0x38001441, "strb w1, [x2], #1", ST1(1, WREG, 1, 2, 1) },
	{ 0x781fe483, "strh w3, [x4], #-2", ST1(2, WREG, 3, 4, -2) },
	{ 0xb80044c5, "str w5, [x6], #4", ST1(4, WREG, 5, 6, 4) },
	{ 0xf81f8507, "str x7, [x8], #-8", ST1(8, XREG, 7, 8, -8) },
	{ 0x384ff549, "ldrb w9, [x10], #255", LD1(1, ZX, WREG, 9, 10, 255) },
	{ 0x7850058b, "ldrh w11, [x12], #-256", LD1(2, ZX, WREG, 11, 12, -256) },
	{ 0xb84105cd, "ldr w13, [x14], #16", LD1(4, ZX, WREG, 13, 14, 16) },
	{ 0xf85f07ef, "ldr x15, [sp], #-16", LD1(8, ZX, XREG, 15, 31, -16) },
	{ 0x38c01630, "ldrsb w16, [x17], #1", LD1(1, SX, WREG, 16, 17, 1) },
	{ 0x389ff672, "ldrsb x18, [x19], #-1", LD1(1, SX, XREG, 18, 19, -1) },
	{ 0x78c026b4, "ldrsh w20, [x21], #2", LD1(2, SX, WREG, 20, 21, 2) },
	{ 0x789fe6f6, "ldrsh x22, [x23], #-2", LD1(2, SX, XREG, 22, 23, -2) },
	{ 0xb8804738, "ldrsw x24, [x25], #4", LD1(4, SX, XREG, 24, 25, 4) },
	{ 0x78df07ef, "ldrsh w15, [sp], #-16", LD1(2, SX, WREG, 15, 31, -16) },
	/* Pre-index (11): the access at [Rn + imm9], which Rn keeps. */
	{ 0x381ffc41, "strb w1, [x2, #-1]!", ST1(1, WREG, 1, 2, -1) },
	{ 0x78002c83, "strh w3, [x4, #2]!", ST1(2, WREG, 3, 4, 2) },
	{ 0xb81fccc5, "str w5, [x6, #-4]!", ST1(4, WREG, 5, 6, -4) },
	{ 0xf81f0fe7, "str x7, [sp, #-16]!", ST1(8, XREG, 7, 31, -16) },
	{ 0x38401d49, "ldrb w9, [x10, #1]!", LD1(1, ZX, WREG, 9, 10, 1) },
	{ 0x785fed8b, "ldrh w11, [x12, #-2]!", LD1(2, ZX, WREG, 11, 12, -2) },
	{ 0xb8500dcd, "ldr w13, [x14, #-256]!", LD1(4, ZX, WREG, 13, 14, -256) },
	{ 0xf84ffe0f, "ldr x15, [x16, #255]!", LD1(8, ZX, XREG, 15, 16, 255) },
	{ 0x38dfde30, "ldrsb w16, [x17, #-3]!", LD1(1, SX, WREG, 16, 17, -3) },
	{ 0x38803e72, "ldrsb x18, [x19, #3]!", LD1(1, SX, XREG, 18, 19, 3) },
	{ 0x78dfceb4, "ldrsh w20, [x21, #-4]!", LD1(2, SX, WREG, 20, 21, -4) },
	{ 0x78804ef6, "ldrsh x22, [x23, #4]!", LD1(2, SX, XREG, 22, 23, 4) },
	{ 0xb89f8f38, "ldrsw x24, [x25, #-8]!", LD1(4, SX, XREG, 24, 25, -8) },
	{ 0xf85f0fbe, "ldr x30, [x29, #-16]!", LD1(8, ZX, XREG, 30, 29, -16) },
	/* Register 31 is XZR/WZR as Rt, SP as Rn. */
	{ 0xf8008c1f, "str xzr, [x0, #8]!", ST1(8, XREG, 31, 0, 8) },
	{ 0x381ff7ff, "strb wzr, [sp], #-1", ST1(1, WREG, 31, 31, -1) },
	{ 0xf840843f, "ldr xzr, [x1], #8", LD1(8, ZX, XREG, 31, 1, 8) },

	/* Pairs (bits 24:23: 10 offset, 11 pre-index, 01 post-index): imm7 scaled by the
	 * width, 4 for opc 00 (Wt) and LDPSW, 8 for opc 10 (Xt). */
	{ 0x29000861, "stp w1, w2, [x3]", ST2(4, WREG, 1, 2, 3, NOWB, 0) },
	{ 0x297f14c4, "ldp w4, w5, [x6, #-8]", LD2(4, ZX, WREG, 4, 5, 6, NOWB, -8) },
	{ 0x29a02127, "stp w7, w8, [x9, #-256]!", ST2(4, WREG, 7, 8, 9, WB, -256) },
	{ 0x28dfad8a, "ldp w10, w11, [x12], #252", LD2(4, ZX, WREG, 10, 11, 12, WB, 252) },
	{ 0xa9bf3bed, "stp x13, x14, [sp, #-16]!", ST2(8, XREG, 13, 14, 31, WB, -16) },
	{ 0xa8c143ef, "ldp x15, x16, [sp], #16", LD2(8, ZX, XREG, 15, 16, 31, WB, 16) },
	{ 0xa9604a71, "ldp x17, x18, [x19, #-512]", LD2(8, ZX, XREG, 17, 18, 19, NOWB, -512) },
	{ 0xa89fd6d4, "stp x20, x21, [x22], #504", ST2(8, XREG, 20, 21, 22, WB, 504) },
	{ 0xa9a00440, "stp x0, x1, [x2, #-512]!", ST2(8, XREG, 0, 1, 2, WB, -512) },
	{ 0xa95f8440, "ldp x0, x1, [x2, #504]", LD2(8, ZX, XREG, 0, 1, 2, NOWB, 504) },
	{ 0xa9ba7bfd, "stp x29, x30, [sp, #-96]!", ST2(8, XREG, 29, 30, 31, WB, -96) },
	/* LDPSW (opc 01, a load): two words, each sign-extended into an Xt. */
	{ 0x69406337, "ldpsw x23, x24, [x25]", LD2(4, SX, XREG, 23, 24, 25, NOWB, 0) },
	{ 0x69ffef9a, "ldpsw x26, x27, [x28, #-4]!", LD2(4, SX, XREG, 26, 27, 28, WB, -4) },
	{ 0x68e00440, "ldpsw x0, x1, [x2], #-256", LD2(4, SX, XREG, 0, 1, 2, WB, -256) },
	/* LDNP/STNP (00): an offset with a non-temporal hint, which changes nothing here. */
	{ 0x287f90a3, "ldnp w3, w4, [x5, #-4]", LD2(4, ZX, WREG, 3, 4, 5, NOWB, -4) },
	{ 0x281f9d06, "stnp w6, w7, [x8, #252]", ST2(4, WREG, 6, 7, 8, NOWB, 252) },
	{ 0xa8602969, "ldnp x9, x10, [x11, #-512]", LD2(8, ZX, XREG, 9, 10, 11, NOWB, -512) },
	{ 0xa800b3ff, "stnp xzr, x12, [sp, #8]", ST2(8, XREG, 31, 12, 31, NOWB, 8) },
};

/* ---- insn_decode_mmio: what it refuses ---------------------------------------------- */

static const struct {
	u32 insn;
	const char *text;
} refused[] = {
	/* SIMD and FP registers (V, bit 26, set): never a device access of ours. */
	{ 0x3cc10420, "ldr q0, [x1], #16" },
	{ 0xfc1f8c62, "str d2, [x3, #-8]!" },
	{ 0x3c4014a4, "ldr b4, [x5], #1" },
	{ 0x6d400440, "ldp d0, d1, [x2]" },
	{ 0xadbf13e3, "stp q3, q4, [sp, #-32]!" },
	{ 0x2cc118e5, "ldp s5, s6, [x7], #8" },
	/* Unsigned offset (bits 25:24 = 01): no writeback, so the syndrome has ISV = 1 and
	 * insn_decode_esr() describes it; insn.c refuses it here (both its masks need 25:24 =
	 * 00 for single registers, and 29:25 = 10100 for pairs). */
	{ 0xf9400020, "ldr x0, [x1]" },
	{ 0xb9400462, "ldr w2, [x3, #4]" },
	{ 0x393ffca4, "strb w4, [x5, #4095]" },
	{ 0xb98008e6, "ldrsw x6, [x7, #8]" },
	{ 0xf9800000, "prfm pldl1keep, [x0]" },
	/* Unscaled (bits 11:10 = 00) and unprivileged (10) forms: ISV = 1 as well. */
	{ 0xf85f8128, "ldur x8, [x9, #-8]" },
	{ 0x3800116a, "sturb w10, [x11, #1]" },
	{ 0xf84089ac, "ldtr x12, [x13, #8]" },
	{ 0x780009ee, "sttrh w14, [x15]" },
	{ 0x995fc041, "ldapur w1, [x2, #-4]" },
	/* Register offset, PC-relative literal, pointer authentication (bit 21 set). */
	{ 0xf8626820, "ldr x0, [x1, x2]" },
	{ 0x58000003, "ldr x3, ." },
	{ 0xf8201ca4, "ldraa x4, [x5, #8]!" },
	/* Exclusives, load-acquire, atomics: the guest must not expect them to work on MMIO. */
	{ 0xc85f7e30, "ldxr x16, [x17]" },
	{ 0x88127e93, "stxr w18, w19, [x20]" },
	{ 0xc87fdaf5, "ldaxp x21, x22, [x23]" },
	{ 0x88dfff38, "ldar w24, [x25]" },
	{ 0xf83a039b, "ldadd x26, x27, [x28]" },
	{ 0xb8208041, "swp w0, w1, [x2]" },
	/* Unallocated single-register pre/post-index encodings. */
	{ 0xb8df8f38, "made: ldrsw x24, [x25, #-8]! with opc 11 (no LDRSW into Wt)" },
	{ 0xf89f07ef, "made: ldr x15, [sp], #-16 with opc 10 (PRFM has no writeback form)" },
	{ 0xf8df07ef, "made: ldr x15, [sp], #-16 with opc 11" },
	/* Pair space: STGP (opc 01, a store: MTE's store of tag and data) in all three
	 * forms, the reserved opc 11, and opc 01 with bits 24:23 = 00 (no LDNPSW, STNP). */
	{ 0x69000440, "stgp x0, x1, [x2]" },
	{ 0x698090a3, "stgp x3, x4, [x5, #16]!" },
	{ 0x68bf1d06, "stgp x6, x7, [x8], #-32" },
	{ 0xe9604a71, "made: ldp x17, x18, [x19, #-512] with opc 11" },
	{ 0x68406337, "made: ldpsw x23, x24, [x25] with bits 24:23 = 00" },
	{ 0x68000440, "made: stgp x0, x1, [x2] with bits 24:23 = 00" },
	/* Not a load or store at all. */
	{ 0x14000002, "b .+8" },
	{ 0x97ffffff, "bl .-4" },
	{ 0x91000400, "add x0, x0, #1" },
	{ 0x00000000, "udf #0" },
};

/* ---- insn_decode_mmio: every immediate and register number -------------------------- */

/*
 * Every imm9 of a pre-index LDR (f8400c20: ldr x0, [x1, #0]!) sign-extends into the
 * offset, unscaled; every imm7 of three pairs is sign-extended and scaled by the width.
 * The pairs use distinct Rt and Rt2: a load into the same register twice is
 * CONSTRAINED UNPREDICTABLE (objdump calls LDPSW's undefined).
 */
static void sweep_immediates(void)
{
	static const struct {
		u32 insn;
		const char *text;
		struct mmio_insn want;
	} pairs[] = {
		{ 0xa9c00c82, "ldp x2, x3, [x4, #imm]!", LD2(8, ZX, XREG, 2, 3, 4, WB, 0) },
		{ 0x29800c82, "stp w2, w3, [x4, #imm]!", ST2(4, WREG, 2, 3, 4, WB, 0) },
		{ 0x68c00c82, "ldpsw x2, x3, [x4], #imm", LD2(4, SX, XREG, 2, 3, 4, WB, 0) },
	};

	for (int imm = -256; imm < 256; imm++) {
		struct mmio_insn want = LD1(8, ZX, XREG, 0, 1, imm);

		expect_insn(0xf8400c20 | ((u32)imm & 0x1ff) << 12, "ldr x0, [x1, #imm]!", &want);
	}
	for (unsigned int p = 0; p < ARRAY_SIZE(pairs); p++) {
		for (int imm = -64; imm < 64; imm++) {
			struct mmio_insn want = pairs[p].want;

			want.offset = (s64)imm * want.width;
			expect_insn(pairs[p].insn | ((u32)imm & 0x7f) << 15, pairs[p].text, &want);
		}
	}
}

/*
 * Every register number in every register field: Rt (4:0), Rn (9:5), Rt2 (14:10). One
 * combination (ldp x10, x21, [x21], #16) writes back a base it also loads, which is
 * CONSTRAINED UNPREDICTABLE: the decoder reports the fields all the same.
 */
static void sweep_registers(void)
{
	for (unsigned int r = 0; r < 32; r++) {
		unsigned int rt2 = 31 - r, rn = (r * 5 + 3) % 32;
		struct mmio_insn single = ST1(4, WREG, r, rn, -4);
		struct mmio_insn pair = LD2(8, ZX, XREG, r, rt2, rn, WB, 16);

		/* b81fccc5: str w5, [x6, #-4]!; a8c143ef: ldp x15, x16, [sp], #16 */
		expect_insn((0xb81fccc5 & ~0x3ffu) | rn << 5 | r, "str wR, [xN, #-4]!", &single);
		expect_insn((0xa8c143ef & ~0x7fffu) | rt2 << 10 | rn << 5 | r,
			    "ldp xR, xR2, [xN], #16", &pair);
	}
}

/* ---- insn_decode_esr ------------------------------------------------------------------ */

/*
 * A data abort's ESR_EL2 (D17.2.37): EC (31:26), IL (25), and in the ISS ISV (24), SAS
 * (23:22), SSE (21), SRT (20:16), SF (15), WnR (6).
 */
static u64 esr_dabt(unsigned int sas, bool sse, unsigned int srt, bool sf, bool wnr)
{
	return 0x24UL << 26 | 1UL << 25 | 1UL << 24 | (u64)sas << 22 | (u64)sse << 21 |
	       (u64)srt << 16 | (u64)sf << 15 | (u64)wnr << 6;
}

/*
 * Everything else a syndrome may carry, none of which describes the access: EC 0x25 (an
 * abort from EL2 itself) instead of 0x24, ISS2 (36:32, LS64's register), AR (14), VNCR
 * (13), SET (12:11), FnV (10), EA (9), CM (8), S1PTW (7) and a DFSC (5:0).
 */
#define ESR_NOISE (0x1fUL << 32 | 1UL << 26 | 0xffUL << 7 | 0x3fUL)

/* What the syndrome's fields say: one register, no writeback. */
static struct mmio_insn esr_access(unsigned int sas, bool sse, unsigned int srt, bool sf,
				   bool wnr)
{
	return (struct mmio_insn){ .store = wnr, .width = 1U << sas, .sign_extend = sse,
				   .reg64 = sf, .count = 1, .reg = { srt } };
}

/* esr decodes to *want, whatever *out held before (one check for both fillings). */
static void expect_esr(u64 esr, const struct mmio_insn *want)
{
	struct mmio_insn got;

	for (unsigned int i = 0; i < ARRAY_SIZE(poison); i++) {
		got = poison[i];
		insn_decode_esr(esr, &got);
		if (!same(&got, want, false))
			break;
	}
	CHECK(same(&got, want, false), "esr 0x%lx: got " MI_FMT ", want " MI_FMT,
	      (unsigned long)esr, MI_ARGS(got), MI_ARGS(*want));
}

static void test_esr(void)
{
	/* Five syndromes written out, as a guest's access to an unmapped IPA gives them
	 * (DFSC 0b0001LL: a translation fault at level LL); each must also be what
	 * esr_dabt() builds from its fields, which checks esr_dabt() for the sweep below. */
	static const struct {
		u64 esr;
		const char *text;
		unsigned int sas, srt;
		bool sse, sf, wnr;
	} examples[] = {
		{ 0x93810047, "str w1", .sas = 2, .srt = 1, .wnr = true },
		{ 0x93630006, "ldrsh w3", .sas = 1, .srt = 3, .sse = true },
		{ 0x93de8045, "str x30", .sas = 3, .srt = 30, .sf = true, .wnr = true },
		{ 0x93298007, "ldrsb x9", .sas = 0, .srt = 9, .sse = true, .sf = true },
		{ 0x931f0047, "strb wzr", .sas = 0, .srt = 31, .wnr = true },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(examples); i++) {
		unsigned int sas = examples[i].sas, srt = examples[i].srt;
		bool sse = examples[i].sse, sf = examples[i].sf, wnr = examples[i].wnr;
		struct mmio_insn want = esr_access(sas, sse, srt, sf, wnr);

		CHECK((examples[i].esr & ~0x3fUL) == esr_dabt(sas, sse, srt, sf, wnr),
		      "%s: 0x%lx is not what esr_dabt() builds", examples[i].text,
		      (unsigned long)examples[i].esr);
		expect_esr(examples[i].esr, &want);
	}

	/* Every value of every field against every other, with and without the bits that
	 * say nothing about the access. */
	for (unsigned int sas = 0; sas < 4; sas++)
		for (unsigned int flags = 0; flags < 16; flags++)
			for (unsigned int srt = 0; srt < 32; srt++) {
				bool sse = flags & 1, sf = flags & 2, wnr = flags & 4;
				struct mmio_insn want = esr_access(sas, sse, srt, sf, wnr);
				u64 esr = esr_dabt(sas, sse, srt, sf, wnr);

				expect_esr(flags & 8 ? esr | ESR_NOISE : esr, &want);
			}
}

int main(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(decoded); i++)
		expect_insn(decoded[i].insn, decoded[i].text, &decoded[i].want);
	for (unsigned int i = 0; i < ARRAY_SIZE(refused); i++)
		expect_refused(refused[i].insn, refused[i].text);
	sweep_immediates();
	sweep_registers();
	test_esr();
	return unit_summary("arm64_insn_test");
}
