// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The audit's worst case, measured: a guest whose every page is a page
 * table (hostile_tree.h) activates the ROM on two vCPUs, changes leaves
 * without telling, and then makes flush-point hypercalls (empty MMU_BATCH)
 * from both, each timed around hc_dispatch() as the vCPU thread would wait
 * for it. A benchmark, not a test: it prints figures and one JSON line for
 * the benchmark report, and fails only when the audit misbehaves (a walk
 * that visits more than its bound, a change never found).
 *
 * Usage: bench-audit [RAM_MIB]  (default 1024)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#include "hostile_tree.h"
#include "hypercall.h"

#define TARGET_MS 10.0
#define CHANGED_LEAVES 1000
#define FULL_WALKS 3
#define CHURN_ROUNDS 40
#define FIRST_LEAF_TABLE 514	/* after the PML4 and the PDPTs (hostile_tree.h) */

/*
 * CPU time is the work a call does, what every vCPU waiting on the audit's
 * lock waits for; wall time adds whatever else this shared host ran.
 */
#define MAX_TIMED_CALLS 8192

struct timing {
	uint64_t calls;
	uint64_t worst_ns;	/* CPU time */
	uint64_t total_ns;
	uint64_t worst_wall_ns;
	uint64_t ns[MAX_TIMED_CALLS];	/* each call's CPU time, for the percentile */
};

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int64_t timed_call(struct hc_env *env, uint64_t nr, uint64_t a0, uint64_t a1,
			  struct timing *t)
{
	struct hc_args args = { .nr = nr, .a = { a0, a1, 0, 0 } };
	uint64_t wall = stats_now_ns(), start = cpu_ns(), ns;
	int64_t result = hc_dispatch(env, &args);

	ns = cpu_ns() - start;
	wall = stats_now_ns() - wall;
	if (t->calls < MAX_TIMED_CALLS)
		t->ns[t->calls] = ns;
	t->calls++;
	t->total_ns += ns;
	t->worst_ns = ns > t->worst_ns ? ns : t->worst_ns;
	t->worst_wall_ns = wall > t->worst_wall_ns ? wall : t->worst_wall_ns;
	return result;
}

/* Flush points from both vCPUs in turn. */
static void flushes(struct hc_env *env, uint64_t n, struct timing *t)
{
	for (uint64_t i = 0; i < n; i++)
		timed_call(&env[i & 1], VMI_HC_MMU_BATCH, 0, 0, t);
}

static long max_rss_kib(void)
{
	struct rusage usage;

	return getrusage(RUSAGE_SELF, &usage) == 0 ? usage.ru_maxrss : 0;
}

/*
 * Leaves changed behind the audit's back, in last-level tables the walk
 * reaches early (pages 600 on, past the PML4 and PDPTs): among the tables
 * the audit keeps, so every change must be found.
 */
static void change_leaves(struct gmem *mem)
{
	for (uint64_t i = 0; i < CHANGED_LEAVES; i++) {
		uint64_t pfn = FIRST_LEAF_TABLE + 86 + 8 * i;

		gmem_store64(mem->ram + pfn * 4096 + (i % 512) * 8, (0x40000ULL + i) << 12 | HOSTILE_LEAF);
	}
}

static double ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The 99th percentile of the calls' CPU times (sorts them). */
static uint64_t p99_ns(struct timing *t)
{
	uint64_t n = t->calls < MAX_TIMED_CALLS ? t->calls : MAX_TIMED_CALLS;

	if (!n)
		return 0;
	qsort(t->ns, n, sizeof(t->ns[0]), by_value);
	return t->ns[(n * 99) / 100];
}

/*
 * Every leaf of the last-level tables the audit keeps changes before each
 * flush point: every entry it compares differs.
 */
static void churn(struct hc_env *env, uint64_t tables, struct timing *t)
{
	uint64_t last = tables < AUDIT_MAX_TABLES ? tables : AUDIT_MAX_TABLES;

	for (int round = 0; round < CHURN_ROUNDS; round++) {
		for (uint64_t pfn = FIRST_LEAF_TABLE; pfn < last; pfn++)
			for (int i = 0; i < 512; i++)
				env->mem.ram[pfn * 4096 + i * 8 + 1] ^= 1;	/* bit 8, global */
		timed_call(&env[round & 1], VMI_HC_MMU_BATCH, 0, 0, t);
	}
}

/* What one run measured. */
struct result {
	uint64_t mib, tables;
	struct timing activate, flush, churn;
	uint64_t flush_p99_ns;
	struct audit_bounds bounds;
	uint64_t differences;
	long audit_mib;
};

