/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * TSC frequency on hardware: CPUID leaf 0x15 when it names the crystal,
 * else a bounded calibration against PIT channel 2. PIT ports and its
 * 1.193182 MHz input clock are the PC platform's constants, kept here.
 *
 * An emulator on a busy host can be descheduled between reading the PIT
 * and reading the TSC, so a plain "start the PIT, read the TSC when it
 * fires" calibration is biased upward by whatever delay hit either end.
 * Instead each end of the window is a PIT count latched between two
 * RDTSCs, the narrowest of several such brackets is kept, and a window
 * counts only when both brackets are a tiny share of it: a delay then
 * either lands outside the brackets (where it costs nothing) or makes the
 * window be thrown away. The error of an accepted window is bounded by
 * its brackets, so one accepted window is the answer.
 */
#include <stdbool.h>

#include "vmi_rom.h"

#define CPUID_TSC_CRYSTAL 0x15
#define PIT_HZ 1193182ULL
#define PIT_CH2_DATA 0x42
#define PIT_MODE 0x43
#define PIT_CH2_MODE0_LOHI 0xb0	/* channel 2, lobyte/hibyte, mode 0 */
#define PIT_CH2_LATCH 0x80	/* channel 2, counter latch command */
#define PIT_START 0xffff
#define PORT_B 0x61		/* system control port B */
#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2 0x20
#define CAL_MS 10
#define CAL_TICKS ((uint16_t)(PIT_HZ * CAL_MS / 1000))
/* Latched reads per window end; only the narrowest bracket is kept. */
#define STAMP_TRIES 8
/*
 * Both brackets together at most this share of the window: each end's
 * midpoint is then off by at most half its bracket, 0.05% in all, well
 * inside the spec's 1%.
 */
#define BRACKET_SHARE 1000
/* Windows to try before deciding the host is too busy to be measured. */
#define CAL_ATTEMPTS 8
/*
 * Wait bounds. A window lasts CAL_MS even for a 100 GHz TSC, and no host
 * reads the PIT faster than ~50 ns a poll; going past either means the
 * host held us off (try again). A count that stays put for STALL_POLLS
 * polls, far longer than one 0.84 us tick, means no PIT is counting.
 */
#define CAL_MAX_CYCLES (100000000000ULL / 1000 * CAL_MS)
#define CAL_MAX_POLLS 1000000L
#define STALL_POLLS 10000

enum pit_wait { WAIT_DONE, WAIT_TIMEOUT, WAIT_STALLED };

/* A PIT count and the TSC at its latch, known to within +-bracket/2. */
struct pit_stamp {
	uint64_t tsc;
	uint32_t bracket;	/* saturates: a window never accepts one that wide */
	uint16_t count;
};

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

static uint16_t pit_count(void)
{
	uint8_t lo, hi;

	vmi_outb(PIT_MODE, PIT_CH2_LATCH);
	lo = vmi_inb(PIT_CH2_DATA);
	hi = vmi_inb(PIT_CH2_DATA);
	return (uint16_t)(hi << 8 | lo);
}

static struct pit_stamp pit_stamp(void)
{
	struct pit_stamp best = { 0, 0, 0 };

	for (int i = 0; i < STAMP_TRIES; i++) {
		uint64_t t0 = vmi_rdtsc();
		uint16_t count = pit_count();
		uint64_t t1 = vmi_rdtsc();
		uint32_t bracket = t1 - t0 < UINT32_MAX ? (uint32_t)(t1 - t0) : UINT32_MAX;

		if (i == 0 || bracket < best.bracket)
			best = (struct pit_stamp){ t0 + (t1 - t0) / 2, bracket, count };
	}
	return best;
}

/* Spins until CAL_TICKS have passed since the count was start. */
static enum pit_wait pit_wait(uint16_t start, uint64_t tsc_start)
{
	uint16_t count = start, last = start;
	long same = 0;

	for (long polls = 0; (uint16_t)(start - count) < CAL_TICKS; polls++) {
		if (polls >= CAL_MAX_POLLS || vmi_rdtsc() - tsc_start > CAL_MAX_CYCLES)
			return WAIT_TIMEOUT;
		count = pit_count();
		same = count == last ? same + 1 : 0;
		if (same >= STALL_POLLS)
			return WAIT_STALLED;
		last = count;
	}
	return WAIT_DONE;
}

/*
 * One window with interrupts off. Returns the frequency, 0 when this window
 * cannot be trusted (try again), and sets *stalled when the PIT is not
 * counting (trying again would only stall again).
 */
static uint64_t pit_window(bool *stalled)
{
	uint8_t saved = vmi_inb(PORT_B);
	uint64_t flags = vmi_irq_save(), cycles;
	struct pit_stamp a, b;
	enum pit_wait waited;
	bool wrapped;

	vmi_outb(PORT_B, (saved & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	vmi_outb(PIT_MODE, PIT_CH2_MODE0_LOHI);
	vmi_outb(PIT_CH2_DATA, PIT_START & 0xff);
	vmi_outb(PIT_CH2_DATA, PIT_START >> 8);
	a = pit_stamp();
	waited = pit_wait(a.count, a.tsc);
	b = pit_stamp();
	/*
	 * Mode 0 raises OUT2 at terminal count and holds it: if it is up, a
	 * delay let the 16-bit count wrap and a.count - b.count lies.
	 */
	wrapped = vmi_inb(PORT_B) & PORT_B_OUT2;
	vmi_outb(PORT_B, saved);
	vmi_irq_restore(flags);

	cycles = b.tsc - a.tsc;
	*stalled = waited == WAIT_STALLED;
	if (waited != WAIT_DONE || wrapped || b.tsc <= a.tsc ||
	    (uint16_t)(a.count - b.count) < CAL_TICKS ||
	    (uint64_t)a.bracket + b.bracket > cycles / BRACKET_SHARE)
		return 0;
	return cycles * PIT_HZ / (uint16_t)(a.count - b.count);
}

static uint64_t pit_calibrated_frequency(void)
{
	for (int i = 0; i < CAL_ATTEMPTS; i++) {
		bool stalled;
		uint64_t hz = pit_window(&stalled);

		if (hz || stalled)
			return hz;
	}
	return 0;	/* every window was disturbed: no figure to stand by */
}

uint64_t vmi_rom_native_cycle_frequency(void)
{
	uint64_t hz = cpuid_crystal_frequency();

	return hz ? hz : pit_calibrated_frequency();
}
