/*
 * mmio.c - loads and stores of every width to the MMIO test device (hvlab,testdev at
 * 0x0b000000). Each access traps to the hypervisor as a stage-2 data abort. For a plain
 * LDR or STR the CPU describes it in ESR_EL2 (ISV = 1: size, sign extension, register);
 * for pairs and writeback forms it does not (ISV = 0), and the hypervisor must decode the
 * instruction itself (Arm ARM D17.2.37, C4.1.94). Either way a load must give the register
 * the right sign or zero extension, 64 or 32 bits wide.
 *
 * Every access is an instruction written out in inline assembly: from C the compiler
 * would pick LDRB and extend the sign itself, and the hypervisor's extension would go
 * untested. The MMU is off, so the device is Device memory: every access is aligned.
 */
#include <arm64.h>
#include <hvtest.h>

#define TESTDEV 0x0b000000UL
#define ID	0x00 /* "HVTESTDV", read-only */
#define SCRATCH 0x08 /* seven 64-bit scratch registers, up to 0x3f */
#define COUNT	0x40 /* accesses so far */

#define TESTDEV_ID 0x5644545345545648UL
/* What a load's register holds before it: bits a load fails to write show up. */
#define JUNK 0x5a5a5a5a5a5a5a5aUL

/* One load: LOAD("ldrsb", "w", off) is "ldrsb wN, [xM]"; the result is all of xN. */
#define LOAD(insn, reg, off)                                                                       \
	({                                                                                         \
		u64 __v = JUNK;                                                                    \
		__asm__ volatile(insn " %" reg "0, [%x1]"                                          \
				 : "+r"(__v)                                                       \
				 : "r"(TESTDEV + (off))                                            \
				 : "memory");                                                      \
		__v;                                                                               \
	})

/* One store: STORE("strh", "w", off, v) is "strh wN, [xM]". */
#define STORE(insn, reg, off, v)                                                                   \
	__asm__ volatile(insn " %" reg "0, [%x1]"                                                  \
			 :                                                                         \
			 : "r"((u64)(v)), "r"(TESTDEV + (off))                                     \
			 : "memory")

#define READ64(off)	LOAD("ldr", "x", off)
#define WRITE64(off, v) STORE("str", "x", off, v)

/* Checks a load's result (done once, by the caller), naming the instruction if it fails. */
static void check_load(const char *name, const char *insn, u64 got, u64 want)
{
	hvtest_check(got == want, name, "%s gave 0x%lx, not 0x%lx", insn, (unsigned long)got,
		     (unsigned long)want);
}

