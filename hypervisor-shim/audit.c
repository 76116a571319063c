// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * --audit: a shadow of the guest's page tables built from its notifications
 * (the store and the entry points; the walks are in audit_walk.c, the
 * differences waiting for confirmation in audit_suspect.c).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "audit_priv.h"

struct audit *audit_create_limited(const struct gmem *mem, FILE *log, unsigned nr_cpus,
				   struct audit_limits limits)
{
	struct audit *audit = calloc(1, sizeof(*audit));
	uint64_t pages = mem->size >> GMEM_PAGE_SHIFT;

	if (!audit)
		return NULL;
	audit->mem = *mem;
	audit->log = log;
	audit->limits = limits;
	audit->nr_cpus = nr_cpus < AUDIT_MAX_CPUS ? nr_cpus : AUDIT_MAX_CPUS;
	audit->nr_pages = pages;
	audit->table = calloc(pages ? pages : 1, sizeof(*audit->table));
	audit->announced = calloc(pages / 64 + 1, sizeof(*audit->announced));
	if (!audit->table || !audit->announced) {
		free(audit->table);
		free(audit->announced);
		free(audit);
		return NULL;
	}
	audit->seed.seeding = true;
	pthread_mutex_init(&audit->lock, NULL);
	return audit;
}

struct audit *audit_create(const struct gmem *mem, FILE *log, unsigned nr_cpus)
{
	struct audit_limits limits = { AUDIT_TABLES_PER_CALL, AUDIT_MAX_TABLES };

	return audit_create_limited(mem, log, nr_cpus, limits);
}

void audit_destroy(struct audit *audit)
{
	uint64_t pfn;

	if (!audit)
		return;
	for (pfn = 0; pfn < audit->nr_pages; pfn++)
		free(audit->table[pfn]);
	free(audit->table);
	free(audit->announced);
	free(audit->suspects);
	pthread_mutex_destroy(&audit->lock);
	free(audit);
}

/* --- The store: shadows, and which pages the guest announced -------------- */

const uint8_t *audit_live_page(const struct audit *audit, uint64_t pfn)
{
	return gmem_phys(&audit->mem, pfn << GMEM_PAGE_SHIFT, 1ULL << GMEM_PAGE_SHIFT);
}

/* Kept a bit per page, so a table over the cap stays announced. */
bool audit_announced(const struct audit *audit, uint64_t pfn)
{
	return pfn < audit->nr_pages && (audit->announced[pfn / 64] >> (pfn % 64)) & 1;
}

void audit_announce(struct audit *audit, uint64_t pfn)
{
	if (pfn < audit->nr_pages)
		audit->announced[pfn / 64] |= 1ULL << (pfn % 64);
}

static struct shadow_table *new_shadow(struct audit *audit)
{
	struct shadow_table *shadow;

	if (audit->nr_tables >= audit->limits.max_tables) {
		if (audit->bounds.refused++ == 0)
			fprintf(audit->log, "audit: %u page tables shadowed, the most it keeps; "
				"further tables are not audited\n", audit->limits.max_tables);
		return NULL;
	}
	shadow = calloc(1, sizeof(*shadow));
	if (!shadow)
		return NULL;
	audit->nr_tables++;
	shadow->serial = ++audit->serials;
	return shadow;
}

/* Shadows pfn from its live contents unless it is shadowed already. */
struct shadow_table *audit_shadow(struct audit *audit, uint64_t pfn, int level, bool announced)
{
	const uint8_t *live = audit_live_page(audit, pfn);
	struct shadow_table *shadow;
	int i;

	if (!live)
		return NULL;
	if (announced)
		audit_announce(audit, pfn);
	shadow = audit->table[pfn];
	if (shadow) {
		shadow->level = level ? level : shadow->level;
		return shadow;
	}
	shadow = new_shadow(audit);
	if (!shadow)
		return NULL;
	shadow->level = level;
	for (i = 0; i < GMEM_PT_ENTRIES; i++)
		shadow->entry[i] = gmem_load64(live + i * 8);
	audit->table[pfn] = shadow;
	return shadow;
}

static void release(struct audit *audit, uint64_t pfn)
{
	audit->announced[pfn / 64] &= ~(1ULL << (pfn % 64));
	if (!audit->table[pfn])
		return;
	free(audit->table[pfn]);
	audit->table[pfn] = NULL;
	audit->nr_tables--;
}

/* --- Notifications and flush points ---------------------------------------- */

static struct budget call_budget(const struct audit *audit)
{
	return (struct budget){ (uint64_t)audit->limits.tables_per_call * (GMEM_PT_ENTRIES + 1), 0 };
}

