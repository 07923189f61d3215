/*
 * timer.c - SBI set_timer: the timer interrupt arrives when requested, measured with
 * rdtime. Tolerance: it may not come early, and not more than TOLERANCE_MS late (QEMU's
 * timers follow the host's clock, and a loaded 2-core machine can be slow).
 */
#include <hvtest.h>
#include <rv.h>
#include <sbi.h>

#define TOLERANCE_MS 100

static volatile unsigned long fired_at;
static volatile int fired;

static void on_irq(unsigned long cause)
{
	if (cause != (CAUSE_IRQ | IRQ_TIMER)) {
		hvtest_fail("timer.unexpected_interrupt", "scause 0x%lx", cause);
		guest_shutdown(1);
	}
	fired_at = rdtime();
	fired++;
	/* Disarm: set_timer far in the future clears the pending bit. */
	sbi_call(SBI_EXT_TIME, 0, ~0UL, 0, 0, 0);
}

/*
 * Arms the timer delay_ms ahead and waits for its interrupt, for at most 2 s: spinning,
 * or with WFI (then the hypervisor must wake the vCPU: a broken one hangs here).
 */
static void wait_for(unsigned long delay_ms, bool sleep)
{
	unsigned long start = rdtime(), deadline = start + delay_ms * TICKS_PER_MS;
	struct sbiret ret;

	fired = 0;
	ret = sbi_call(SBI_EXT_TIME, 0, deadline, 0, 0, 0);
	if (!hvtest_check(ret.error == SBI_SUCCESS, "timer.set_timer", "error %ld", ret.error))
		return;
	while (!fired && rdtime() - start < 2000 * TICKS_PER_MS)
		if (sleep)
			wfi();
	if (!hvtest_check(fired == 1, "timer.fired", "%lu ms: %d interrupts within 2 s", delay_ms,
			  fired))
		return;
	hvtest_check(fired_at >= deadline &&
			     fired_at - deadline <= TOLERANCE_MS * TICKS_PER_MS,
		     "timer.on_time", "asked for %lu ms, came after %lu us (tolerance: not early, "
		     "at most %d ms late)", delay_ms, (fired_at - start) / (TICKS_PER_MS / 1000),
		     TOLERANCE_MS);
}

int main(unsigned long hart, unsigned long dtb)
{
	struct sbiret ret;

	irq_handler = on_irq;
	csr_set(sie, SIE_STIE);
	csr_set(sstatus, SSTATUS_SIE);
	wait_for(10, false);
	wait_for(30, false);
	/* A deadline in the past fires at once. */
	wait_for(0, false);
	/* Asleep in WFI: only when the timer works at all, or this would never return. */
	if (fired)
		wait_for(5, true);
	else
		hvtest_fail("timer.wfi_woken", "skipped: no timer interrupt arrived at all");

	/* Pending while masked: taken the moment interrupts are enabled again. */
	csr_clear(sstatus, SSTATUS_SIE);
	fired = 0;
	sbi_call(SBI_EXT_TIME, 0, 0, 0, 0, 0);
	for (unsigned long t = rdtime(); rdtime() - t < 5 * TICKS_PER_MS;)
		;
	csr_set(sstatus, SSTATUS_SIE);
	hvtest_check(fired == 1, "timer.pending_while_masked", "%d interrupts once enabled", fired);

	/* Re-arming clears a pending timer interrupt: none is taken after it. */
	csr_clear(sstatus, SSTATUS_SIE);
	fired = 0;
	sbi_call(SBI_EXT_TIME, 0, 0, 0, 0, 0);
	for (unsigned long t = rdtime(); rdtime() - t < 5 * TICKS_PER_MS;)
		;
	ret = sbi_call(SBI_EXT_TIME, 0, rdtime() + 1000 * TICKS_PER_MS, 0, 0, 0);
	csr_set(sstatus, SSTATUS_SIE);
	for (unsigned long t = rdtime(); rdtime() - t < 5 * TICKS_PER_MS;)
		;
	hvtest_check(ret.error == SBI_SUCCESS && fired == 0, "timer.rearm_clears",
		     "%d interrupts after re-arming one second ahead", fired);
	sbi_call(SBI_EXT_TIME, 0, ~0UL, 0, 0, 0);
	hvtest_finish();
}