static void print_result(const struct result *r)
{
	const struct timing *f = &r->flush;

	printf("bench-audit: guest %" PRIu64 " MiB, %" PRIu64 " page tables, 2 vCPUs; the audit keeps "
	       "%u tables and visits at most %u per hypercall\n", r->mib, r->tables, AUDIT_MAX_TABLES,
	       AUDIT_TABLES_PER_CALL);
	printf("bench-audit: ACTIVATE: %" PRIu64 " calls, worst %.2f ms CPU\n", r->activate.calls,
	       ms(r->activate.worst_ns));
	printf("bench-audit: empty MMU_BATCH (a flush point): %" PRIu64 " calls, mean %.2f ms, "
	       "99th percentile %.2f ms, worst %.2f ms CPU (target %.0f ms%s); worst wall time "
	       "%.2f ms\n", f->calls, ms(f->total_ns / f->calls), ms(r->flush_p99_ns),
	       ms(f->worst_ns), TARGET_MS, ms(f->worst_ns) < TARGET_MS ? "" : ": MISSED",
	       ms(f->worst_wall_ns));
	printf("bench-audit: flush point while every kept leaf changes: %" PRIu64 " calls, worst "
	       "%.2f ms CPU\n", r->churn.calls, ms(r->churn.worst_ns));
	printf("bench-audit: most tables one call visited %u; %" PRIu64 " calls carried a walk; "
	       "%" PRIu64 " of %d unnotified changes found; audit memory %ld MiB\n",
	       r->bounds.most_visits, r->bounds.carried, r->differences, CHANGED_LEAVES, r->audit_mib);
	printf("BENCH-AUDIT {\"ram_mib\": %" PRIu64 ", \"tables\": %" PRIu64, r->mib, r->tables);
	printf(", \"tables_kept\": %u, \"tables_per_call\": %u", AUDIT_MAX_TABLES,
	       AUDIT_TABLES_PER_CALL);
	printf(", \"activate_worst_ms\": %.3f, \"flush_calls\": %" PRIu64, ms(r->activate.worst_ns),
	       f->calls);
	printf(", \"flush_mean_ms\": %.3f, \"flush_p99_ms\": %.3f", ms(f->total_ns / f->calls),
	       ms(r->flush_p99_ns));
	printf(", \"flush_worst_ms\": %.3f, \"flush_worst_wall_ms\": %.3f", ms(f->worst_ns),
	       ms(f->worst_wall_ns));
	printf(", \"churn_worst_ms\": %.3f", ms(r->churn.worst_ns));
	printf(", \"target_ms\": %.0f, \"audit_mib\": %ld, \"most_visits\": %u", TARGET_MS,
	       r->audit_mib, r->bounds.most_visits);
	printf(", \"differences\": %" PRIu64 ", \"changed\": %d}\n", r->differences, CHANGED_LEAVES);
}

/* Activation on both vCPUs, flush points, leaves changed, flush points again. */
static int measure(struct gmem mem, struct result *r)
{
	struct hc_vcpu_state state[2] = { { 0 } };
	struct hc_env env[2];
	long rss_before = max_rss_kib();
	uint64_t rounds = FULL_WALKS * (r->tables / AUDIT_TABLES_PER_CALL + 1) + 64;

	for (int cpu = 0; cpu < 2; cpu++)
		env[cpu] = (struct hc_env){ .mem = mem, .cpu = (unsigned)cpu, .nr_cpus = 2,
					    .state = &state[cpu],
					    .mmu = { HOSTILE_TREE_ROOT, true, true, true } };
	env[0].audit = env[1].audit = audit_create(&mem, fopen("/dev/null", "w"), 2);
	if (!env[0].audit)
		return -1;
	for (int cpu = 0; cpu < 2; cpu++)
		timed_call(&env[cpu], VMI_HC_ACTIVATE, (uint64_t)cpu, 0, &r->activate);
	/* Seeding goes on in the first flush points: change leaves once it is done. */
	flushes(env, rounds, &r->flush);
	change_leaves(&mem);
	flushes(env, rounds, &r->flush);
	audit_finish(env[0].audit);
	r->differences = audit_differences(env[0].audit);
	churn(env, r->tables, &r->churn);
	r->bounds = audit_bounds(env[0].audit);
	r->flush_p99_ns = p99_ns(&r->flush);
	r->audit_mib = (max_rss_kib() - rss_before) / 1024;
	return 0;
}

int main(int argc, char **argv)
{
	static struct result r;
	struct gmem mem;

	r.mib = argc > 1 ? strtoull(argv[1], NULL, 10) : 1024;
	mem.size = r.mib << 20;
	if (r.mib < 64 || r.mib > 3072) {
		fprintf(stderr, "bench-audit: RAM %s MiB: give 64 to 3072\n", argc > 1 ? argv[1] : "");
		return 2;
	}
	mem.ram = mmap(NULL, mem.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem.ram == MAP_FAILED) {
		perror("bench-audit: guest RAM");
		return 1;
	}
	r.tables = hostile_tree(&mem);
	if (measure(mem, &r) != 0) {
		fprintf(stderr, "bench-audit: out of memory for the audit\n");
		return 1;
	}
	print_result(&r);
	/* The bound held and every change in a kept table was found. */
	return r.bounds.most_visits <= AUDIT_TABLES_PER_CALL && r.differences == CHANGED_LEAVES ? 0 : 1;
}
