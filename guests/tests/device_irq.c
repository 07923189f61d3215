/*
 * device_irq.c - a real device's interrupt reaches the guest: QEMU's goldfish RTC
 * (0x101000, host interrupt 11) is passed through. The guest sets its alarm, the RTC
 * interrupts the host, the hypervisor routes it to the VM's PLIC, the guest claims it,
 * clears the device and completes it - and no interrupt storm follows.
 */
#include <hvtest.h>
#include <rv.h>

#define RTC 0x101000UL
#define RTC_TIME_LOW 0x00 /* reading it latches TIME_HIGH */
#define RTC_TIME_HIGH 0x04
#define RTC_ALARM_LOW 0x08 /* writing it arms the alarm (after ALARM_HIGH) */
#define RTC_ALARM_HIGH 0x0c
#define RTC_IRQ_ENABLED 0x10
#define RTC_CLEAR_INTERRUPT 0x1c
#define RTC_IRQ 11

static volatile int handled;
static volatile u32 source;

static u64 rtc_now_ns(void)
{
	u64 low = mmio_read32(RTC + RTC_TIME_LOW);

	return (u64)mmio_read32(RTC + RTC_TIME_HIGH) << 32 | low;
}

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

	alarm = rtc_now_ns() + 5 * 1000 * 1000; /* 5 ms from now */
	mmio_write32(RTC + RTC_IRQ_ENABLED, 1);
	mmio_write32(RTC + RTC_ALARM_HIGH, (u32)(alarm >> 32));
	mmio_write32(RTC + RTC_ALARM_LOW, (u32)alarm);
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
