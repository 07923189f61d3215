/* ipi.c - SBI send_ipi to the guest's own hart: a supervisor software interrupt (VSSIP). */
#include <hvtest.h>
#include <rv.h>
#include <sbi.h>

static volatile int soft;

static void on_irq(unsigned long cause)
{
	if (cause == (CAUSE_IRQ | IRQ_SOFT)) {
		soft++;
		csr_clear(sip, SIE_SSIE); /* the guest clears it: sip.SSIP is its own */
	}
}

int main(unsigned long hart, unsigned long dtb)
{
	struct sbiret ret;

	irq_handler = on_irq;
	csr_set(sie, SIE_SSIE);
	csr_set(sstatus, SSTATUS_SIE);

	/* hart_mask 1, base 0: hart 0 - this one. The interrupt is taken on return. */
	ret = sbi_call(SBI_EXT_IPI, 0, 1, 0, 0, 0);
	hvtest_check(ret.error == SBI_SUCCESS && soft == 1, "ipi.self", "error %ld, %d interrupts",
		     ret.error, soft);
	/* base -1: every hart. */
	ret = sbi_call(SBI_EXT_IPI, 0, 0, ~0UL, 0, 0);
	hvtest_check(ret.error == SBI_SUCCESS && soft == 2, "ipi.all_harts", "error %ld, %d",
		     ret.error, soft);
	/* A hart the VM does not have. */
	ret = sbi_call(SBI_EXT_IPI, 0, 2, 0, 0, 0);
	hvtest_check(ret.error == SBI_ERR_INVALID_PARAM && soft == 2, "ipi.bad_hart",
		     "error %ld, %d interrupts", ret.error, soft);
	/* Masked: pending but not taken until enabled. */
	csr_clear(sstatus, SSTATUS_SIE);
	sbi_call(SBI_EXT_IPI, 0, 1, 0, 0, 0);
	hvtest_check(soft == 2 && (csr_read(sip) & SIE_SSIE), "ipi.pending_while_masked",
		     "%d interrupts, sip 0x%lx", soft, csr_read(sip));
	csr_set(sstatus, SSTATUS_SIE);
	hvtest_check(soft == 3, "ipi.taken_when_enabled", "%d interrupts", soft);
	/* Remote fences for its own hart succeed (one hart: a local fence). */
	ret = sbi_call(SBI_EXT_RFENCE, 0, 1, 0, 0, 0);
	hvtest_check(ret.error == SBI_SUCCESS, "ipi.rfence_i", "error %ld", ret.error);
	ret = sbi_call(SBI_EXT_RFENCE, 1, 1, 0, 0, ~0UL);
	hvtest_check(ret.error == SBI_SUCCESS, "ipi.rfence_sfence_vma", "error %ld", ret.error);
	hvtest_finish();
}
