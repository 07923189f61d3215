/*
 * rtc_unowned.c - the RTC's registers are passed through but its interrupt is not: two
 * alarms fire on the host with nobody to take them. The hypervisor must report that
 * interrupt once, mask it, and carry on; the guest notices nothing.
 */
#include <hvtest.h>
#include <rv.h>

#define RTC 0x101000UL

static void alarm_in_ms(unsigned long ms)
{
	u64 low = mmio_read32(RTC + 0x00), now = (u64)mmio_read32(RTC + 0x04) << 32 | low;
	u64 alarm = now + ms * 1000 * 1000;

	mmio_write32(RTC + 0x10, 1); /* IRQ_ENABLED */
	mmio_write32(RTC + 0x0c, (u32)(alarm >> 32));
	mmio_write32(RTC + 0x08, (u32)alarm);
}

static void spin_ms(unsigned long ms)
{
	for (unsigned long t = rdtime(); rdtime() - t < ms * TICKS_PER_MS;)
		__asm__ volatile("" ::: "memory");
}

int main(unsigned long hart, unsigned long dtb)
{
	alarm_in_ms(2);
	spin_ms(50);
	mmio_write32(RTC + 0x1c, 1); /* CLEAR_INTERRUPT */
	alarm_in_ms(2);
	spin_ms(50);
	hvtest_pass("rtc_unowned.survived");
	hvtest_finish();
}
