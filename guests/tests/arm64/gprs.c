/*
 * gprs.c - every general-purpose register but x0-x3 (an SMCCC call's results) survives
 * an HVC, and x1-x3 hold what the call defines (zero, for PSCI_VERSION). Written in
 * assembly: each register holds its own pattern across the call, then is compared.
 */
#include <arm64.h>
#include <hvtest.h>

/* Returns a bit mask of the registers x4..x30 that changed across HVC PSCI_VERSION. */
unsigned long gprs_changed(void);

__asm__(".text\n"
	".globl gprs_changed\n"
	"gprs_changed:\n"
	"	stp	x19, x20, [sp, #-96]!\n"
	"	stp	x21, x22, [sp, #16]\n"
	"	stp	x23, x24, [sp, #32]\n"
	"	stp	x25, x26, [sp, #48]\n"
	"	stp	x27, x28, [sp, #64]\n"
	"	stp	x29, x30, [sp, #80]\n"
	/* x(n) = 0x5a5a0000_00000000 + n, for n = 4..30 */
	"	movz	x9, #0x5a5a, lsl #48\n"
	"	.irp	n, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30\n"
	"	add	x\\n, x9, #\\n\n"
	"	.endr\n"
	"	add	x9, x9, #9\n"
	"	movz	x0, #0x8400, lsl #16\n" /* PSCI_VERSION */
	"	mov	x1, #1\n"
	"	mov	x2, #2\n"
	"	mov	x3, #3\n"
	"	hvc	#0\n"
	/* x0 collects the changed registers; x1 and x2 are free now. */
	"	mov	x0, #0\n"
	"	movz	x1, #0x5a5a, lsl #48\n"
	"	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30\n"
	"	add	x2, x1, #\\n\n"
	"	cmp	x\\n, x2\n"
	"	b.eq	1f\n"
	"	mov	x2, #1\n"
	"	lsl	x2, x2, #\\n\n"
	"	orr	x0, x0, x2\n"
	"1:\n"
	"	.endr\n"
	"	ldp	x21, x22, [sp, #16]\n"
	"	ldp	x23, x24, [sp, #32]\n"
	"	ldp	x25, x26, [sp, #48]\n"
	"	ldp	x27, x28, [sp, #64]\n"
	"	ldp	x29, x30, [sp, #80]\n"
	"	ldp	x19, x20, [sp], #96\n"
	"	ret\n");

int main(unsigned long cpu, unsigned long dtb)
{
	unsigned long changed = gprs_changed();

	hvtest_check(changed == 0, "gprs.preserved", "changed registers (bit n = xn): 0x%lx",
		     changed);
	hvtest_finish();
}
