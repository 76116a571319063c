/*
 * The 8254 PIT as a reference clock for the TSC, the way Linux's quick
 * calibration does it: channel 2, gated through port 0x61, mode 0.
 */
#include "conf.h"
#include "cpu.h"

#define PIT_HZ 1193182
#define PIT_CH2 0x42
#define PIT_MODE 0x43
#define PIT_CH2_LOHI_MODE0 0xb0
#define PORT_61 0x61
#define PORT_61_GATE2 0x01
#define PORT_61_SPEAKER 0x02
#define PORT_61_OUT2 0x20
#define PIT_MAX_MS 50
#define SPIN_LIMIT 50000000u

uint64_t pit_measure_tsc_hz(unsigned ms)
{
	uint32_t latch;
	uint64_t t0, t1;
	unsigned spins = 0;

	if (ms == 0 || ms > PIT_MAX_MS)
		ms = PIT_MAX_MS;
	latch = (uint32_t)((uint64_t)PIT_HZ * ms / 1000);
	outb(PORT_61, (inb(PORT_61) & ~PORT_61_SPEAKER) | PORT_61_GATE2);
	outb(PIT_MODE, PIT_CH2_LOHI_MODE0);
	outb(PIT_CH2, latch & 0xff);
	outb(PIT_CH2, latch >> 8);
	t0 = native_rdtsc();
	while (!(inb(PORT_61) & PORT_61_OUT2))
		if (++spins > SPIN_LIMIT)
			return 0;
	t1 = native_rdtsc();
	/* Ends at once: OUT2 did not start low, so there is no working PIT. */
	if (spins < 2)
		return 0;
	return (t1 - t0) * 1000 / ms;
}
