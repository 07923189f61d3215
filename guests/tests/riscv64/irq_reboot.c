/*
 * irq_reboot.c - a reboot from inside an interrupt handler loses nothing. The first boot
 * takes two interrupts - the passed-through RTC's (source 11) and a test-device line
 * (source 5) - and reboots from the RTC's handler with neither completed. A real reboot
 * resets the interrupt controller, so the second boot must find nothing pending or in
 * service and both interrupts working again. The RTC, a host device the hypervisor does
 * not reset, tells the boots apart: its alarm registers keep what the first boot wrote.
 */
#include <hvtest.h>
#include <rtc.h>
#include <sbi.h>

#define TESTDEV 0x10010000UL
#define TESTDEV_IRQ_RAISE 0x48
#define TESTDEV_IRQ_LOWER 0x50
#define LINE 5
#define WAIT_TICKS (2000 * TICKS_PER_MS)

static volatile u32 claimed[2];
static volatile unsigned int nr_claimed;
static volatile bool rebooting;

static void testdev_line(unsigned long reg)
{
	*(volatile u64 *)(TESTDEV + reg) = LINE;
}

static void on_irq(unsigned long cause)
{
	u32 src = mmio_read32(PLIC_CLAIM(PLIC_S_CONTEXT));

	if (cause != (CAUSE_IRQ | IRQ_EXT) || src == 0)
		return;
	if (nr_claimed < 2)
		claimed[nr_claimed] = src;
	nr_claimed++;
	/* Each device lowers its line; the PLIC sees no completion on the first boot. */
	if (src == RTC_IRQ)
		mmio_write32(RTC + RTC_CLEAR_INTERRUPT, 1);
	else
		testdev_line(TESTDEV_IRQ_LOWER);
	if (rebooting && src == RTC_IRQ) {
		guest_puts("hvtest: irq_reboot rebooting inside the RTC's handler\n");
		sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE,
			 0, 0);
		hvtest_fail("irq_reboot.reboot", "the reboot call returned");
		guest_shutdown(1);
	}
	if (!rebooting)
		mmio_write32(PLIC_CLAIM(PLIC_S_CONTEXT), src);
}

/* Waits until `n` interrupts have been taken in all, or 2 s; true if they were. */
static bool wait_for(unsigned int n)
{
	for (unsigned long t = rdtime(); nr_claimed < n && rdtime() - t < WAIT_TICKS;)
		__asm__ volatile("" ::: "memory");
	return nr_claimed >= n;
}

int main(unsigned long hart, unsigned long dtb)
{
	bool second = mmio_read32(RTC + RTC_ALARM_LOW) || mmio_read32(RTC + RTC_ALARM_HIGH);
	u32 pending;

	guest_printf("hvtest: irq_reboot.boot %d\n", second ? 2 : 1);
	pending = mmio_read32(PLIC_PENDING);
	mmio_write32(PLIC_PRIORITY(LINE), 1);
	mmio_write32(PLIC_PRIORITY(RTC_IRQ), 1);
	mmio_write32(PLIC_ENABLE(PLIC_S_CONTEXT), 1U << LINE | 1U << RTC_IRQ);
	mmio_write32(PLIC_THRESHOLD(PLIC_S_CONTEXT), 0);
	irq_handler = on_irq;
	csr_set(sie, SIE_SEIE);
	csr_set(sstatus, SSTATUS_SIE);

	rebooting = !second;
	if (second)
		hvtest_check(pending == 0, "irq_reboot.nothing_pending",
			     "the PLIC's pending bits after the reboot: 0x%x", pending);
	testdev_line(TESTDEV_IRQ_RAISE);
	if (!hvtest_check(wait_for(1) && claimed[0] == LINE, "irq_reboot.device_line",
			  "boot %d: %u interrupts, source %u (expected %d)", second ? 2 : 1,
			  nr_claimed, claimed[0], LINE))
		hvtest_finish();
	rtc_alarm_in(2 * 1000 * 1000);
	hvtest_check(wait_for(2) && claimed[1] == RTC_IRQ, "irq_reboot.rtc",
		     "boot %d: %u interrupts, second source %u (expected %d)", second ? 2 : 1,
		     nr_claimed, claimed[1], RTC_IRQ);
	hvtest_finish();
}
