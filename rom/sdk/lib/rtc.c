/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Wall clock from the CMOS real-time clock (MC146818-compatible).
 *
 * Ports 0x70/0x71 and the register numbers below are the PC platform's,
 * not the ABI's, so they live here and nowhere else.
 */
#include "vmi_rom.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_NMI_OFF 0x80	/* keep NMIs masked while we select registers */
#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_CENTURY 0x32	/* common but not universal; sanity-checked */
#define RTC_A_UPDATING 0x80
#define RTC_B_BINARY 0x04
#define RTC_B_24H 0x02
#define RTC_HOUR_PM 0x80
/* An update takes under 2 ms; give up well after that. */
#define RTC_MAX_POLLS 1000000

static const unsigned short days_before_month[12] = {
	0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
};

static int leap(unsigned year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

uint64_t vmi_rom_rtc_to_unix(const struct vmi_rom_rtc_time *t)
{
	uint64_t days = 0;
	unsigned month = t->month >= 1 && t->month <= 12 ? t->month : 1;

	for (unsigned y = 1970; y < t->year; y++)
		days += leap(y) ? 366 : 365;
	days += days_before_month[month - 1];
	if (month > 2 && leap(t->year))
		days++;
	days += t->day ? t->day - 1 : 0;
	return ((days * 24 + t->hour) * 60 + t->minute) * 60 + t->second;
}

#ifndef VMI_ROM_HOST_TEST

static uint8_t cmos_read(uint8_t reg)
{
	vmi_outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
	return vmi_inb(CMOS_DATA);
}

static unsigned from_bcd(uint8_t v, int binary)
{
	return binary ? v : (v >> 4) * 10 + (v & 0x0f);
}

static void rtc_read_raw(uint8_t raw[7])
{
	static const uint8_t regs[7] = {
		RTC_SECONDS, RTC_MINUTES, RTC_HOURS, RTC_DAY, RTC_MONTH,
		RTC_YEAR, RTC_CENTURY
	};

	for (int i = 0; i < 7; i++)
		raw[i] = cmos_read(regs[i]);
}

static int same(const uint8_t a[7], const uint8_t b[7])
{
	for (int i = 0; i < 7; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* Reads until two consecutive reads agree outside an update cycle. */
static int rtc_read_stable(uint8_t raw[7])
{
	uint8_t again[7];

	for (long polls = 0; polls < RTC_MAX_POLLS; polls++) {
		if (cmos_read(RTC_STATUS_A) & RTC_A_UPDATING)
			continue;
		rtc_read_raw(raw);
		rtc_read_raw(again);
		if (same(raw, again))
			return 0;
	}
	return -1;
}

static void rtc_decode(const uint8_t raw[7], uint8_t status_b,
		       struct vmi_rom_rtc_time *t)
{
	int binary = status_b & RTC_B_BINARY;
	unsigned century = from_bcd(raw[6], binary);
	unsigned hour = from_bcd(raw[2] & ~RTC_HOUR_PM, binary);

	if (!(status_b & RTC_B_24H) && (raw[2] & RTC_HOUR_PM))
		hour = (hour % 12) + 12;
	else if (!(status_b & RTC_B_24H) && hour == 12)
		hour = 0;
	if (century < 19 || century > 99)
		century = 20;	/* no century register: assume 20xx */
	t->second = from_bcd(raw[0], binary);
	t->minute = from_bcd(raw[1], binary);
	t->hour = hour;
	t->day = from_bcd(raw[3], binary);
	t->month = from_bcd(raw[4], binary);
	t->year = century * 100 + from_bcd(raw[5], binary);
}

int64_t vmi_rom_native_wallclock(struct vmi_wallclock *out)
{
	struct vmi_rom_rtc_time t;
	uint8_t raw[7];

	if (!out)
		return VMI_E_INVAL;
	if (rtc_read_stable(raw))
		return VMI_E_STATE;	/* the clock never settled */
	rtc_decode(raw, cmos_read(RTC_STATUS_B), &t);
	out->sec = vmi_rom_rtc_to_unix(&t);
	out->nsec = 0;
	out->reserved = 0;
	return VMI_OK;
}

#endif
