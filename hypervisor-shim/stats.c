// SPDX-License-Identifier: GPL-2.0 OR MIT
/* --stats tables: recording and the report printed at exit. */
#include <inttypes.h>
#include <time.h>

#include "stats.h"

static const char *const hypercall_names[VMI_NR_HYPERCALLS] = {
#define HC_NAME(nr, NAME, nargs) [nr] = #NAME,
	VMI_HYPERCALLS(HC_NAME)
#undef HC_NAME
};

static const char *const call_names[VMI_NR_CALLS] = {
#define CALL_NAME(nr, name, NAME, GROUP, CONV, since, may_defer) [nr] = #name,
	VMI_CALLS(CALL_NAME)
#undef CALL_NAME
};

static const char *const latency_labels[STATS_LATENCY_BUCKETS] = {
	"<2", "<4", "<8", "<16", "<32", "<64", ">=64",
};

static const char *const ops_labels[STATS_OPS_BUCKETS] = {
	"0", "1", "<4", "<16", "<64", "<256", ">=256",
};

uint64_t stats_now_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec;
}

static int latency_bucket(uint64_t ns)
{
	uint64_t limit_us = 2;
	int bucket;

	for (bucket = 0; bucket < STATS_LATENCY_BUCKETS - 1; bucket++, limit_us *= 2)
		if (ns < limit_us * 1000)
			return bucket;
	return STATS_LATENCY_BUCKETS - 1;
}

static int ops_bucket(uint64_t ops)
{
	static const uint64_t below[] = { 1, 2, 4, 16, 64, 256 };
	int bucket;

	for (bucket = 0; bucket < STATS_OPS_BUCKETS - 1; bucket++)
		if (ops < below[bucket])
			return bucket;
	return STATS_OPS_BUCKETS - 1;
}

void stats_record(struct stats_row *row, uint64_t ns, uint64_t ops, int failed)
{
	row->count++;
	row->errors += failed ? 1 : 0;
	row->total_ns += ns;
	row->latency[latency_bucket(ns)]++;
	row->ops += ops;
	row->ops_hist[ops_bucket(ops)]++;
	if (ops > row->ops_max)
		row->ops_max = ops;
}

struct stats_row *stats_hypercall_row(struct shim_stats *stats, uint64_t nr)
{
	return &stats->hypercall[nr < VMI_NR_HYPERCALLS ? nr : VMI_NR_HYPERCALLS];
}

struct stats_row *stats_mmu_row(struct shim_stats *stats, uint64_t call)
{
	return &stats->mmu_op[call < VMI_NR_CALLS ? call : VMI_NR_CALLS];
}

static void row_add(struct stats_row *total, const struct stats_row *row)
{
	int i;

	total->count += row->count;
	total->errors += row->errors;
	total->total_ns += row->total_ns;
	total->ops += row->ops;
	for (i = 0; i < STATS_LATENCY_BUCKETS; i++)
		total->latency[i] += row->latency[i];
	for (i = 0; i < STATS_OPS_BUCKETS; i++)
		total->ops_hist[i] += row->ops_hist[i];
	if (row->ops_max > total->ops_max)
		total->ops_max = row->ops_max;
}

void stats_add(struct shim_stats *total, const struct shim_stats *one)
{
	int i;

	for (i = 0; i <= VMI_NR_HYPERCALLS; i++)
		row_add(&total->hypercall[i], &one->hypercall[i]);
	for (i = 0; i <= VMI_NR_CALLS; i++)
		row_add(&total->mmu_op[i], &one->mmu_op[i]);
	total->string_io_refused += one->string_io_refused;
}

static double percent(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void print_latency_header(FILE *out, const char *what)
{
	int i;

	fprintf(out, "stats: %-22s %10s %8s", what, "count", "errors");
	for (i = 0; i < STATS_LATENCY_BUCKETS; i++)
		fprintf(out, " %8s", latency_labels[i]);
	fprintf(out, " %9s\n", "avg us");
}

static void print_latency_row(FILE *out, const char *name, const struct stats_row *row)
{
	int i;

	fprintf(out, "stats: %-22s %10" PRIu64 " %8" PRIu64, name, row->count, row->errors);
	for (i = 0; i < STATS_LATENCY_BUCKETS; i++)
		fprintf(out, " %8" PRIu64, row->latency[i]);
	fprintf(out, " %9.2f\n", row->count ? (double)row->total_ns / 1000.0 / (double)row->count : 0.0);
	fprintf(out, "stats: %-22s %10s %8s", "", "", "");
	for (i = 0; i < STATS_LATENCY_BUCKETS; i++)
		fprintf(out, " %7.1f%%", percent(row->latency[i], row->count));
	fprintf(out, "\n");
}

static void print_ops_header(FILE *out)
{
	int i;

	fprintf(out, "stats: %-22s %10s", "ops per hypercall", "total ops");
	for (i = 0; i < STATS_OPS_BUCKETS; i++)
		fprintf(out, " %8s", ops_labels[i]);
	fprintf(out, " %8s %9s\n", "max ops", "avg ops");
}

static void print_ops_row(FILE *out, const char *name, const struct stats_row *row)
{
	int i;

	fprintf(out, "stats: %-22s %10" PRIu64, name, row->ops);
	for (i = 0; i < STATS_OPS_BUCKETS; i++)
		fprintf(out, " %8" PRIu64, row->ops_hist[i]);
	fprintf(out, " %8" PRIu64 " %9.2f\n", row->ops_max, (double)row->ops / (double)row->count);
}

static void print_ops_table(FILE *out, const struct shim_stats *stats)
{
	int nr;

	print_ops_header(out);
	for (nr = 0; nr <= VMI_NR_HYPERCALLS; nr++)
		if (stats->hypercall[nr].ops)
			print_ops_row(out, nr < VMI_NR_HYPERCALLS ? hypercall_names[nr] : "(unknown)",
				      &stats->hypercall[nr]);
}

void stats_print(FILE *out, const struct shim_stats *stats)
{
	uint64_t total = 0;
	int nr;

	for (nr = 0; nr <= VMI_NR_HYPERCALLS; nr++)
		total += stats->hypercall[nr].count;
	if (!total) {
		fprintf(out, "stats: no hypercalls\n");
		return;
	}
	print_latency_header(out, "hypercall");
	for (nr = 0; nr <= VMI_NR_HYPERCALLS; nr++)
		if (stats->hypercall[nr].count)
			print_latency_row(out, nr < VMI_NR_HYPERCALLS ? hypercall_names[nr] : "(unknown)",
					  &stats->hypercall[nr]);
	print_ops_table(out, stats);
	print_latency_header(out, "mmu operation");
	for (nr = 0; nr <= VMI_NR_CALLS; nr++)
		if (stats->mmu_op[nr].count)
			print_latency_row(out, nr < VMI_NR_CALLS ? call_names[nr] : "(unknown)",
					  &stats->mmu_op[nr]);
}
