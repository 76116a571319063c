/*
 * A small address space the MMU cases own: FIX_VA (PML4 slot 1) maps
 * through a PDPT, PD and PT the suite allocated, announced with alloc_*
 * and linked with set_p4d/set_pud/set_pmd, so a ROM that tracks page
 * tables sees every change. Data frames carry a marker in their first
 * qword so a read through a mapping says which frame it reached.
 */
#ifndef CONF_FIXTURE_H
#define CONF_FIXTURE_H

#include "rom.h"

#define FIX_VA (1ULL << 39)
#define FIX_PML4_SLOT 1
#define FIX_FRAMES 4
#define FIX_SPARE_PTE 500       /* a PT slot no case maps: harmless writes */
#define FIX_BATCH_PT_PAGES 2    /* second-level PTs for the deferred batch */
#define FRAME_MARK(i) (0xf4a3e00000000000ULL | (i))
#define PAGE_SIZE 4096
#define PTE_FRAME_MASK 0x000ffffffffff000ULL

struct mmu_fixture {
	uint64_t *pml4, *pdpt, *pd, *pt;
	uint64_t *frame[FIX_FRAMES];
	bool ready;
	char why[120];
};
extern struct mmu_fixture fix;
extern uint64_t boot_pml4[512];

/* Builds the fixture through the ROM once; false (with fix.why) on failure. */
bool fixture_setup(void);
static inline uint64_t pfn_of(const void *p) { return (uint64_t)(uintptr_t)p >> 12; }
static inline uint64_t fix_va(unsigned page) { return FIX_VA + (uint64_t)page * PAGE_SIZE; }
static inline uint64_t pte_for(const void *frame, uint64_t flags)
{
	return ((uint64_t)(uintptr_t)frame & PTE_FRAME_MASK) | flags;
}
/* Reads the first qword through va; false when the access faults. */
bool read_through(uint64_t va, uint64_t *value);

#endif
