/*
 * The 8254 PIT as a reference clock for the TSC. Channel 2 counts down
 * freely; the count is latched and read between two RDTSCs. Under an
 * emulator on a busy host any single reading can be late, so each sample
 * is taken several times and only the one with the narrowest RDTSC bracket
 * is kept: a delay between the samples then costs nothing, and a delay
 * inside a kept sample is bounded by its bracket.
 */
#include "conf.h"
#include "cpu.h"

#define PIT_HZ 1193182
#define PIT_CH2 0x42
#define PIT_MODE 0x43
#define PIT_CH2_LOHI_MODE0 0xb0
#define PIT_CH2_LATCH 0x80
#define PORT_61 0x61
#define PORT_61_GATE2 0x01
#define PORT_61_SPEAKER 0x02
#define PORT_61_OUT2 0x20
#define PIT_START_COUNT 0xffff
#define SAMPLE_TRIES 16
#define MIN_TICKS 1000          /* fewer elapsed ticks: no working PIT */
#define SPIN_LIMIT 10000000u
#define WINDOW_TRIES 4          /* windows a host delay wrapped are retried */

struct pit_sample {
	uint16_t count;
	uint64_t tsc, bracket;
};

static uint16_t read_count(void)
{
	uint8_t lo, hi;

	outb(PIT_MODE, PIT_CH2_LATCH);
	lo = inb(PIT_CH2);
	hi = inb(PIT_CH2);
	return (uint16_t)(hi << 8 | lo);
}

static struct pit_sample sample(void)
{
	struct pit_sample best = { 0, 0, ~0ULL };

	for (unsigned i = 0; i < SAMPLE_TRIES; i++) {
		uint64_t t0 = native_rdtsc();
		uint16_t c = read_count();
		uint64_t t1 = native_rdtsc();

		if (t1 - t0 < best.bracket)
			best = (struct pit_sample){ c, t0 + (t1 - t0) / 2, t1 - t0 };
	}
	return best;
}

/*
 * One window of ticks. A delay inside the wait can carry the 16-bit count
 * past a.count - 0x10000, and the wrapped difference then undercounts by
 * a whole period; mode 0 holds OUT2 high once the count has passed zero,
 * so *wrapped tells such a window apart.
 */
static uint64_t window(uint32_t ticks, bool *wrapped)
{
	struct pit_sample a, b;
	unsigned spins = 0;

	*wrapped = false;       /* a PIT that never counts is not retried */
	outb(PORT_61, (inb(PORT_61) & ~PORT_61_SPEAKER) | PORT_61_GATE2);
	outb(PIT_MODE, PIT_CH2_LOHI_MODE0);
	outb(PIT_CH2, PIT_START_COUNT & 0xff);
	outb(PIT_CH2, PIT_START_COUNT >> 8);
	a = sample();
	do {
		if (++spins > SPIN_LIMIT)
			return 0;
	} while ((uint16_t)(a.count - read_count()) < ticks);
	b = sample();
	*wrapped = inb(PORT_61) & PORT_61_OUT2;
	if (*wrapped || (uint16_t)(a.count - b.count) < MIN_TICKS || b.tsc <= a.tsc)
		return 0;
	return (b.tsc - a.tsc) * PIT_HZ / (uint16_t)(a.count - b.count);
}

uint64_t pit_measure_tsc_hz(unsigned ms)
{
	uint32_t ticks = (uint32_t)((uint64_t)PIT_HZ * ms / 1000);
	bool wrapped = true;
	uint64_t hz = 0;

	if (ticks >= PIT_START_COUNT - MIN_TICKS)
		ticks = PIT_START_COUNT - MIN_TICKS;
	for (unsigned i = 0; i < WINDOW_TRIES && wrapped; i++)
		hz = window(ticks, &wrapped);
	return hz;
}