int main(unsigned long cpu, unsigned long dtb)
{
	u64 v, a, b, base;

	/* Plain loads (ISV = 1). */
	check_load("mmio.id_64", "LDR Xt", READ64(ID), TESTDEV_ID);
	check_load("mmio.id_32", "LDR Wt", LOAD("ldr", "w", ID + 4), 0x56445453UL);

	/* Stores of each width, read back as one 64-bit register. */
	WRITE64(SCRATCH, 0x8877665544332211UL);
	STORE("strb", "w", SCRATCH, 0xf1);
	STORE("strh", "w", SCRATCH + 2, 0xa3b3);
	STORE("str", "w", SCRATCH + 4, 0xc5d5e5f5);
	check_load("mmio.store_widths", "LDR Xt", READ64(SCRATCH), 0xc5d5e5f5a3b322f1UL);

	/*
	 * Narrow loads of those bytes, all with the sign bit set: LDRB/LDRH/LDR Wt zero-extend,
	 * LDRSB/LDRSH/LDRSW Xt sign-extend to 64 bits, and LDRSB Wt to 32 - the upper half of
	 * Xt is zero, as any write of a W register leaves it.
	 */
	check_load("mmio.ldrb_zero", "LDRB Wt", LOAD("ldrb", "w", SCRATCH), 0xf1UL);
	check_load("mmio.ldrsb_x", "LDRSB Xt", LOAD("ldrsb", "x", SCRATCH), 0xfffffffffffffff1UL);
	check_load("mmio.ldrsb_w", "LDRSB Wt", LOAD("ldrsb", "w", SCRATCH), 0x00000000fffffff1UL);
	check_load("mmio.ldrh_zero", "LDRH Wt", LOAD("ldrh", "w", SCRATCH + 2), 0xa3b3UL);
	check_load("mmio.ldrsh_x", "LDRSH Xt", LOAD("ldrsh", "x", SCRATCH + 2),
		   0xffffffffffffa3b3UL);
	check_load("mmio.ldr_w_zero", "LDR Wt", LOAD("ldr", "w", SCRATCH + 4), 0xc5d5e5f5UL);
	check_load("mmio.ldrsw", "LDRSW Xt", LOAD("ldrsw", "x", SCRATCH + 4), 0xffffffffc5d5e5f5UL);

	/*
	 * Register 31 is XZR here: a store of it writes 0, a load into it is discarded. The
	 * hypervisor must not take 31 as an index into x0-x30 (what follows them may be the
	 * saved pc): that the guest runs on to the verdict shows the load was harmless.
	 */
	WRITE64(SCRATCH + 8, 0x0123456789abcdefUL);
	__asm__ volatile("str xzr, [%x0]" : : "r"(TESTDEV + SCRATCH + 8) : "memory");
	v = READ64(SCRATCH + 8);
	__asm__ volatile("ldr xzr, [%x0]" : : "r"(TESTDEV + ID) : "memory");
	hvtest_check(v == 0, "mmio.xzr", "after STR XZR the register reads 0x%lx",
		     (unsigned long)v);

	/* Pairs (ISV = 0): Rt at the address, Rt2 at the next. */
	WRITE64(SCRATCH + 8, 0x8000000000000001UL);
	WRITE64(SCRATCH + 16, 0x7ffffffffffffffeUL);
	a = b = JUNK;
	__asm__ volatile("ldp %x0, %x1, [%x2]"
			 : "+r"(a), "+r"(b)
			 : "r"(TESTDEV + SCRATCH + 8)
			 : "memory");
	hvtest_check(a == 0x8000000000000001UL && b == 0x7ffffffffffffffeUL, "mmio.ldp",
		     "LDP gave 0x%lx, 0x%lx", (unsigned long)a, (unsigned long)b);

	__asm__ volatile("stp %x0, %x1, [%x2]"
			 :
			 : "r"(0xfedcba9876543210UL), "r"(0x0f1e2d3c4b5a6978UL),
			   "r"(TESTDEV + SCRATCH + 24)
			 : "memory");
	a = READ64(SCRATCH + 24);
	b = READ64(SCRATCH + 32);
	hvtest_check(a == 0xfedcba9876543210UL && b == 0x0f1e2d3c4b5a6978UL, "mmio.stp",
		     "after STP the registers read 0x%lx, 0x%lx", (unsigned long)a,
		     (unsigned long)b);

	/* A pair of W registers zero-extends each, LDPSW sign-extends each. */
	WRITE64(SCRATCH + 40, 0x89abcdef01234567UL);
	a = b = JUNK;
	__asm__ volatile("ldp %w0, %w1, [%x2]"
			 : "+r"(a), "+r"(b)
			 : "r"(TESTDEV + SCRATCH + 40)
			 : "memory");
	hvtest_check(a == 0x01234567UL && b == 0x89abcdefUL, "mmio.ldp_w",
		     "LDP Wt gave 0x%lx, 0x%lx", (unsigned long)a, (unsigned long)b);
	a = b = JUNK;
	__asm__ volatile("ldpsw %x0, %x1, [%x2]"
			 : "+r"(a), "+r"(b)
			 : "r"(TESTDEV + SCRATCH + 40)
			 : "memory");
	hvtest_check(a == 0x01234567UL && b == 0xffffffff89abcdefUL, "mmio.ldpsw",
		     "LDPSW gave 0x%lx, 0x%lx", (unsigned long)a, (unsigned long)b);

	/* Writeback (ISV = 0): post-index loads at base, then base += 8. */
	base = TESTDEV + SCRATCH;
	v = JUNK;
	__asm__ volatile("ldr %x0, [%x1], #8" : "+r"(v), "+r"(base) : : "memory");
	hvtest_check(v == 0xc5d5e5f5a3b322f1UL && base == TESTDEV + SCRATCH + 8, "mmio.post_index",
		     "LDR Xt, [Xn], #8 gave 0x%lx, Xn = 0x%lx", (unsigned long)v,
		     (unsigned long)base);

	/* Pre-index with a negative offset: base -= 8, then the store at the new base. */
	base = TESTDEV + SCRATCH + 56;
	__asm__ volatile("str %x1, [%x0, #-8]!"
			 : "+r"(base)
			 : "r"(0xa5a5a5a55a5a5a5aUL)
			 : "memory");
	v = READ64(SCRATCH + 48);
	hvtest_check(v == 0xa5a5a5a55a5a5a5aUL && base == TESTDEV + SCRATCH + 48, "mmio.pre_index",
		     "after STR Xt, [Xn, #-8]! the register reads 0x%lx, Xn = 0x%lx",
		     (unsigned long)v, (unsigned long)base);

	/* Writes to the read-only ID are ignored. */
	WRITE64(ID, 0);
	check_load("mmio.id_read_only", "LDR Xt", READ64(ID), TESTDEV_ID);

	/* 36 accesses above (a pair is two), and this read counts itself. */
	v = READ64(COUNT);
	hvtest_check(v >= 37, "mmio.device_saw_accesses", "the device counted %lu",
		     (unsigned long)v);
	hvtest_finish();
}
