// SPDX-License-Identifier: GPL-2.0 OR MIT
/* --audit: a shadow of the guest's page tables built from its notifications. */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

/* Hardware sets these behind everybody's back: never a difference. */
#define AUDIT_IGNORED_BITS (GMEM_PTE_ACCESSED | GMEM_PTE_DIRTY)
/* Reports printed before the audit only counts. */
#define AUDIT_MAX_REPORTS 32
/* Differences waiting for the other vCPUs' flushes; more are confirmed at once. */
#define AUDIT_MAX_SUSPECTS 1024
#define AUDIT_MAX_CPUS 64
#define AUDIT_LEVELS 4
/*
 * A call's work is counted in entries read: a table visit reads its 512,
 * following one link reads one more. So a call visits at most
 * tables_per_call tables, and a walk that keeps finding tables it cannot
 * enter (seen, outside RAM, over the cap) still ends its call in time.
 */
#define VISIT_COST (GMEM_PT_ENTRIES + 1)
/* A table shadowed for the first time costs more: new memory, page faults. */
#define SHADOW_COST (4 * GMEM_PT_ENTRIES)

struct shadow_table {
	int level;		/* 1 = PTE ... 4 = PML4; 0 = not known yet */
	bool announced;		/* by alloc_*, seeding or a notification */
	bool suspect;		/* unannounced, waiting in the suspect list */
	uint64_t walk;		/* number of the last check walk that visited it */
	uint64_t suspect_entry[GMEM_PT_ENTRIES / 64];	/* entries in the suspect list */
	uint64_t entry[GMEM_PT_ENTRIES];
};

struct suspect {
	uint64_t gpa;		/* the entry, or the table (is_table) */
	bool is_table;
	int level;
	unsigned cpu;		/* the vCPU whose check saw it */
	uint64_t seen_at[AUDIT_MAX_CPUS];	/* flush counts then */
};

/*
 * A depth-first walk that can stop and go on later: the path from the root
 * to the table being read, each with the next entry to read.
 */
struct walk_frame {
	uint64_t pfn;
	int level;
	unsigned next;
};

struct walk {
	bool seeding;		/* shadows unknown tables; else compares known ones */
	uint64_t id;		/* check walks: marks the tables this walk visited */
	unsigned depth;		/* 0: no walk in progress */
	struct walk_frame frame[AUDIT_LEVELS];
};

/* What one call may still do, and what it did. */
struct budget {
	uint64_t units;
	unsigned visits;
};

struct audit {
	struct gmem mem;
	FILE *log;
	pthread_mutex_t lock;
	struct audit_limits limits;
	bool activated;
	unsigned nr_cpus;
	bool active[AUDIT_MAX_CPUS];	/* activated: may hold queued notifications */
	uint64_t flushes[AUDIT_MAX_CPUS];
	uint64_t nr_pages;
	struct shadow_table **table;	/* indexed by pfn */
	unsigned nr_tables;
	struct suspect *suspects;	/* AUDIT_MAX_SUSPECTS, allocated at the first */
	unsigned nr_suspects;
	/* Roots still to seed from, and the seed walk in progress. */
	uint64_t seed_roots[AUDIT_MAX_CPUS];
	unsigned nr_seed_roots;
	struct walk seed;
	struct walk check;
	uint64_t walk_ids;
	struct audit_bounds bounds;
	uint64_t checks;
	uint64_t differences;
	uint64_t reports;
};

struct audit *audit_create_limited(const struct gmem *mem, FILE *log, unsigned nr_cpus,
				   struct audit_limits limits)
{
	struct audit *audit = calloc(1, sizeof(*audit));

