/*
 * rtc.h - QEMU virt's goldfish RTC (0x101000, PLIC source 11), which the interrupt tests
 * pass through to their VM: its time in nanoseconds and its one-shot alarm.
 */
#ifndef GUEST_RTC_H
#define GUEST_RTC_H

#include <rv.h>

#define RTC 0x101000UL
#define RTC_TIME_LOW 0x00 /* reading it latches TIME_HIGH */
#define RTC_TIME_HIGH 0x04
#define RTC_ALARM_LOW 0x08 /* writing it arms the alarm (after ALARM_HIGH) */
#define RTC_ALARM_HIGH 0x0c
#define RTC_IRQ_ENABLED 0x10
#define RTC_CLEAR_INTERRUPT 0x1c /* the device lowers its interrupt line */
#define RTC_IRQ 11

static inline u64 rtc_now_ns(void)
{
	u64 low = mmio_read32(RTC + RTC_TIME_LOW);

	return (u64)mmio_read32(RTC + RTC_TIME_HIGH) << 32 | low;
}

/* Arms the alarm (interrupt on) to ring `ns` nanoseconds from now; returns when. */
static inline u64 rtc_alarm_in(u64 ns)
{
	u64 alarm = rtc_now_ns() + ns;

	mmio_write32(RTC + RTC_IRQ_ENABLED, 1);
	mmio_write32(RTC + RTC_ALARM_HIGH, (u32)(alarm >> 32));
	mmio_write32(RTC + RTC_ALARM_LOW, (u32)alarm);
	return alarm;
}

#endif
