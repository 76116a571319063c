/*
 * time: the cycle counter is the TSC and never decreases; the cycle
 * frequency agrees with the TSC measured against the PIT; the wall clock
 * is well-formed and plausible.
 */
#include "rom.h"
#include "cpu.h"

#define COUNTER_SAMPLES 16
#define PIT_WINDOW_MS 40
#define PIT_TRIES 3
#define ROM_TRIES 3
/* The spec's bound; the reference itself is good to about 0.01%. */
#define FREQ_TOLERANCE_PERCENT 1
#define MIN_PLAUSIBLE_HZ 100000000ULL           /* 100 MHz */
#define MAX_PLAUSIBLE_HZ 100000000000ULL        /* 100 GHz */
#define EPOCH_2020 1577836800ULL
#define EPOCH_2100 4102444800ULL
#define NSEC_PER_SEC 1000000000U

static void counter(void)
{
	uint64_t t0 = native_rdtsc(), c = CALL0(GET_CYCLE_COUNTER), t1 = native_rdtsc(), prev = c;
	bool monotonic = true;

	report(t0 <= c && c <= t1, "get_cycle_counter lies between two RDTSCs (%lx <= %lx <= %lx)", t0, c, t1);
	for (unsigned i = 0; i < COUNTER_SAMPLES; i++) {
		uint64_t v = CALL0(GET_CYCLE_COUNTER);

		monotonic &= v >= prev;
		prev = v;
	}
	report(monotonic, "%u successive get_cycle_counter calls never decrease", COUNTER_SAMPLES);
}

/* Distance in hundredths of a percent. */
static uint64_t distance_bp(uint64_t a, uint64_t ref)
{
	uint64_t d = a > ref ? a - ref : ref - a;

	return d * 10000 / ref;
}

/*
 * The reference (lib/pit.c) keeps only tightly bracketed PIT readings; the
 * median of a few measurements guards against the odd bad one. A ROM that
 * calibrates against the PIT itself should bracket its readings the same
 * way and be right the first time; the couple of extra tries only forgive
 * a reference and a ROM that each caught a different burst of host load.
 */
static uint64_t pit_reference(void)
{
	uint64_t m[PIT_TRIES], t;

	for (unsigned i = 0; i < PIT_TRIES; i++) {
		m[i] = pit_measure_tsc_hz(PIT_WINDOW_MS);
		if (!m[i])
			return 0;
		for (unsigned j = i; j > 0 && m[j] < m[j - 1]; j--)
			t = m[j], m[j] = m[j - 1], m[j - 1] = t;
	}
	return m[PIT_TRIES / 2];
}

static void frequency(void)
{
	uint64_t hz = CALL0(GET_CYCLE_FREQUENCY), ref, best, closest = hz;

	if (!report(!last.fault && hz >= MIN_PLAUSIBLE_HZ && hz <= MAX_PLAUSIBLE_HZ,
		    "get_cycle_frequency is plausible (%lu Hz)%s", hz, fault_text(&last)))
		return;
	ref = pit_reference();
	if (!ref) {
		report_skip("no PIT answers: the frequency is not compared with a reference clock");
		return;
	}
	best = distance_bp(hz, ref);
	for (unsigned i = 1; i < ROM_TRIES && best > FREQ_TOLERANCE_PERCENT * 100; i++) {
		uint64_t again = CALL0(GET_CYCLE_FREQUENCY);

		if (again && distance_bp(again, ref) < best)
			best = distance_bp(again, ref), closest = again;
	}
	report(best <= FREQ_TOLERANCE_PERCENT * 100,
	       "get_cycle_frequency %lu Hz within %u%% of the TSC against the PIT (%lu Hz)",
	       closest, FREQ_TOLERANCE_PERCENT, ref);
}

static void wallclock(void)
{
	struct vmi_wallclock a = { 0 }, b = { 0 };
	int64_t r = (int64_t)CALL1(GET_WALLCLOCK, &a);

	report(r == VMI_OK && a.nsec < NSEC_PER_SEC && a.sec > EPOCH_2020 && a.sec < EPOCH_2100,
	       "get_wallclock returns OK and a plausible time (%lu.%09u)%s", a.sec, a.nsec, fault_text(&last));
	CALL1(GET_WALLCLOCK, &b);
	report(b.sec > a.sec || (b.sec == a.sec && b.nsec >= a.nsec), "a second get_wallclock is not earlier");
}

void case_time(void)
{
	if (need(VMI_CALL_GET_CYCLE_COUNTER))
		counter();
	if (need(VMI_CALL_GET_CYCLE_FREQUENCY))
		frequency();
	if (need(VMI_CALL_GET_WALLCLOCK))
		wallclock();
}