	if (!audit)
		return NULL;
	audit->mem = *mem;
	audit->log = log;
	audit->limits = limits;
	audit->nr_cpus = nr_cpus < AUDIT_MAX_CPUS ? nr_cpus : AUDIT_MAX_CPUS;
	audit->nr_pages = mem->size >> GMEM_PAGE_SHIFT;
	audit->table = calloc(audit->nr_pages ? audit->nr_pages : 1, sizeof(*audit->table));
	if (!audit->table) {
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
	free(audit->suspects);
	pthread_mutex_destroy(&audit->lock);
	free(audit);
}

static const uint8_t *live_page(const struct audit *audit, uint64_t pfn)
{
	return gmem_phys(&audit->mem, pfn << GMEM_PAGE_SHIFT, 1ULL << GMEM_PAGE_SHIFT);
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
	if (shadow)
		audit->nr_tables++;
	return shadow;
}

/* Shadows pfn from its live contents unless it is shadowed already. */
static struct shadow_table *shadow_from_live(struct audit *audit, uint64_t pfn, int level,
					     bool announced)
{
	const uint8_t *live = live_page(audit, pfn);
	struct shadow_table *shadow;
	int i;

	if (!live)
		return NULL;
	shadow = audit->table[pfn];
	if (shadow) {
		shadow->level = level ? level : shadow->level;
		shadow->announced |= announced;
		return shadow;
	}
	shadow = new_shadow(audit);
	if (!shadow)
		return NULL;
	shadow->level = level;
	shadow->announced = announced;
	for (i = 0; i < GMEM_PT_ENTRIES; i++)
		shadow->entry[i] = gmem_load64(live + i * 8);
	audit->table[pfn] = shadow;
	return shadow;
}

static void drop_shadow(struct audit *audit, uint64_t pfn)
{
	if (!audit->table[pfn])
		return;
	free(audit->table[pfn]);
	audit->table[pfn] = NULL;
	audit->nr_tables--;
}

static bool entry_is_table(uint64_t entry, int level)
{
	if (!(entry & GMEM_PTE_PRESENT) || level <= 1)
		return false;
	return !((level == 2 || level == 3) && (entry & GMEM_PTE_LARGE));
}

static uint64_t child_pfn(uint64_t entry)
{
	return (entry & GMEM_PTE_ADDR_MASK) >> GMEM_PAGE_SHIFT;
}

/* One difference; an entry's report gives its old and new value, a table's none. */
static void report(struct audit *audit, bool is_table, uint64_t gpa, int level,
		   uint64_t old_value, uint64_t new_value)
{
	audit->differences++;
	if (audit->reports++ >= AUDIT_MAX_REPORTS) {
		if (audit->reports == AUDIT_MAX_REPORTS + 1)
			fprintf(audit->log, "audit: further differences are counted, not printed\n");
		return;
	}
	if (is_table)
		fprintf(audit->log, "audit: unannounced page table at gpa 0x%" PRIx64 " (level %d)\n",
			gpa, level);
	else
		fprintf(audit->log, "audit: unnotified change at gpa 0x%" PRIx64 " (level %d): 0x%016"
			PRIx64 " -> 0x%016" PRIx64 "\n", gpa, level, old_value, new_value);
}

/* --- Suspects: differences waiting for the other vCPUs' flushes ---------- */

static struct shadow_table *table_of(const struct audit *audit, uint64_t gpa)
{
	return audit->table[gpa >> GMEM_PAGE_SHIFT];
}

static unsigned entry_index(uint64_t gpa)
{
	return (unsigned)((gpa & 0xfff) / 8);
}

/* The suspect's mark in its table: set, cleared or read. */
static bool suspect_mark(struct audit *audit, const struct suspect *s, int set)
{
	struct shadow_table *table = table_of(audit, s->gpa);
	unsigned i = entry_index(s->gpa);
	uint64_t bit = 1ULL << (i % 64);
	bool was;

	if (!table)
		return false;
	was = s->is_table ? table->suspect : (table->suspect_entry[i / 64] & bit) != 0;
	if (set >= 0 && s->is_table)
		table->suspect = set;
	else if (set >= 0)
		table->suspect_entry[i / 64] = set ? table->suspect_entry[i / 64] | bit :
					      table->suspect_entry[i / 64] & ~bit;
	return was;
}

/* The shadow entry at gpa and its live value; false once it is no table entry. */
static bool entry_pair(struct audit *audit, uint64_t gpa, uint64_t **shadow, uint64_t *live)
{
	struct shadow_table *table = table_of(audit, gpa);

	if (!table)
		return false;	/* released since: no longer a page table */
	*shadow = &table->entry[entry_index(gpa)];
	*live = gmem_load64(audit->mem.ram + gpa);
	return true;
}

/* Does the suspect still stand? Settles it when it is confirmed. */
static bool still_differs(struct audit *audit, const struct suspect *s, bool confirm)
{
	uint64_t *shadow, live;
	struct shadow_table *table;

	if (s->is_table) {
		table = table_of(audit, s->gpa);
		if (!table || table->announced)
			return false;
		if (confirm) {
			report(audit, true, s->gpa, s->level, 0, 0);
			table->announced = true;
		}
		return true;
	}
	if (!entry_pair(audit, s->gpa, &shadow, &live) || !((live ^ *shadow) & ~AUDIT_IGNORED_BITS))
		return false;
	if (confirm) {
		report(audit, false, s->gpa, s->level, *shadow, live);
		*shadow = live;
	}
	return true;
}

/* Has every other vCPU flushed since the suspect was seen? */
static bool others_flushed(const struct audit *audit, const struct suspect *s)
{
	unsigned cpu;

	for (cpu = 0; cpu < audit->nr_cpus; cpu++)
		if (cpu != s->cpu && audit->active[cpu] && audit->flushes[cpu] <= s->seen_at[cpu])
			return false;
	return true;
}

static void settle_suspects(struct audit *audit, bool finish)
{
	unsigned i = 0;

	while (i < audit->nr_suspects) {
		struct suspect *s = &audit->suspects[i];
		bool confirm = finish || others_flushed(audit, s);

		if (!still_differs(audit, s, confirm) || confirm) {
			suspect_mark(audit, s, 0);
			*s = audit->suspects[--audit->nr_suspects];
		} else {
			i++;
		}
	}
}

static void suspect(struct audit *audit, uint64_t gpa, bool is_table, int level, unsigned cpu)
{
	struct suspect *s;

	if (!audit->suspects) {
		audit->suspects = calloc(AUDIT_MAX_SUSPECTS, sizeof(*audit->suspects));
		if (!audit->suspects) {
			fprintf(audit->log, "audit: out of memory\n");
			return;
		}
	}
	if (audit->nr_suspects == AUDIT_MAX_SUSPECTS)
		settle_suspects(audit, true);	/* no room to wait: decide now */
	s = &audit->suspects[audit->nr_suspects];
	*s = (struct suspect){ .gpa = gpa, .is_table = is_table, .level = level, .cpu = cpu };
	if (suspect_mark(audit, s, 1))
		return;	/* in the list already */
	memcpy(s->seen_at, audit->flushes, sizeof(s->seen_at));
	audit->nr_suspects++;
}

/* --- Walks that stop when the call's budget is spent ---------------------- */

static void compare_entries(struct audit *audit, unsigned cpu, uint64_t pfn, int level,
			    struct shadow_table *shadow, const uint8_t *live)
{
	int i;