/* Accounts for one call's use of its budget. */
static void spent(struct audit *audit, const struct budget *budget, bool done)
{
	if (budget->visits > audit->bounds.most_visits)
		audit->bounds.most_visits = budget->visits;
	audit->bounds.carried += !done;
}

static void queue_seed_root(struct audit *audit, uint64_t root)
{
	unsigned i;

	for (i = 0; i < audit->nr_seed_roots; i++)
		if (audit->seed_roots[i] == root)
			return;
	if (audit->nr_seed_roots < AUDIT_MAX_CPUS)
		audit->seed_roots[audit->nr_seed_roots++] = root;
	else if (audit->bounds.roots_dropped++ == 0)
		fprintf(audit->log, "audit: more than %d address spaces wait to be seeded; the "
			"tables of pfn 0x%" PRIx64 " are not seeded\n", AUDIT_MAX_CPUS, root);
}

void audit_seed(struct audit *audit, uint64_t cr3, unsigned cpu)
{
	struct budget budget = call_budget(audit);

	pthread_mutex_lock(&audit->lock);
	audit->active[cpu < AUDIT_MAX_CPUS ? cpu : AUDIT_MAX_CPUS - 1] = true;
	audit->activated = true;
	queue_seed_root(audit, (cr3 & GMEM_PTE_ADDR_MASK) >> GMEM_PAGE_SHIFT);
	spent(audit, &budget, audit_seed_some(audit, &budget));
	pthread_mutex_unlock(&audit->lock);
}

void audit_note_alloc(struct audit *audit, uint64_t pfn, int level)
{
	if (pfn >= audit->nr_pages)
		return;
	pthread_mutex_lock(&audit->lock);
	audit_shadow(audit, pfn, level, true);
	pthread_mutex_unlock(&audit->lock);
}

void audit_note_release(struct audit *audit, uint64_t pfn)
{
	if (pfn >= audit->nr_pages)
		return;
	pthread_mutex_lock(&audit->lock);
	release(audit, pfn);
	pthread_mutex_unlock(&audit->lock);
}

void audit_note_write(struct audit *audit, uint64_t gpa, uint64_t value)
{
	uint64_t pfn = gpa >> GMEM_PAGE_SHIFT;
	struct shadow_table *shadow;

	if (pfn >= audit->nr_pages)
		return;
	pthread_mutex_lock(&audit->lock);
	/* A write into a page never announced: trust what it holds now. */
	shadow = audit_shadow(audit, pfn, 0, true);
	if (shadow)
		shadow->entry[(gpa & 0xfff) / 8] = value;
	pthread_mutex_unlock(&audit->lock);
}

void audit_check(struct audit *audit, uint64_t cr3, unsigned cpu)
{
	struct budget budget = call_budget(audit);
	bool done;

	cpu = cpu < AUDIT_MAX_CPUS ? cpu : AUDIT_MAX_CPUS - 1;
	pthread_mutex_lock(&audit->lock);
	if (audit->activated) {
		audit->checks++;
		audit->flushes[cpu]++;
		/* Tables not seeded yet would all look unannounced: seed first. */
		done = audit_seed_some(audit, &budget) &&
		       audit_check_some(audit, cr3, cpu, &budget);
		spent(audit, &budget, done);
		audit_settle(audit, false);
	}
	pthread_mutex_unlock(&audit->lock);
}

void audit_finish(struct audit *audit)
{
	pthread_mutex_lock(&audit->lock);
	audit_settle(audit, true);
	pthread_mutex_unlock(&audit->lock);
}

/* --- Results ---------------------------------------------------------------- */

uint64_t audit_differences(const struct audit *audit)
{
	return audit->differences;
}

uint64_t audit_checks(const struct audit *audit)
{
	return audit->checks;
}

struct audit_bounds audit_bounds(struct audit *audit)
{
	struct audit_bounds bounds;

	pthread_mutex_lock(&audit->lock);
	bounds = audit->bounds;
	bounds.tables = audit->nr_tables;
	pthread_mutex_unlock(&audit->lock);
	return bounds;
}

void audit_print_summary(struct audit *audit, FILE *out)
{
	struct audit_bounds bounds = audit_bounds(audit);

	fprintf(out, "audit: %" PRIu64 " unnotified page-table changes in %" PRIu64 " checks\n",
		audit->differences, audit->checks);
	if (bounds.carried || bounds.refused || bounds.roots_dropped)
		fprintf(out, "audit: %" PRIu64 " calls carried their walk over (at most %u tables' "
			"worth each); a table was left unshadowed %" PRIu64 " times (at most %u are kept); "
			"%" PRIu64 " address spaces not seeded\n", bounds.carried,
			audit->limits.tables_per_call, bounds.refused, audit->limits.max_tables,
			bounds.roots_dropped);
}
