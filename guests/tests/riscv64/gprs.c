/*
 * gprs.c - every register survives an SBI call: the SBI spec (section 3.1) lets the
 * callee change a0 and a1 only. Each register gets a pattern, the ecall happens, and
 * every register is compared; the mask of the ones that changed is returned.
 */
#include <hvtest.h>
#include <sbi.h>

/* Returns a bitmask of x1..x31 (bit n = xn) that did not keep their pattern. */
unsigned long gprs_check_ecall(void);

__asm__(".text\n"
	".globl gprs_check_ecall\n"
	"gprs_check_ecall:\n"
	/* Save what the C caller needs: ra, sp, gp, tp, s0-s11 (on the stack). */
	"	addi sp, sp, -128\n"
	"	sd ra, 0(sp)\n	sd gp, 8(sp)\n	sd tp, 16(sp)\n	sd s0, 24(sp)\n"
	"	sd s1, 32(sp)\n	sd s2, 40(sp)\n	sd s3, 48(sp)\n	sd s4, 56(sp)\n"
	"	sd s5, 64(sp)\n	sd s6, 72(sp)\n	sd s7, 80(sp)\n	sd s8, 88(sp)\n"
	"	sd s9, 96(sp)\n	sd s10, 104(sp)\n	sd s11, 112(sp)\n"
	"	la t0, gprs_saved_sp\n	sd sp, 0(t0)\n"
	/* Pattern of xn: 0x5a5a0000_0000_00nn | n << 32. */
	"	li x1, 0x5a5a000100000001\n	li x2, 0x5a5a000200000002\n"
	"	li x3, 0x5a5a000300000003\n	li x4, 0x5a5a000400000004\n"
	"	li x5, 0x5a5a000500000005\n	li x6, 0x5a5a000600000006\n"
	"	li x7, 0x5a5a000700000007\n	li x8, 0x5a5a000800000008\n"
	"	li x9, 0x5a5a000900000009\n	li x12, 0x5a5a000c0000000c\n"
	"	li x13, 0x5a5a000d0000000d\n	li x14, 0x5a5a000e0000000e\n"
	"	li x15, 0x5a5a000f0000000f\n	li x18, 0x5a5a001200000012\n"
	"	li x19, 0x5a5a001300000013\n	li x20, 0x5a5a001400000014\n"
	"	li x21, 0x5a5a001500000015\n	li x22, 0x5a5a001600000016\n"
	"	li x23, 0x5a5a001700000017\n	li x24, 0x5a5a001800000018\n"
	"	li x25, 0x5a5a001900000019\n	li x26, 0x5a5a001a0000001a\n"
	"	li x27, 0x5a5a001b0000001b\n	li x28, 0x5a5a001c0000001c\n"
	"	li x29, 0x5a5a001d0000001d\n	li x30, 0x5a5a001e0000001e\n"
	"	li x31, 0x5a5a001f0000001f\n"
	/* a7 = BASE, a6 = get_spec_version: the registers the call itself uses. */
	"	li a7, 0x10\n	li a6, 0\n	li a0, 0x5a5a000a0000000a\n"
	"	li a1, 0x5a5a000b0000000b\n"
	"	ecall\n"
	/* a0 (x10) now holds the spec version; tp collects the mask. x1..x9 first. */
	"	mv a0, zero\n"
	"	li a1, 0x5a5a000100000001\n	beq x1, a1, 1f\n	ori a0, a0, 1 << 1\n1:\n"
	"	li a1, 0x5a5a000200000002\n	beq x2, a1, 1f\n	ori a0, a0, 1 << 2\n1:\n"
	"	li a1, 0x5a5a000300000003\n	beq x3, a1, 1f\n	ori a0, a0, 1 << 3\n1:\n"
	"	li a1, 0x5a5a000400000004\n	beq x4, a1, 1f\n	ori a0, a0, 1 << 4\n1:\n"
	"	li a1, 0x5a5a000500000005\n	beq x5, a1, 1f\n	ori a0, a0, 1 << 5\n1:\n"
	"	li a1, 0x5a5a000600000006\n	beq x6, a1, 1f\n	ori a0, a0, 1 << 6\n1:\n"
	"	li a1, 0x5a5a000700000007\n	beq x7, a1, 1f\n	ori a0, a0, 1 << 7\n1:\n"
	"	li a1, 0x5a5a000800000008\n	beq x8, a1, 1f\n	ori a0, a0, 1 << 8\n1:\n"
	"	li a1, 0x5a5a000900000009\n	beq x9, a1, 1f\n	ori a0, a0, 1 << 9\n1:\n"
	"	li a1, 0x5a5a000c0000000c\n	beq x12, a1, 1f\n	li t0, 1 << 12\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a000d0000000d\n	beq x13, a1, 1f\n	li t0, 1 << 13\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a000e0000000e\n	beq x14, a1, 1f\n	li t0, 1 << 14\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a000f0000000f\n	beq x15, a1, 1f\n	li t0, 1 << 15\n	or a0, a0, t0\n1:\n"
	"	li a1, 0\n	beq x16, a1, 1f\n	li t0, 1 << 16\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x10\n	beq x17, a1, 1f\n	li t0, 1 << 17\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a001200000012\n	beq x18, a1, 1f\n	li t0, 1 << 18\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a001300000013\n	beq x19, a1, 1f\n	li t0, 1 << 19\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a001400000014\n	beq x20, a1, 1f\n	li t0, 1 << 20\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a001500000015\n	beq x21, a1, 1f\n	li t0, 1 << 21\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a001600000016\n	beq x22, a1, 1f\n	li t0, 1 << 22\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a001700000017\n	beq x23, a1, 1f\n	li t0, 1 << 23\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a001800000018\n	beq x24, a1, 1f\n	li t0, 1 << 24\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a001900000019\n	beq x25, a1, 1f\n	li t0, 1 << 25\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a001a0000001a\n	beq x26, a1, 1f\n	li t0, 1 << 26\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a001b0000001b\n	beq x27, a1, 1f\n	li t0, 1 << 27\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a001c0000001c\n	beq x28, a1, 1f\n	li t0, 1 << 28\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a001d0000001d\n	beq x29, a1, 1f\n	li t0, 1 << 29\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a001e0000001e\n	beq x30, a1, 1f\n	li t0, 1 << 30\n	or a0, a0, t0\n1:\n"
	"	li a1, 0x5a5a001f0000001f\n	beq x31, a1, 1f\n	li t0, 1 << 31\n	or a0, a0, t0\n1:\n"
	/* Back to the C world. */
	"	la t0, gprs_saved_sp\n	ld sp, 0(t0)\n"
	"	ld ra, 0(sp)\n	ld gp, 8(sp)\n	ld tp, 16(sp)\n	ld s0, 24(sp)\n"
	"	ld s1, 32(sp)\n	ld s2, 40(sp)\n	ld s3, 48(sp)\n	ld s4, 56(sp)\n"
	"	ld s5, 64(sp)\n	ld s6, 72(sp)\n	ld s7, 80(sp)\n	ld s8, 88(sp)\n"
	"	ld s9, 96(sp)\n	ld s10, 104(sp)\n	ld s11, 112(sp)\n"
	"	addi sp, sp, 128\n"
	"	ret\n");

unsigned long gprs_saved_sp;

int main(unsigned long hart, unsigned long dtb)
{
	for (int round = 0; round < 3; round++) {
		unsigned long changed = gprs_check_ecall();

		if (!hvtest_check(changed == 0, "gprs.preserved",
				  "round %d: registers changed across the SBI call, mask 0x%lx "
				  "(bit n = xn)", round, changed))
			break;
	}
	hvtest_finish();
}