	for (i = 0; i < GMEM_PT_ENTRIES; i++) {
		uint64_t now = gmem_load64(live + i * 8);

		if ((now ^ shadow->entry[i]) & ~AUDIT_IGNORED_BITS)
			suspect(audit, (pfn << GMEM_PAGE_SHIFT) + i * 8ULL, false, level, cpu);
	}
}

/* A check walk reaches pfn: compares it, unless this walk saw it already. */
static bool visit_check(struct audit *audit, struct walk *walk, unsigned cpu, uint64_t pfn,
			int level)
{
	const uint8_t *live = live_page(audit, pfn);
	struct shadow_table *shadow;

	if (!live)
		return false;	/* hardware would fault on it; nothing to compare */
	shadow = audit->table[pfn];
	if (!shadow) {
		shadow = shadow_from_live(audit, pfn, level, false);
		if (!shadow)
			return false;
		suspect(audit, pfn << GMEM_PAGE_SHIFT, true, level, cpu);
	}
	if (shadow->walk == walk->id)
		return false;	/* shared by several parents, or a guest loop */
	shadow->walk = walk->id;
	compare_entries(audit, cpu, pfn, level, shadow, live);
	return true;
}

/* A seed walk reaches pfn: shadows it, unless it is known (and so its children). */
static bool visit_seed(struct audit *audit, uint64_t pfn, int level)
{
	if (pfn >= audit->nr_pages || audit->table[pfn])
		return false;
	return shadow_from_live(audit, pfn, level, true) != NULL;
}

/* Visits pfn and, when it is a table to go through, pushes it. */
static void visit(struct audit *audit, struct walk *walk, unsigned cpu, uint64_t pfn, int level,
		  struct budget *budget)
{
	unsigned tables = audit->nr_tables;
	bool entered = walk->seeding ? visit_seed(audit, pfn, level) :
				       visit_check(audit, walk, cpu, pfn, level);

