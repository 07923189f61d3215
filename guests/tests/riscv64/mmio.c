/*
 * mmio.c - loads and stores of every width to the MMIO test device (hvlab,testdev at
 * 0x10010000): the hypervisor decodes each trapping instruction, plain and compressed,
 * and must give loads the right sign or zero extension.
 */
#include <hvtest.h>

#define TESTDEV 0x10010000UL
#define ID 0x00
#define SCRATCH 0x08
#define COUNT 0x40

static volatile u8 *const dev = (volatile u8 *)TESTDEV;

#define READ(type, off) (*(volatile type *)(dev + (off)))
#define WRITE(type, off, v) (*(volatile type *)(dev + (off)) = (type)(v))

/*
 * One load instruction of each kind, written out: a C cast would let the compiler pick
 * LBU and extend the sign itself, and the hypervisor's extension would go untested.
 */
#define LOAD(insn, off)                                                                    \
	({                                                                                 \
		unsigned long __v;                                                         \
		__asm__ volatile(insn " %0, 0(%1)" : "=r"(__v) : "r"(dev + (off)) : "memory"); \
		__v;                                                                       \
	})

/*
 * A compressed store of value, then a compressed load, at TESTDEV + 0x10 + off. The
 * register variables (x8-x15, as the compressed forms need) are set right before the asm:
 * a call in between could clobber them.
 */
#define C_STORE_LOAD(store, load, off, value)                                              \
	({                                                                                 \
		register unsigned long __base __asm__("a4") = TESTDEV + 0x10;              \
		register unsigned long __val __asm__("a5") = (value);                      \
		register unsigned long __got __asm__("a3");                                \
		__asm__ volatile(store " %1, " #off "(%2)\n " load " %0, " #off "(%2)"      \
				 : "=&r"(__got)                                            \
				 : "r"(__val), "r"(__base)                                 \
				 : "memory");                                              \
		__got;                                                                     \
	})

int main(unsigned long hart, unsigned long dtb)
{
	u64 v;

	v = READ(u64, ID);
	hvtest_check(v == 0x5644545345545648UL, "mmio.id_64", "ID reads 0x%lx", (unsigned long)v);
	hvtest_check(READ(u32, ID + 4) == 0x56445453U, "mmio.id_32", "upper half 0x%x",
		     READ(u32, ID + 4));

	/* Stores of each width, read back at each width. */
	WRITE(u64, SCRATCH, 0x8877665544332211UL);
	WRITE(u8, SCRATCH, 0xf1);
	WRITE(u16, SCRATCH + 2, 0xa3b3);
	WRITE(u32, SCRATCH + 4, 0xc5d5e5f5U);
	v = READ(u64, SCRATCH);
	hvtest_check(v == 0xc5d5e5f5a3b322f1UL, "mmio.store_widths", "read 0x%lx", (unsigned long)v);

	/* Loads: LB/LH/LW extend the sign, LBU/LHU/LWU do not (checked in registers). */
	v = LOAD("lb", SCRATCH);
	hvtest_check(v == 0xfffffffffffffff1UL, "mmio.lb_sign", "LB gave 0x%lx", (unsigned long)v);
	v = LOAD("lbu", SCRATCH);
	hvtest_check(v == 0xf1, "mmio.lbu_zero", "LBU gave 0x%lx", (unsigned long)v);
	v = LOAD("lh", SCRATCH + 2);
	hvtest_check(v == 0xffffffffffffa3b3UL, "mmio.lh_sign", "LH gave 0x%lx", (unsigned long)v);
	v = LOAD("lhu", SCRATCH + 2);
	hvtest_check(v == 0xa3b3, "mmio.lhu_zero", "LHU gave 0x%lx", (unsigned long)v);
	v = LOAD("lw", SCRATCH + 4);
	hvtest_check(v == 0xffffffffc5d5e5f5UL, "mmio.lw_sign", "LW gave 0x%lx", (unsigned long)v);
	v = LOAD("lwu", SCRATCH + 4);
	hvtest_check(v == 0xc5d5e5f5UL, "mmio.lwu_zero", "LWU gave 0x%lx", (unsigned long)v);
	v = LOAD("ld", SCRATCH);
	hvtest_check(v == 0xc5d5e5f5a3b322f1UL, "mmio.ld", "LD gave 0x%lx", (unsigned long)v);

	/* Compressed forms: C.SD, C.LD, C.SW, C.LW work on x8-x15 (s0, s1, a0-a5). */
	v = C_STORE_LOAD("c.sd", "c.ld", 0, 0x0123456789abcdefUL);
	hvtest_check(v == 0x0123456789abcdefUL, "mmio.compressed_64", "C.LD gave 0x%lx",
		     (unsigned long)v);
	v = C_STORE_LOAD("c.sw", "c.lw", 8, 0x80000001UL);
	hvtest_check(v == 0xffffffff80000001UL, "mmio.compressed_32_sign",
		     "C.LW gave 0x%lx (it sign-extends)", (unsigned long)v);

	/* Writes to the read-only ID are ignored; loads into x0 are harmless. */
	WRITE(u64, ID, 0);
	hvtest_check(READ(u64, ID) == 0x5644545345545648UL, "mmio.id_read_only", "ID changed");
	__asm__ volatile("ld zero, 0(%0)" : : "r"(dev) : "memory");
	v = READ(u64, COUNT);
	hvtest_check(v >= 18, "mmio.device_saw_accesses", "the device counted %lu", (unsigned long)v);
	hvtest_finish();
}
