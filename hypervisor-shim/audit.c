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

struct shadow_table {
	int level;		/* 1 = PTE ... 4 = PML4; 0 = not known yet */
	bool announced;		/* by alloc_*, seeding or a notification */
	uint64_t walk;		/* number of the last check that visited it */
	uint64_t entry[GMEM_PT_ENTRIES];
};

struct suspect {
	uint64_t gpa;		/* the entry, or the table (is_table) */
	bool is_table;
	int level;
	unsigned cpu;		/* the vCPU whose check saw it */
	uint64_t seen_at[AUDIT_MAX_CPUS];	/* flush counts then */
};

struct audit {
	struct gmem mem;
	FILE *log;
	pthread_mutex_t lock;
	bool seeded;
	unsigned nr_cpus;
	bool active[AUDIT_MAX_CPUS];	/* activated: may hold queued notifications */
	uint64_t flushes[AUDIT_MAX_CPUS];
	uint64_t nr_pages;
	struct shadow_table **table;	/* indexed by pfn */
	struct suspect *suspects;	/* AUDIT_MAX_SUSPECTS, allocated at the first */
	unsigned nr_suspects;
	uint64_t checks;
	uint64_t differences;
	uint64_t reports;
};

struct audit *audit_create(const struct gmem *mem, FILE *log, unsigned nr_cpus)
{
	struct audit *audit = calloc(1, sizeof(*audit));

	if (!audit)
		return NULL;
	audit->mem = *mem;
	audit->log = log;
	audit->nr_cpus = nr_cpus < AUDIT_MAX_CPUS ? nr_cpus : AUDIT_MAX_CPUS;
	audit->nr_pages = mem->size >> GMEM_PAGE_SHIFT;
	audit->table = calloc(audit->nr_pages ? audit->nr_pages : 1, sizeof(*audit->table));
	if (!audit->table) {
		free(audit);
		return NULL;
	}
	pthread_mutex_init(&audit->lock, NULL);
	return audit;
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
	shadow = calloc(1, sizeof(*shadow));
	if (!shadow)
		return NULL;
	shadow->level = level;
	shadow->announced = announced;
	for (i = 0; i < GMEM_PT_ENTRIES; i++)
		shadow->entry[i] = gmem_load64(live + i * 8);
	audit->table[pfn] = shadow;
	return shadow;
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

static void seed_tree(struct audit *audit, uint64_t pfn, int level)
{
	struct shadow_table *shadow;
	int i;

	if (pfn >= audit->nr_pages || audit->table[pfn])
		return;	/* outside RAM, or known (and so are its children) */
	shadow = shadow_from_live(audit, pfn, level, true);
	if (!shadow)
		return;
	for (i = 0; i < GMEM_PT_ENTRIES; i++)
		if (entry_is_table(shadow->entry[i], level))
			seed_tree(audit, child_pfn(shadow->entry[i]), level - 1);
}

void audit_seed(struct audit *audit, uint64_t cr3, unsigned cpu)
{
	pthread_mutex_lock(&audit->lock);
	audit->active[cpu < AUDIT_MAX_CPUS ? cpu : AUDIT_MAX_CPUS - 1] = true;
	seed_tree(audit, child_pfn(cr3), 4);
	audit->seeded = true;
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
	free(audit->table[pfn]);
	audit->table[pfn] = NULL;
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
		shadow->entry[(gpa & 0xfff) / 8] = value;
	pthread_mutex_unlock(&audit->lock);
}

static void report(struct audit *audit, const char *what, uint64_t gpa, int level,
		   uint64_t old_value, uint64_t new_value)
{
	audit->differences++;
	if (audit->reports++ < AUDIT_MAX_REPORTS)
		fprintf(audit->log, "audit: %s at gpa 0x%" PRIx64 " (level %d): 0x%016" PRIx64
			" -> 0x%016" PRIx64 "\n", what, gpa, level, old_value, new_value);
	else if (audit->reports == AUDIT_MAX_REPORTS + 1)
		fprintf(audit->log, "audit: further differences are counted, not printed\n");
}

/* The shadow entry at gpa and its live value; false once it is no table entry. */
static bool entry_pair(struct audit *audit, uint64_t gpa, uint64_t **shadow, uint64_t *live)
{
	struct shadow_table *table = audit->table[gpa >> GMEM_PAGE_SHIFT];

	if (!table)
		return false;	/* released since: no longer a page table */
	*shadow = &table->entry[(gpa & 0xfff) / 8];
	*live = gmem_load64(audit->mem.ram + gpa);
	return true;
}

/* Does the suspect still stand? Settles it when it is confirmed. */
static bool still_differs(struct audit *audit, const struct suspect *s, bool confirm)
{
	uint64_t *shadow, live;
	struct shadow_table *table;

	if (s->is_table) {
		table = audit->table[s->gpa >> GMEM_PAGE_SHIFT];
		if (!table || table->announced)
			return false;
		if (confirm) {
			report(audit, "unannounced page table", s->gpa, s->level, 0, 0);
			table->announced = true;
		}
		return true;
	}
	if (!entry_pair(audit, s->gpa, &shadow, &live) || !((live ^ *shadow) & ~AUDIT_IGNORED_BITS))
		return false;
	if (confirm) {
		report(audit, "unnotified change", s->gpa, s->level, *shadow, live);
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

		if (!still_differs(audit, s, confirm) || confirm)
			*s = audit->suspects[--audit->nr_suspects];
		else
			i++;
	}
}

static bool is_suspect(const struct audit *audit, uint64_t gpa)
{
	unsigned i;

	for (i = 0; i < audit->nr_suspects; i++)
		if (audit->suspects[i].gpa == gpa)
			return true;
	return false;
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
	if (is_suspect(audit, gpa))
		return;
	if (audit->nr_suspects == AUDIT_MAX_SUSPECTS)
		settle_suspects(audit, true);	/* no room to wait: decide now */
	s = &audit->suspects[audit->nr_suspects++];
	s->gpa = gpa;
	s->is_table = is_table;
	s->level = level;
	s->cpu = cpu;
	memcpy(s->seen_at, audit->flushes, sizeof(s->seen_at));
}

struct walk {
	struct audit *audit;
	unsigned cpu;
};

static void check_tree(struct walk *walk, uint64_t pfn, int level);

static void check_entries(struct walk *walk, uint64_t pfn, int level,
			  struct shadow_table *shadow, const uint8_t *live)
{
	int i;

