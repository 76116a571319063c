/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * TSC frequency on hardware: CPUID leaf 0x15 when it names the crystal,
 * else a bounded calibration against PIT channel 2 (the method Linux's
 * pit_calibrate_tsc uses). PIT ports and its 1.193182 MHz input clock are
 * the PC platform's constants, kept here.
 */
#include "vmi_rom.h"

#define CPUID_TSC_CRYSTAL 0x15
#define PIT_HZ 1193182ULL
#define PIT_CH2_DATA 0x42
#define PIT_MODE 0x43
#define PIT_CH2_MODE0_LOHI 0xb0	/* channel 2, lobyte/hibyte, mode 0 */
#define PORT_B 0x61		/* system control port B */
#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2 0x20
#define CAL_MS 10
#define CAL_LATCH (PIT_HZ / (1000 / CAL_MS))
/* Polls of port B: a real PIT takes ~1 us per read, 10 ms is ~10000. */
#define CAL_MAX_POLLS 20000000L
#define CAL_MIN_POLLS 50L	/* fewer means no PIT answered */
/* Runs per calibration: the median shrugs off one run a busy host delayed. */
#define CAL_RUNS 5

static uint64_t cpuid_crystal_frequency(void)
{
	uint32_t r[4];

	vmi_cpuid(0, 0, r);
	if (r[0] < CPUID_TSC_CRYSTAL)
		return 0;
	vmi_cpuid(CPUID_TSC_CRYSTAL, 0, r);
	/* eax = denominator, ebx = numerator, ecx = crystal Hz (0: unknown). */
	if (!r[0] || !r[1] || !r[2])
		return 0;
	return (uint64_t)r[2] * r[1] / r[0];
}

static uint64_t pit_calibrated_frequency(void)
{
	uint8_t saved = vmi_inb(PORT_B);
	uint64_t flags = vmi_irq_save();
	uint64_t start, cycles;
	long polls = 0;

	vmi_outb(PORT_B, (saved & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	vmi_outb(PIT_MODE, PIT_CH2_MODE0_LOHI);
	vmi_outb(PIT_CH2_DATA, CAL_LATCH & 0xff);
	vmi_outb(PIT_CH2_DATA, CAL_LATCH >> 8);
	start = vmi_rdtsc();
	while (!(vmi_inb(PORT_B) & PORT_B_OUT2) && polls < CAL_MAX_POLLS)
		polls++;
	cycles = vmi_rdtsc() - start;
	vmi_outb(PORT_B, saved);
	vmi_irq_restore(flags);
	if (polls < CAL_MIN_POLLS || polls >= CAL_MAX_POLLS)
		return 0;
	return cycles * PIT_HZ / CAL_LATCH;
}

static uint64_t median_pit_frequency(void)
{
	uint64_t runs[CAL_RUNS];

	for (int i = 0; i < CAL_RUNS; i++) {
		uint64_t hz = pit_calibrated_frequency();
		int j = i;

		if (!hz)
			return 0;	/* no PIT: every run would fail */
		for (; j > 0 && runs[j - 1] > hz; j--)	/* insertion sort */
			runs[j] = runs[j - 1];
		runs[j] = hz;
	}
	return runs[CAL_RUNS / 2];
}

uint64_t vmi_rom_native_cycle_frequency(void)
{
	uint64_t hz = cpuid_crystal_frequency();

	return hz ? hz : median_pit_frequency();
}
