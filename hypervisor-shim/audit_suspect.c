// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * --audit: differences waiting to be confirmed. Another vCPU may have
 * stored an entry and still hold its notification in its deferred queue,
 * so a difference is first only suspected, and confirmed once every other
 * activated vCPU has passed a flush point and it still stands.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "audit_priv.h"

/* Reports printed before the audit only counts. */
#define AUDIT_MAX_REPORTS 32
/* Differences waiting for the other vCPUs' flushes; more are confirmed at once. */
#define AUDIT_MAX_SUSPECTS 1024

/* One difference; an entry's report gives its old and new value, a table's none. */
static void report(struct audit *audit, const struct suspect *s, uint64_t old_value,
		   uint64_t new_value)
{
	audit->differences++;
	if (audit->reports++ >= AUDIT_MAX_REPORTS) {
		if (audit->reports == AUDIT_MAX_REPORTS + 1)
			fprintf(audit->log, "audit: further differences are counted, not printed\n");
		return;
	}
	if (s->is_table)
		fprintf(audit->log, "audit: unannounced page table at gpa 0x%" PRIx64 " (level %d)\n",
			s->gpa, s->level);
	else
		fprintf(audit->log, "audit: unnotified change at gpa 0x%" PRIx64 " (level %d): 0x%016"
			PRIx64 " -> 0x%016" PRIx64 "\n", s->gpa, s->level, old_value, new_value);
}

/* The shadow the suspect was seen in; NULL once that shadow is gone. */
static struct shadow_table *shadow_of(const struct audit *audit, const struct suspect *s)
{
	struct shadow_table *table = audit->table[s->gpa >> GMEM_PAGE_SHIFT];

	return table && table->serial == s->serial ? table : NULL;
}

static unsigned entry_index(uint64_t gpa)
{
	return (unsigned)((gpa & 0xfff) / 8);
}

static bool marked(const struct shadow_table *table, uint64_t gpa, bool is_table)
{
	unsigned i = entry_index(gpa);

	return is_table ? table->suspect : (table->suspect_entry[i / 64] >> (i % 64)) & 1;
}

static void set_mark(struct shadow_table *table, uint64_t gpa, bool is_table, bool on)
{
	unsigned i = entry_index(gpa);
	uint64_t bit = 1ULL << (i % 64);

	if (is_table)
		table->suspect = on;
	else if (on)
		table->suspect_entry[i / 64] |= bit;
	else
		table->suspect_entry[i / 64] &= ~bit;
}

/* Does the suspect still stand? Settles it when it is confirmed. */
static bool still_differs(struct audit *audit, const struct suspect *s, bool confirm)
{
	struct shadow_table *table = shadow_of(audit, s);
	uint64_t pfn = s->gpa >> GMEM_PAGE_SHIFT, *shadow, live;

	if (!table)
		return false;	/* released since: no longer that page table */
	if (s->is_table) {
		if (audit_announced(audit, pfn))
			return false;
		if (confirm) {
			report(audit, s, 0, 0);
			audit_announce(audit, pfn);
		}
		return true;
	}
	shadow = &table->entry[entry_index(s->gpa)];
	live = gmem_load64(audit->mem.ram + s->gpa);
	if (!((live ^ *shadow) & ~AUDIT_IGNORED_BITS))
		return false;
	if (confirm) {
		report(audit, s, *shadow, live);
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

void audit_settle(struct audit *audit, bool finish)
{
	unsigned i = 0;

	while (i < audit->nr_suspects) {
		struct suspect *s = &audit->suspects[i];
		bool confirm = finish || others_flushed(audit, s);
		struct shadow_table *table;

		if (still_differs(audit, s, confirm) && !confirm) {
			i++;
			continue;
		}
		table = shadow_of(audit, s);
		if (table)
			set_mark(table, s->gpa, s->is_table, false);
		*s = audit->suspects[--audit->nr_suspects];
	}
}

unsigned audit_suspect(struct audit *audit, uint64_t gpa, bool is_table, int level, unsigned cpu)
{
	struct shadow_table *table = audit->table[gpa >> GMEM_PAGE_SHIFT];
	struct suspect *s;

	if (!table || marked(table, gpa, is_table))
		return 0;	/* in the list already: it keeps the flush counts it had */
	if (!audit->suspects) {
		audit->suspects = calloc(AUDIT_MAX_SUSPECTS, sizeof(*audit->suspects));
		if (!audit->suspects) {
			fprintf(audit->log, "audit: out of memory\n");
			return 0;
		}
	}
	if (audit->nr_suspects == AUDIT_MAX_SUSPECTS)
		audit_settle(audit, true);	/* no room to wait: decide now */
	s = &audit->suspects[audit->nr_suspects++];
	*s = (struct suspect){ .gpa = gpa, .serial = table->serial, .is_table = is_table,
			       .level = level, .cpu = cpu };
	memcpy(s->seen_at, audit->flushes, audit->nr_cpus * sizeof(s->seen_at[0]));
	set_mark(table, gpa, is_table, true);
	return 1;
}
