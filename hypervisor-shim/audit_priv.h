/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The audit's inside, shared by its three files: audit.c (the shadow store
 * and the API), audit_walk.c (walks bounded per call) and audit_suspect.c
 * (differences waiting for the other vCPUs' flushes). Callers use audit.h.
 * Everything here runs under audit->lock.
 */
#ifndef SHIM_AUDIT_PRIV_H
#define SHIM_AUDIT_PRIV_H

#include <pthread.h>
#include <stdbool.h>

#include "audit.h"

/* Hardware sets these behind everybody's back: never a difference. */
#define AUDIT_IGNORED_BITS (GMEM_PTE_ACCESSED | GMEM_PTE_DIRTY)
#define AUDIT_MAX_CPUS 64
#define AUDIT_LEVELS 4

struct shadow_table {
	uint64_t serial;	/* which shadow of this page: walks and suspects check it */
	int level;		/* 1 = PTE ... 4 = PML4; 0 = not known yet */
	bool suspect;		/* unannounced, waiting in the suspect list */
	uint64_t walk;		/* the last walk (seed or check) that entered it */
	uint64_t suspect_entry[GMEM_PT_ENTRIES / 64];	/* entries in the suspect list */
	uint64_t entry[GMEM_PT_ENTRIES];
};

struct suspect {
	uint64_t gpa;		/* the entry, or the table (is_table) */
	uint64_t serial;	/* of the table's shadow when it was seen */
	bool is_table;
	int level;
	unsigned cpu;		/* the vCPU whose check saw it */
	uint64_t seen_at[AUDIT_MAX_CPUS];	/* flush counts then */
};

/*
 * A depth-first walk that can stop and go on later: the path from the root
 * to the table being read, each with the next entry to read and the shadow
 * it was entered with.
 */
struct walk_frame {
	uint64_t pfn;
	uint64_t serial;
	int level;
	unsigned next;
};

struct walk {
	bool seeding;		/* shadows unknown tables; else compares known ones */
	uint64_t id;		/* marks the tables this walk entered */
	unsigned depth;		/* 0: no walk in progress */
	struct walk_frame frame[AUDIT_LEVELS];
};

/* What one call may still do (in entries read), and what it did. */
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
	uint64_t *announced;		/* a bit per page: announced as a table */
	unsigned nr_tables;
	uint64_t serials;
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

/* audit.c: the shadow store. */
const uint8_t *audit_live_page(const struct audit *audit, uint64_t pfn);
struct shadow_table *audit_shadow(struct audit *audit, uint64_t pfn, int level, bool announced);
bool audit_announced(const struct audit *audit, uint64_t pfn);
void audit_announce(struct audit *audit, uint64_t pfn);

/* audit_suspect.c */
/* Suspects the entry (or, is_table, the table) at gpa; returns 1 if it is new. */
unsigned audit_suspect(struct audit *audit, uint64_t gpa, bool is_table, int level, unsigned cpu);
/* Confirms the suspects every other vCPU has flushed since (all, with finish). */
void audit_settle(struct audit *audit, bool finish);

/* audit_walk.c: false while work is left for the next call. */
bool audit_seed_some(struct audit *audit, struct budget *budget);
bool audit_check_some(struct audit *audit, uint64_t cr3, unsigned cpu, struct budget *budget);

#endif /* SHIM_AUDIT_PRIV_H */
