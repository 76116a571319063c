/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the shim's host unit tests share: one result line per check, the
 * closing "N passed, N failed" line, and hypercalls over a plain buffer.
 * Each test program is one file that includes this once.
 */
#ifndef SHIM_UNIT_H
#define SHIM_UNIT_H

#include <stdio.h>
#include <string.h>

#include "hypercall.h"

static int unit_passed, unit_failed;

static inline void check(int ok, const char *what, long long got)
{
	if (ok) {
		unit_passed++;
		printf("ok %s\n", what);
	} else {
		unit_failed++;
		printf("not ok %s (got %lld)\n", what, got);
	}
}

/* The closing line the check harness reads; the exit status. */
static inline int unit_summary(void)
{
	printf("%d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

static inline void put(struct gmem *mem, uint64_t gpa, uint64_t value)
{
	memcpy(mem->ram + gpa, &value, 8);
}

static inline uint64_t get(const struct gmem *mem, uint64_t gpa)
{
	uint64_t value;

	memcpy(&value, mem->ram + gpa, 8);
	return value;
}

static inline int64_t call(struct hc_env *env, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct hc_args args = { .nr = nr, .a = { a0, a1, a2, 0 } };

	return hc_dispatch(env, &args);
}

static inline void expect(struct hc_env *env, const char *what, int64_t want, uint64_t nr,
		   uint64_t a0, uint64_t a1, uint64_t a2)
{
	int64_t got = call(env, nr, a0, a1, a2);

	check(got == want, what, got);
}

#endif /* SHIM_UNIT_H */
