/*
 * rtc_unowned.c - the RTC's registers are passed through but its interrupt is not: two
 * alarms fire on the host with nobody to take them. The hypervisor must report that
 * interrupt once, mask it, and carry on; the guest notices nothing.
 */
#include <hvtest.h>
#include <rtc.h>

static void spin_ms(unsigned long ms)
{
	for (unsigned long t = rdtime(); rdtime() - t < ms * TICKS_PER_MS;)
		__asm__ volatile("" ::: "memory");
}

int main(unsigned long hart, unsigned long dtb)
{
	rtc_alarm_in(2 * 1000 * 1000);
	spin_ms(50);
	mmio_write32(RTC + RTC_CLEAR_INTERRUPT, 1);
	rtc_alarm_in(2 * 1000 * 1000);
	spin_ms(50);
	hvtest_pass("rtc_unowned.survived");
	hvtest_finish();
}