	if (audit->nr_tables != tables)
		budget->units -= budget->units < SHADOW_COST ? budget->units : SHADOW_COST;
	if (!entered)
		return;
	budget->units -= budget->units < GMEM_PT_ENTRIES ? budget->units : GMEM_PT_ENTRIES;
	budget->visits++;
	walk->frame[walk->depth++] = (struct walk_frame){ pfn, level, 0 };
}

/*
 * A carried walk resumes where the guest's tables still lead: each table on
 * the path must still be shadowed and still linked from the entry above it.
 */
static void revalidate(struct audit *audit, struct walk *walk)
{
	unsigned k;

	for (k = 0; k < walk->depth; k++) {
		const struct walk_frame *f = &walk->frame[k], *up = &walk->frame[k - (k > 0)];
		uint64_t entry;

		if (!audit->table[f->pfn])
			break;
		if (k == 0)
			continue;
		entry = gmem_load64(live_page(audit, up->pfn) + (up->next - 1) * 8ULL);
		if (!entry_is_table(entry, up->level) || child_pfn(entry) != f->pfn)
			break;
	}
	walk->depth = k;
}

/* Goes on with walk until it ends (true) or the budget is spent (false). */
static bool walk_run(struct audit *audit, struct walk *walk, unsigned cpu, struct budget *budget)
{
	while (walk->depth) {
		struct walk_frame *f = &walk->frame[walk->depth - 1];
		uint64_t entry;

		if (f->level == 1 || f->next == GMEM_PT_ENTRIES) {
			walk->depth--;
			continue;
		}
		if (budget->units < VISIT_COST)
			return false;
		budget->units--;
		entry = gmem_load64(live_page(audit, f->pfn) + f->next++ * 8ULL);
		if (entry_is_table(entry, f->level))
			visit(audit, walk, cpu, child_pfn(entry), f->level - 1, budget);
	}
	return true;
}

/* Starts a walk at root, as far as the budget goes; false when it is carried. */
static bool walk_from(struct audit *audit, struct walk *walk, unsigned cpu, uint64_t root,
		      struct budget *budget)
{
	if (budget->units < VISIT_COST)
		return false;
	budget->units--;
	walk->depth = 0;
	if (!walk->seeding)
		walk->id = ++audit->walk_ids;
	visit(audit, walk, cpu, root, AUDIT_LEVELS, budget);
	return walk_run(audit, walk, cpu, budget);
}

/* Seeds from the queued roots; false while some of it is left. */
static bool seed_some(struct audit *audit, struct budget *budget)
{
	revalidate(audit, &audit->seed);
	if (!walk_run(audit, &audit->seed, 0, budget))
		return false;
	while (audit->nr_seed_roots) {
		/* A root stays queued while its walk is carried; seen again, it ends at once. */
		if (!walk_from(audit, &audit->seed, 0, audit->seed_roots[audit->nr_seed_roots - 1],
			       budget))
			return false;
		audit->nr_seed_roots--;
	}
	return true;
}

/* Goes on with a carried check walk, then walks cr3 with what budget is left. */
static bool check_some(struct audit *audit, uint64_t cr3, unsigned cpu, struct budget *budget)
{
	if (audit->check.depth) {
		revalidate(audit, &audit->check);
		if (!walk_run(audit, &audit->check, cpu, budget))
			return false;
	}
	return walk_from(audit, &audit->check, cpu, child_pfn(cr3), budget);
}

static struct budget call_budget(const struct audit *audit)
{
	return (struct budget){ (uint64_t)audit->limits.tables_per_call * VISIT_COST, 0 };
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
}

void audit_seed(struct audit *audit, uint64_t cr3, unsigned cpu)
{
	struct budget budget = call_budget(audit);

	pthread_mutex_lock(&audit->lock);
	audit->active[cpu < AUDIT_MAX_CPUS ? cpu : AUDIT_MAX_CPUS - 1] = true;
	audit->activated = true;
	queue_seed_root(audit, child_pfn(cr3));
	/* The walk starts from the last root queued: this one. */
	spent(audit, &budget, seed_some(audit, &budget));
	pthread_mutex_unlock(&audit->lock);
}

void audit_note_alloc(struct audit *audit, uint64_t pfn, int level)
{
	if (pfn >= audit->nr_pages)
		return;
	pthread_mutex_lock(&audit->lock);
	shadow_from_live(audit, pfn, level, true);
	pthread_mutex_unlock(&audit->lock);
}

void audit_note_release(struct audit *audit, uint64_t pfn)
{
	if (pfn >= audit->nr_pages)
		return;
	pthread_mutex_lock(&audit->lock);
	drop_shadow(audit, pfn);
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
	shadow = shadow_from_live(audit, pfn, 0, true);
	if (shadow)
		shadow->entry[entry_index(gpa)] = value;
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
		done = seed_some(audit, &budget) && check_some(audit, cr3, cpu, &budget);
		spent(audit, &budget, done);
		settle_suspects(audit, false);
	}
	pthread_mutex_unlock(&audit->lock);
}

void audit_finish(struct audit *audit)
{
	pthread_mutex_lock(&audit->lock);
	settle_suspects(audit, true);
	pthread_mutex_unlock(&audit->lock);
}

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
	if (bounds.carried || bounds.refused)
		fprintf(out, "audit: %" PRIu64 " calls carried their walk over (at most %u tables "
			"each); a table was left unshadowed %" PRIu64 " times (at most %u are kept)\n",
			bounds.carried, audit->limits.tables_per_call, bounds.refused,
			audit->limits.max_tables);
}
