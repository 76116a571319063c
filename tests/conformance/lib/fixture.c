/* The MMU cases' own address space; see fixture.h. */
#include "fixture.h"
#include "cpu.h"

struct mmu_fixture fix;

bool read_through(uint64_t va, uint64_t *value)
{
	return conf_probe_read((const volatile uint64_t *)(uintptr_t)va, value) == 0;
}

static bool link_entry(unsigned nr, uint64_t *slot, const void *table)
{
	rom_call(nr, (uint64_t)slot, pte_for(table, PTE_P | PTE_W), 0, 0);
	if (last.fault || last.absent) {
		conf_snprintf(fix.why, sizeof(fix.why), "%s failed while building the fixture%s",
			      call_meta[nr].name, fault_text(&last));
		return false;
	}
	return true;
}

bool fixture_setup(void)
{
	if (fix.ready || fix.why[0])
		return fix.ready;
	fix.pml4 = (uint64_t *)(uintptr_t)(native_read_cr3() & PTE_FRAME_MASK);
	fix.pdpt = alloc_pages(1);
	fix.pd = alloc_pages(1);
	fix.pt = alloc_pages(1);
	for (unsigned i = 0; i < FIX_FRAMES; i++) {
		fix.frame[i] = alloc_pages(1);
		fix.frame[i][0] = FRAME_MARK(i);
	}
	/* Announce the tables before they become reachable, then link bottom-up. */
	CALL1(ALLOC_PUD, pfn_of(fix.pdpt));
	CALL1(ALLOC_PMD, pfn_of(fix.pd));
	CALL1(ALLOC_PTE, pfn_of(fix.pt));
	fix.ready = link_entry(VMI_CALL_SET_PMD, &fix.pd[0], fix.pt) &&
		    link_entry(VMI_CALL_SET_PUD, &fix.pdpt[0], fix.pd) &&
		    link_entry(VMI_CALL_SET_P4D, &fix.pml4[FIX_PML4_SLOT], fix.pdpt);
	return fix.ready;
}
