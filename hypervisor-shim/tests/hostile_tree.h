/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The audit's worst case, for its tests and its benchmark: every page of
 * guest RAM from page 1 on is a page table. Page 1 is a PML4 whose entries
 * point at PDPTs, theirs at PDs, and so on while pages last; the last level
 * holds leaves (large-page entries, valid at any level).
 */
#ifndef SHIM_HOSTILE_TREE_H
#define SHIM_HOSTILE_TREE_H

#include <string.h>

#include "gmem.h"

#define HOSTILE_TREE_ROOT 0x1000ULL
#define HOSTILE_LINK 0x3ULL	/* present, writable */
#define HOSTILE_LEAF 0x83ULL	/* present, writable, large */

/* Builds the tree over all of mem; returns the number of tables. */
static inline uint64_t hostile_tree(struct gmem *mem)
{
	uint64_t pages = mem->size >> GMEM_PAGE_SHIFT, next = 2, level_start = 1, level_end = 2;
	int level;

	memset(mem->ram, 0, mem->size);
	for (level = 4; level > 1 && next < pages; level--) {
		for (uint64_t t = level_start; t < level_end; t++)
			for (int i = 0; i < GMEM_PT_ENTRIES && next < pages; i++)
				gmem_store64(mem->ram + t * 4096 + i * 8ULL, (next++ << 12) | HOSTILE_LINK);
		level_start = level_end;
		level_end = next;
	}
	for (uint64_t t = level_start; t < level_end; t++)
		for (int i = 0; i < GMEM_PT_ENTRIES; i++)
			gmem_store64(mem->ram + t * 4096 + i * 8ULL, HOSTILE_LEAF);
	return next - 1;
}

#endif /* SHIM_HOSTILE_TREE_H */
