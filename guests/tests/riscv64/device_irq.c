/*
 * device_irq.c - a real device's interrupt reaches the guest: QEMU's goldfish RTC
 * (0x101000, host interrupt 11) is passed through. The guest sets its alarm, the RTC
 * interrupts the host, the hypervisor routes it to the VM's PLIC, the guest claims it,
 * clears the device and completes it - and no interrupt storm follows.
 */
#include <hvtest.h>
#include <rtc.h>

static volatile int handled;
static volatile u32 source;

static void on_irq(unsigned long cause)
{
	u32 src = mmio_read32(PLIC_CLAIM(PLIC_S_CONTEXT));

	if (cause != (CAUSE_IRQ | IRQ_EXT) || src == 0)
		return;
	source = src;
	mmio_write32(RTC + RTC_CLEAR_INTERRUPT, 1); /* the device lowers its line */
	mmio_write32(PLIC_CLAIM(PLIC_S_CONTEXT), src);
	handled++;
}

int main(unsigned long hart, unsigned long dtb)
{
	u64 alarm;
	unsigned long start;

	plic_irq_on(RTC_IRQ, on_irq);

	alarm = rtc_alarm_in(5 * 1000 * 1000); /* 5 ms from now */
	hvtest_pass("device_irq.rtc_reachable");

	/* Busy-wait, interrupts on (a WFI here would sleep for good if it never came). */
	start = rdtime();
	while (!handled && rdtime() - start < 2000 * TICKS_PER_MS)
		__asm__ volatile("" ::: "memory");
	if (hvtest_check(handled == 1 && source == RTC_IRQ, "device_irq.delivered",
			 "%d interrupts within 2 s, source %u", handled, source))
		hvtest_check(rtc_now_ns() >= alarm, "device_irq.not_early", "before the alarm");
	/* Completed and cleared: nothing more may come. */
	start = rdtime();
	while (rdtime() - start < 50 * TICKS_PER_MS)
		__asm__ volatile("" ::: "memory");
	hvtest_check(handled == 1, "device_irq.no_storm", "%d interrupts for one alarm", handled);
	hvtest_finish();
}
