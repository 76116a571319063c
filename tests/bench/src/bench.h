/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Shared by the guest microbenchmarks: argument parsing, the clock, and the
 * one result line each program prints.
 *
 * Under QEMU with -icount shift=0 guest time advances one nanosecond per
 * guest instruction, so the nanoseconds these programs report are
 * instruction counts, exactly repeatable. On other hosts they are time.
 *
 * Result line (tests/bench/scripts/benchlib.py parses it):
 *   BENCH name=NAME ops=N warmup=W total_ns=T ns_per_op=X.X
 * The process ran W + N operations; T covers the last N. Counts kept
 * outside the guest (the shim's hypercalls) see all W + N.
 */
#ifndef BENCH_H
#define BENCH_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Operations run untimed first, so one-off costs (first touch of the
 * binary's pages, the first fork's page-table allocations) stay out of the
 * timed loop. BENCH_WARMUP in the environment overrides the default: runs
 * whose figures come from counts kept outside the guest use 0.
 */
#define BENCH_WARMUP_DEFAULT 4

static inline long bench_warmup_ops(void)
{
	const char *text = getenv("BENCH_WARMUP");
	char *end;
	long value;

	if (!text)
		return BENCH_WARMUP_DEFAULT;
	value = strtol(text, &end, 10);
	if (*end || value < 0 || value > 1000) {
		fprintf(stderr, "bench: BENCH_WARMUP '%s' is not a count from 0 to 1000\n", text);
		exit(2);
	}
	return value;
}

static inline uint64_t bench_now_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec;
}

static inline void bench_die(const char *name, const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", name, what, strerror(errno));
	printf("BENCH-ERROR name=%s what=%s\n", name, what);
	fflush(stdout);
	exit(1);
}

/* A positive count from argv[index], or the default when absent. */
static inline long bench_arg(int argc, char **argv, int index, long fallback)
{
	char *end;
	long value;

	if (argc <= index)
		return fallback;
	errno = 0;
	value = strtol(argv[index], &end, 10);
	if (errno || *end || value <= 0) {
		fprintf(stderr, "%s: argument %d '%s' is not a positive count\n",
			argv[0], index, argv[index]);
		exit(2);
	}
	return value;
}

static inline void bench_report(const char *name, long ops, long warmup, uint64_t total_ns)
{
	printf("BENCH name=%s ops=%ld warmup=%ld total_ns=%llu ns_per_op=%.1f\n", name, ops,
	       warmup, (unsigned long long)total_ns, (double)total_ns / (double)ops);
	fflush(stdout);
}

/* Runs op() warmup + ops times, timing only the last ops; reports them. */
#define BENCH_RUN(name, ops, op)                                           \
	do {                                                               \
		uint64_t bench_start_;                                     \
		long bench_i_, bench_warmup_ = bench_warmup_ops();          \
		for (bench_i_ = 0; bench_i_ < bench_warmup_; bench_i_++)   \
			op;                                                \
		bench_start_ = bench_now_ns();                             \
		for (bench_i_ = 0; bench_i_ < (ops); bench_i_++)           \
			op;                                                \
		bench_report((name), (ops), bench_warmup_,                 \
			     bench_now_ns() - bench_start_);               \
	} while (0)

#endif /* BENCH_H */