	for (i = 0; i < GMEM_PT_ENTRIES; i++) {
		uint64_t now = gmem_load64(live + i * 8);

		if ((now ^ shadow->entry[i]) & ~AUDIT_IGNORED_BITS)
			suspect(walk->audit, (pfn << GMEM_PAGE_SHIFT) + i * 8ULL, false, level, walk->cpu);
		if (entry_is_table(now, level))
			check_tree(walk, child_pfn(now), level - 1);
	}
}

static void check_tree(struct walk *walk, uint64_t pfn, int level)
{
	struct audit *audit = walk->audit;
	const uint8_t *live = live_page(audit, pfn);
	struct shadow_table *shadow;

	if (!live)
		return;	/* hardware would fault on it; nothing to compare */
	shadow = audit->table[pfn];
	if (!shadow) {
		shadow = shadow_from_live(audit, pfn, level, false);
		if (!shadow)
			return;
		suspect(audit, pfn << GMEM_PAGE_SHIFT, true, level, walk->cpu);
	}
	if (shadow->walk == audit->checks)
		return;	/* shared by several parents, or a guest loop */
	shadow->walk = audit->checks;
	check_entries(walk, pfn, level, shadow, live);
}

void audit_check(struct audit *audit, uint64_t cr3, unsigned cpu)
{
	struct walk walk = { audit, cpu < AUDIT_MAX_CPUS ? cpu : AUDIT_MAX_CPUS - 1 };

	pthread_mutex_lock(&audit->lock);
	if (audit->seeded) {
		audit->checks++;
		audit->flushes[walk.cpu]++;
		check_tree(&walk, child_pfn(cr3), 4);
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

void audit_print_summary(const struct audit *audit, FILE *out)
{
	fprintf(out, "audit: %" PRIu64 " unnotified page-table changes in %" PRIu64 " checks\n",
		audit->differences, audit->checks);
}
