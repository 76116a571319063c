// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * --audit: walks of the guest's live tables that stop when the call's
 * budget is spent and go on at the next call, from the saved path, where
 * the guest's tables still lead there.
 *
 * A call's work is counted in entries read: entering a table reads its 512
 * (and costs more when its shadow is new, or when its entries differ),
 * following one link reads one more. So a call enters at most
 * tables_per_call tables, and a walk that keeps meeting tables it cannot
 * enter (entered already, outside RAM, over the cap) still ends in time.
 */
#include "audit_priv.h"

#define VISIT_COST (GMEM_PT_ENTRIES + 1)
/* A table shadowed for the first time: new memory, page faults. */
#define SHADOW_COST (4 * GMEM_PT_ENTRIES)
/* Each new suspect: its record, and its share of settling a full list. */
#define SUSPECT_COST 32

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

static void charge(struct budget *budget, uint64_t units)
{
	budget->units -= units < budget->units ? units : budget->units;
}

/* Compares a table with its shadow; returns how many new suspects it made. */
static unsigned compare_entries(struct audit *audit, unsigned cpu, uint64_t pfn, int level,
				const struct shadow_table *shadow, const uint8_t *live)
{
	unsigned added = 0;
	int i;

	for (i = 0; i < GMEM_PT_ENTRIES; i++) {
		uint64_t now = gmem_load64(live + i * 8);

		if ((now ^ shadow->entry[i]) & ~AUDIT_IGNORED_BITS)
			added += audit_suspect(audit, (pfn << GMEM_PAGE_SHIFT) + i * 8ULL, false, level,
					       cpu);
	}
	return added;
}

/*
 * Enters pfn unless this walk entered it already (shared by several
 * parents, or a guest loop). A seed walk shadows what it does not know,
 * trusting it; a check walk compares, and suspects a table nobody
 * announced. The work is charged to budget.
 */
static struct shadow_table *enter(struct audit *audit, struct walk *walk, unsigned cpu,
				  uint64_t pfn, int level, struct budget *budget)
{
	const uint8_t *live = audit_live_page(audit, pfn);
	struct shadow_table *shadow;
	bool announced;

	if (!live)
		return NULL;	/* hardware would fault on it; nothing to compare */
	shadow = audit->table[pfn];
	announced = walk->seeding || audit_announced(audit, pfn);
	if (!shadow) {
		shadow = audit_shadow(audit, pfn, level, announced);
		if (!shadow)
			return NULL;	/* over the cap: not audited */
		charge(budget, SHADOW_COST);
		if (!announced)
			audit_suspect(audit, pfn << GMEM_PAGE_SHIFT, true, level, cpu);
	} else if (walk->seeding) {
		audit_announce(audit, pfn);
	}
	if (shadow->walk == walk->id)
		return NULL;
	shadow->walk = walk->id;
	charge(budget, GMEM_PT_ENTRIES);
	if (!walk->seeding)
		charge(budget, SUSPECT_COST * compare_entries(audit, cpu, pfn, level, shadow, live));
	return shadow;
}

static void visit(struct audit *audit, struct walk *walk, unsigned cpu, uint64_t pfn, int level,
		  struct budget *budget)
{
	struct shadow_table *shadow = enter(audit, walk, cpu, pfn, level, budget);

	if (!shadow)
		return;
	budget->visits++;
	walk->frame[walk->depth++] = (struct walk_frame){ pfn, shadow->serial, level, 0 };
}

/* Does frame still stand: the same shadow, linked from the entry above it? */
static bool frame_stands(const struct audit *audit, const struct walk_frame *frame,
			 const struct walk_frame *above)
{
	const struct shadow_table *shadow = audit->table[frame->pfn];
	uint64_t entry;

	if (!shadow || shadow->serial != frame->serial)
		return false;
	if (!above)
		return true;
	entry = gmem_load64(audit_live_page(audit, above->pfn) + (above->next - 1) * 8ULL);
	return entry_is_table(entry, above->level) && child_pfn(entry) == frame->pfn;
}

/* A carried walk resumes only as far down its path as the path still stands. */
static void revalidate(const struct audit *audit, struct walk *walk)
{
	unsigned k;

	for (k = 0; k < walk->depth; k++)
		if (!frame_stands(audit, &walk->frame[k], k ? &walk->frame[k - 1] : NULL))
			break;
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
		charge(budget, 1);
		entry = gmem_load64(audit_live_page(audit, f->pfn) + f->next++ * 8ULL);
		if (entry_is_table(entry, f->level))
			visit(audit, walk, cpu, child_pfn(entry), f->level - 1, budget);
	}
	return true;
}

/* Starts a walk at root (walk_run goes on with it); false when the budget is spent. */
static bool walk_start(struct audit *audit, struct walk *walk, unsigned cpu, uint64_t root,
		       struct budget *budget)
{
	if (budget->units < VISIT_COST)
		return false;
	charge(budget, 1);
	walk->depth = 0;
	walk->id = ++audit->walk_ids;
	visit(audit, walk, cpu, root, AUDIT_LEVELS, budget);
	return true;
}

bool audit_seed_some(struct audit *audit, struct budget *budget)
{
	revalidate(audit, &audit->seed);
	for (;;) {
		if (!walk_run(audit, &audit->seed, 0, budget))
			return false;
		if (!audit->nr_seed_roots)
			return true;
		if (!walk_start(audit, &audit->seed, 0, audit->seed_roots[audit->nr_seed_roots - 1],
				budget))
			return false;
		audit->nr_seed_roots--;
	}
}

bool audit_check_some(struct audit *audit, uint64_t cr3, unsigned cpu, struct budget *budget)
{
	revalidate(audit, &audit->check);
	if (!walk_run(audit, &audit->check, cpu, budget))
		return false;
	return walk_start(audit, &audit->check, cpu, child_pfn(cr3), budget) &&
	       walk_run(audit, &audit->check, cpu, budget);
}
