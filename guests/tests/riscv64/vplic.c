/*
 * vplic.c - the virtual PLIC's semantics, checked against interrupt sources the guest
 * drives itself through the MMIO test device (0x48: raise source N, 0x50: lower it):
 * priority order, threshold masking, claim/complete, enables per context, delivery.
 */
#include <hvtest.h>
#include <rv.h>

#define TESTDEV 0x10010000UL
#define CTX PLIC_S_CONTEXT

static void raise(u32 src)
{
	*(volatile u64 *)(TESTDEV + 0x48) = src;
}

static void lower(u32 src)
{
	*(volatile u64 *)(TESTDEV + 0x50) = src;
}

static u32 claim(void)
{
	return mmio_read32(PLIC_CLAIM(CTX));
}

static void complete(u32 src)
{
	mmio_write32(PLIC_CLAIM(CTX), src);
}

static void setup(u32 src, u32 priority, bool enable_s, bool enable_m)
{
	mmio_write32(PLIC_PRIORITY(src), priority);
	if (enable_s)
		mmio_write32(PLIC_ENABLE(CTX), mmio_read32(PLIC_ENABLE(CTX)) | 1U << src);
	if (enable_m)
		mmio_write32(PLIC_ENABLE(0), mmio_read32(PLIC_ENABLE(0)) | 1U << src);
}

static volatile u32 delivered;

static void on_irq(unsigned long cause)
{
	u32 src = claim();

	if (cause == (CAUSE_IRQ | IRQ_EXT) && src) {
		delivered = src;
		lower(src);
		complete(src);
	}
}

int main(unsigned long hart, unsigned long dtb)
{
	u32 got[4];

	mmio_write32(PLIC_THRESHOLD(CTX), 0);
	hvtest_check(claim() == 0, "vplic.idle", "claim %u with nothing pending", claim());

	/* Priority order: 5 and 7 (priority 6) before 3 (priority 2); ties: lower id. */
	setup(3, 2, true, false);
	setup(5, 6, true, false);
	setup(7, 6, true, false);
	raise(3), raise(7), raise(5);
	hvtest_check((mmio_read32(PLIC_PENDING) & 0xa8) == 0xa8, "vplic.pending",
		     "pending 0x%x, want bits 3, 5 and 7", mmio_read32(PLIC_PENDING));
	for (int i = 0; i < 4; i++)
		got[i] = claim();
	hvtest_check(got[0] == 5 && got[1] == 7 && got[2] == 3 && got[3] == 0,
		     "vplic.priority_order", "claims %u %u %u %u, want 5 7 3 0", got[0], got[1],
		     got[2], got[3]);
	lower(3), lower(5), lower(7);
	complete(5), complete(7), complete(3);

	/* Threshold: priority 3 is not above a threshold of 3, but is above 2. */
	setup(4, 3, true, false);
	mmio_write32(PLIC_THRESHOLD(CTX), 3);
	raise(4);
	hvtest_check(claim() == 0, "vplic.threshold_masks", "claimed through it");
	mmio_write32(PLIC_THRESHOLD(CTX), 2);
	hvtest_check(claim() == 4, "vplic.threshold_lowered", "source 4 not claimed");
	lower(4), complete(4);
	mmio_write32(PLIC_THRESHOLD(CTX), 0);

	/* In service: a source forwards nothing until completed; then, still high, again. */
	setup(6, 1, true, false);
	raise(6);
	hvtest_check(claim() == 6, "vplic.claim", "source 6 not claimed");
	lower(6), raise(6);
	hvtest_check(claim() == 0 && !(mmio_read32(PLIC_PENDING) & 1U << 6),
		     "vplic.in_service_holds", "source 6 pending while in service");
	complete(6);
	hvtest_check(claim() == 6, "vplic.complete_rearms", "still-high source 6 not pending "
		     "again after completion");
	lower(6), complete(6);
	hvtest_check(claim() == 0, "vplic.completed_quiet", "a lowered source came back");

	/* Enables per context: enabled only for context 0 (M-mode), it never reaches S. */
	setup(8, 5, false, true);
	raise(8);
	hvtest_check(claim() == 0, "vplic.enable_per_context",
		     "source 8, enabled only in context 0, reached the S-mode context");
	setup(8, 5, true, false);
	hvtest_check(claim() == 8, "vplic.enable_s_context", "source 8 not claimed");
	lower(8), complete(8);

	/* Delivery: with SEIE and SIE on, raising a source runs the handler at once. */
	setup(9, 1, true, false);
	irq_handler = on_irq;
	csr_set(sie, SIE_SEIE);
	csr_set(sstatus, SSTATUS_SIE);
	raise(9);
	hvtest_check(delivered == 9, "vplic.delivered", "the handler saw source %u", delivered);

	/* The line to the hart follows the threshold: masked, nothing; lowered, at once. */
	delivered = 0;
	setup(10, 2, true, false);
	mmio_write32(PLIC_THRESHOLD(CTX), 2);
	raise(10);
	hvtest_check(delivered == 0, "vplic.masked_not_delivered", "source %u delivered through "
		     "the threshold", delivered);
	mmio_write32(PLIC_THRESHOLD(CTX), 1);
	hvtest_check(delivered == 10, "vplic.delivered_when_unmasked", "the handler saw %u",
		     delivered);
	csr_clear(sstatus, SSTATUS_SIE);
	hvtest_finish();
}
