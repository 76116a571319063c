/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * --stats: per hypercall type and per MMU operation, a count, an error
 * count, a latency histogram (time the VMM spends on the exit, in us), a
 * histogram of operations per hypercall and the most operations one
 * hypercall carried. Laid out like the shadow page table statistics Xen
 * developers posted, so the figures compare.
 *
 * Each vCPU owns one struct shim_stats and nobody else writes it; the
 * tables are summed at exit, so recording takes no lock.
 */
#ifndef SHIM_STATS_H
#define SHIM_STATS_H

#include <stdint.h>
#include <stdio.h>

#include <vmi/vmi_abi.h>
#include <vmi/vmi_hypercall.h>

#define STATS_LATENCY_BUCKETS 7	/* <2 <4 <8 <16 <32 <64 >=64 us */
#define STATS_OPS_BUCKETS 7	/* 0, 1, <4, <16, <64, <256, >=256 ops */

struct stats_row {
	uint64_t count;
	uint64_t errors;
	uint64_t total_ns;
	uint64_t latency[STATS_LATENCY_BUCKETS];
	uint64_t ops;
	uint64_t ops_hist[STATS_OPS_BUCKETS];
	uint64_t ops_max;		/* the most ops one event carried */
};

struct shim_stats {
	/* The last row counts hypercall numbers the spec does not define. */
	struct stats_row hypercall[VMI_NR_HYPERCALLS + 1];
	/* MMU operations (by VMI call number) inside MMU and MMU_BATCH; last row: unknown. */
	struct stats_row mmu_op[VMI_NR_CALLS + 1];
	/* outs/rep outs to the hypercall port: refused, no hypercall ran. */
	uint64_t string_io_refused;
};

uint64_t stats_now_ns(void);

/* Records one event of duration ns that carried ops operations. */
void stats_record(struct stats_row *row, uint64_t ns, uint64_t ops, int failed);

struct stats_row *stats_hypercall_row(struct shim_stats *stats, uint64_t nr);
struct stats_row *stats_mmu_row(struct shim_stats *stats, uint64_t call);

/* Adds one vCPU's table to total. */
void stats_add(struct shim_stats *total, const struct shim_stats *one);

void stats_print(FILE *out, const struct shim_stats *stats);

#endif /* SHIM_STATS_H */
