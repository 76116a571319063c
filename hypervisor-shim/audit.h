/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * --audit: the VMM's own copy of the guest's page-table entries.
 *
 * The copy is built only from what the guest tells the VMM (MMU hypercalls:
 * allocations, releases, entry writes, batches), seeded from the live tables
 * when the ROM is activated. At every CR3 load and every flush the real
 * tables reachable from CR3 are walked and compared with the copy, ignoring
 * the accessed and dirty bits hardware sets. A difference is a page-table
 * change the guest did not notify; it is reported once (address, old and
 * new value) and the copy then follows the live value.
 *
 * With several vCPUs a difference is first only suspected: another vCPU may
 * have stored the entry and still hold the notification in its deferred
 * queue. It is confirmed once every other activated vCPU has passed a flush
 * point (each check is one) and the entry still differs; the checking vCPU
 * itself has just flushed. With one vCPU that is at once.
 *
 * Bounded: the guest is hostile, and every vCPU waits on the audit's one
 * lock. One hypercall reads at most tables_per_call tables' worth of
 * entries, seeding and checking alike (audit_walk.c says how work is
 * counted); a walk that is not done then is carried over to the next flush
 * point (of any vCPU), where it resumes from its saved path after checking
 * that each table on it is the same shadow and still linked from the entry
 * above. A check walk of Linux's tables (a few hundred) fits in one call;
 * seeding a large guest's tables may take a few calls, and checks start
 * once it is done. At most max_tables tables are shadowed (4 KiB and a
 * little each); tables beyond the limit are not audited (a bit per page
 * still remembers which the guest announced), and the summary says so.
 *
 * Thread-safe: one lock for the whole copy (the audit is a debugging tool).
 */
#ifndef SHIM_AUDIT_H
#define SHIM_AUDIT_H

#include <stdint.h>
#include <stdio.h>

#include "gmem.h"

struct audit;

/*
 * The defaults: a call of 1024 tables' worth of entries takes about 2 ms
 * on a current host (make bench-audit); Linux's tables reachable from one
 * CR3 are a few hundred.
 */
#define AUDIT_TABLES_PER_CALL 1024
#define AUDIT_MAX_TABLES 32768	/* 128 MiB of shadow */

struct audit_limits {
	unsigned tables_per_call;
	unsigned max_tables;
};

/* Tracks page tables in guest RAM mem for nr_cpus vCPUs; reports go to log. */
struct audit *audit_create(const struct gmem *mem, FILE *log, unsigned nr_cpus);
/* The same with other limits (tests and the benchmark). */
struct audit *audit_create_limited(const struct gmem *mem, FILE *log, unsigned nr_cpus,
				   struct audit_limits limits);
void audit_destroy(struct audit *audit);

/* vCPU cpu activated the ROM: shadows every table reachable from cr3 that
 * is not shadowed yet, and enables checks. */
void audit_seed(struct audit *audit, uint64_t cr3, unsigned cpu);

/* Page frame pfn becomes a table of this level (may already hold entries). */
void audit_note_alloc(struct audit *audit, uint64_t pfn, int level);
void audit_note_release(struct audit *audit, uint64_t pfn);

/* The entry at guest-physical gpa (8-byte aligned, in RAM) now holds value. */
void audit_note_write(struct audit *audit, uint64_t gpa, uint64_t value);

/* vCPU cpu is at a flush point: walks its live tables from cr3 and compares. */
void audit_check(struct audit *audit, uint64_t cr3, unsigned cpu);

/* The VM has stopped: confirms what is still suspected and still differs. */
void audit_finish(struct audit *audit);

uint64_t audit_differences(const struct audit *audit);
uint64_t audit_checks(const struct audit *audit);

/* What the bounds did, for the summary, the tests and the benchmark. */
struct audit_bounds {
	unsigned most_visits;		/* the most tables one call visited */
	uint64_t carried;		/* calls that left a walk for the next one */
	unsigned tables;		/* shadowed now */
	uint64_t refused;		/* times a table was not shadowed for max_tables */
	uint64_t roots_dropped;		/* address spaces not seeded: too many waiting */
};
struct audit_bounds audit_bounds(struct audit *audit);

/*
 * "audit: N unnotified page-table changes in M checks", and a second line
 * when a bound was reached: calls whose walk was carried over, tables not
 * shadowed.
 */
void audit_print_summary(struct audit *audit, FILE *out);

#endif /* SHIM_AUDIT_H */
