/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Host unit tests of the KVM ROM's kvmclock arithmetic: frequencies
 * encoded the way KVM encodes them come back within 1 ppm, one second of
 * cycles scales to one second, the wall clock carries nanoseconds into
 * seconds, and records no TSC could have give 0.
 */

#include "kvm_rom.h"
#include "kvm_test.h"

/*
 * KVM's encoding (kvm_get_time_scale): shift the TSC rate into
 * (1e9, 2e9], so that mul = 1e9 * 2^32 / rate lies in [2^31, 2^32).
 */
static void encode(uint64_t hz, uint32_t *mul, int8_t *shift)
{
	uint64_t tsc_hz = hz;
	int s = 0;

	while (tsc_hz > 2 * 1000000000ULL) {
		tsc_hz >>= 1;
		s--;
	}
	while (tsc_hz <= 1000000000ULL) {
		tsc_hz <<= 1;
		s++;
	}
	*mul = (uint32_t)((1000000000ULL << 32) / tsc_hz);
	*shift = (int8_t)s;
}

static int within_ppm(uint64_t got, uint64_t want)
{
	uint64_t diff = got > want ? got - want : want - got;

	return diff <= want / 1000000 + 1;
}

static void round_trips(void)
{
	static const uint64_t freqs[] = { 100000000ULL, 999999999ULL, 1000000000ULL,
					  2596115000ULL, 3300000000ULL, 5000000000ULL };

	for (unsigned i = 0; i < sizeof(freqs) / sizeof(freqs[0]); i++) {
		char what[160];
		uint32_t mul;
		int8_t shift;

		encode(freqs[i], &mul, &shift);
		snprintf(what, sizeof(what), "%llu Hz (mul %u, shift %d) decodes within 1 ppm (%llu)",
			 (unsigned long long)freqs[i], mul, shift,
			 (unsigned long long)kvm_pvclock_hz(mul, shift));
		check(within_ppm(kvm_pvclock_hz(mul, shift), freqs[i]), what);
		snprintf(what, sizeof(what), "one second of cycles at %llu Hz scales to 1e9 ns",
			 (unsigned long long)freqs[i]);
		check(within_ppm(kvm_pvclock_scale(freqs[i], mul, shift), 1000000000ULL), what);
	}
}

static void wall_clock(void)
{
	struct vmi_wallclock w = { .reserved = 7 };

	kvm_pvclock_wall_add(1700000000u, 999999999u, 2, &w);
	check(w.sec == 1700000001ULL && w.nsec == 1 && w.reserved == 0,
	      "wall clock carries nanoseconds into seconds");
	kvm_pvclock_wall_add(1700000000u, 0, 86400ULL * 1000000000ULL + 5, &w);
	check(w.sec == 1700086400ULL && w.nsec == 5, "a day of system time adds 86400 s");
}

static void impossible_records(void)
{
	check(kvm_pvclock_hz(0, 0) == 0, "mul 0 (no record yet) gives 0 Hz");
	check(kvm_pvclock_hz(0x80000000u, 40) == 0, "shift 40 gives 0 Hz");
	check(kvm_pvclock_hz(0x80000000u, -40) == 0, "shift -40 gives 0 Hz");
	check(kvm_pvclock_hz(2, -4) == 0, "mul 2, shift -4 (2.1e18 << 4 overflows) gives 0 Hz");
}

int main(void)
{
	round_trips();
	wall_clock();
	impossible_records();
	return check_summary();
}
