/*
 * mmu: CR3 and page-table entries through the interface, checked through
 * the mappings they make: a new entry is used at once, a changed one after
 * invlpg or a TLB flush, a cleared one faults; atomic calls return the old
 * value with the hardware's accessed and dirty bits.
 */
#include "fixture.h"
#include "cpu.h"

#define PF_VECTOR 14
#define PF_ERR_PRESENT 0x1
#define PF_ERR_WRITE 0x2
#define HUGE_2M (2ULL << 20)

static bool sees(uint64_t va, unsigned frame)
{
	uint64_t v;

	return read_through(va, &v) && v == FRAME_MARK(frame);
}

static void structure(void)
{
	report(fix.pml4[FIX_PML4_SLOT] == pte_for(fix.pdpt, PTE_P | PTE_W), "set_p4d stored the PML4 entry");
	report(fix.pdpt[0] == pte_for(fix.pd, PTE_P | PTE_W), "set_pud stored the PDPT entry");
	report(fix.pd[0] == pte_for(fix.pt, PTE_P | PTE_W), "set_pmd stored the PD entry");
	uint64_t cr3 = CALL0(READ_CR3);

	report(cr3 == native_read_cr3(), "read_cr3 = native CR3 (%lx vs %lx)%s", cr3,
	       native_read_cr3(), fault_text(&last));
}

static void set_and_flush(void)
{
	uint64_t *pte = &fix.pt[0];

	CALL2(SET_PTE, pte, pte_for(fix.frame[0], PTE_P | PTE_W));
	report(*pte == pte_for(fix.frame[0], PTE_P | PTE_W), "set_pte: the entry reads the value on return");
	report(sees(fix_va(0), 0), "a not-present entry made present is used at once");
	CALL2(SET_PTE, pte, pte_for(fix.frame[1], PTE_P | PTE_W));
	report_info("before invlpg the changed entry %s (the spec allows either)",
		    sees(fix_va(0), 0) ? "was not yet in use" : "was already in use");
	CALL1(INVLPG, fix_va(0));
	report(sees(fix_va(0), 1), "after set_pte and invlpg the new frame is mapped");
	CALL2(SET_PTE, pte, pte_for(fix.frame[2], PTE_P | PTE_W));
	CALL0(FLUSH_TLB_USER);
	report(sees(fix_va(0), 2), "after set_pte and flush_tlb_user the new frame is mapped");
	/* Global entries survive CR3 reloads: only the kernel/all flushes drop them. */
	CALL2(SET_PTE, &fix.pt[1], pte_for(fix.frame[0], PTE_P | PTE_W | PTE_G));
	report(sees(fix_va(1), 0), "a global mapping is used");
	CALL2(SET_PTE, &fix.pt[1], pte_for(fix.frame[3], PTE_P | PTE_W | PTE_G));
	CALL0(FLUSH_TLB_KERNEL);
	report(sees(fix_va(1), 3), "after flush_tlb_kernel the changed global entry is used");
	CALL2(SET_PTE, &fix.pt[1], pte_for(fix.frame[1], PTE_P | PTE_W | PTE_G));
	CALL0(FLUSH_TLB_ALL);
	report(sees(fix_va(1), 1), "after flush_tlb_all the changed global entry is used");
	CALL1(PTE_CLEAR, pte);
	CALL1(INVLPG, fix_va(0));
	report(*pte == 0 && !sees(fix_va(0), 2) && last_exception.vector == PF_VECTOR &&
	       last_exception.cr2 == fix_va(0), "pte_clear: entry zero, access faults with #PF at the address");
}

static void atomics(void)
{
	uint64_t *pte = &fix.pt[2], value = pte_for(fix.frame[1], PTE_P | PTE_W), old;

	CALL2(SET_PTE, pte, value);
	conf_probe_write((volatile uint64_t *)fix_va(2), FRAME_MARK(1));
	old = CALL1(PTE_GET_AND_CLEAR, pte);
	report((old & ~(PTE_A | PTE_D)) == value && (old & PTE_A) && (old & PTE_D) && *pte == 0,
	       "pte_get_and_clear returns the old entry with A and D (%lx) and leaves zero", old);
	CALL1(INVLPG, fix_va(2));
	CALL2(SET_PTE, pte, value);
	old = CALL3(PTE_UPDATE, pte, PTE_W, PTE_A);
	report(old == value && *pte == ((value & ~PTE_W) | PTE_A),
	       "pte_update returns old and stores (old & ~clear) | set (%lx)", *pte);
	CALL1(INVLPG, fix_va(2));
	report(sees(fix_va(2), 1) &&
	       conf_probe_write((volatile uint64_t *)fix_va(2), 0) == PF_VECTOR + 1 &&
	       (last_exception.error_code & (PF_ERR_PRESENT | PF_ERR_WRITE)) == (PF_ERR_PRESENT | PF_ERR_WRITE),
	       "after pte_update cleared W, reads work and writes fault");
	CALL2(SET_PTE, pte, value);
	old = CALL1(MODIFY_PROT_START, pte);
	report((old & ~(PTE_A | PTE_D)) == value && *pte == 0, "modify_prot_start returns old, leaves zero");
	CALL2(MODIFY_PROT_COMMIT, pte, value & ~PTE_W);
	report(*pte == (value & ~PTE_W), "modify_prot_commit stores the new entry");
	CALL1(INVLPG, fix_va(2));
}

static void upper_levels(void)
{
	uint64_t *pd2 = alloc_pages(1), *scratch_top = alloc_pages(1);
	const uint64_t phys = 2 * HUGE_2M;      /* suite RAM, identity-mapped */

	CALL2(SET_PMD, &fix.pd[1], phys | PTE_P | PTE_W | PTE_PS);
	report(read_through(FIX_VA + HUGE_2M, &(uint64_t){ 0 }) &&
	       *(volatile uint64_t *)(FIX_VA + HUGE_2M + 64) == *(volatile uint64_t *)(phys + 64),
	       "set_pmd maps a 2 MiB page");
	CALL1(ALLOC_PMD, pfn_of(pd2));
	CALL2(SET_PMD, &pd2[0], phys | PTE_P | PTE_W | PTE_PS);
	CALL2(SET_PUD, &fix.pdpt[1], pte_for(pd2, PTE_P | PTE_W));
	report(*(volatile uint64_t *)(FIX_VA + (1ULL << 30) + 128) == *(volatile uint64_t *)(phys + 128),
	       "set_pud links a new page directory");
	CALL1(ALLOC_PGD, pfn_of(scratch_top));
	CALL2(SET_PGD, &scratch_top[0], pte_for(fix.pml4, PTE_P | PTE_W));
	report(scratch_top[0] == pte_for(fix.pml4, PTE_P | PTE_W) && !last.fault,
	       "set_pgd stores the entry (five-level paging is off: no walk uses it)");
	CALL1(RELEASE_PGD, pfn_of(scratch_top));
}

/* A second address space in which FIX_VA maps frame 3: tables[0..3] = PT..top. */
static uint64_t *second_space(uint64_t *tables[4])
{
	uint64_t *pt = tables[0], *pd = tables[1], *pdpt = tables[2], *top = tables[3];

	memcpy(top, fix.pml4, PAGE_SIZE);
	top[FIX_PML4_SLOT] = 0;
	CALL1(ALLOC_PTE, pfn_of(pt));
	CALL1(ALLOC_PMD, pfn_of(pd));
	CALL1(ALLOC_PUD, pfn_of(pdpt));
	CALL1(ALLOC_PGD, pfn_of(top));
	report(!last.fault, "alloc_pte, alloc_pmd, alloc_pud and alloc_pgd return");
	CALL2(SET_PTE, &pt[0], pte_for(fix.frame[3], PTE_P | PTE_W));
	CALL2(SET_PMD, &pd[0], pte_for(pt, PTE_P | PTE_W));
	CALL2(SET_PUD, &pdpt[0], pte_for(pd, PTE_P | PTE_W));
	CALL2(SET_P4D, &top[FIX_PML4_SLOT], pte_for(pdpt, PTE_P | PTE_W));
	return top;
}

static void release_all(uint64_t *tables[4])
{
	static const unsigned release[4] = {
		VMI_CALL_RELEASE_PTE, VMI_CALL_RELEASE_PMD, VMI_CALL_RELEASE_PUD, VMI_CALL_RELEASE_PGD,
	};
	uint64_t *level4 = alloc_pages(1);

	for (unsigned i = 0; i < 4; i++) {
		rom_call(release[i], pfn_of(tables[i]), 0, 0, 0);
		report(!last.fault, "%s returns%s", call_meta[release[i]].name, fault_text(&last));
	}
	/* Level-4 tables exist only with five-level paging: announce and drop one. */
	CALL1(ALLOC_P4D, pfn_of(level4));
	CALL1(RELEASE_P4D, pfn_of(level4));
	report(!last.fault, "alloc_p4d and release_p4d return%s", fault_text(&last));
}

static void cr3_switch(void)
{
	uint64_t *tables[4] = { alloc_pages(1), alloc_pages(1), alloc_pages(1), alloc_pages(1) };
	uint64_t old = native_read_cr3(), *top = second_space(tables), v;

	CALL2(SET_PTE, &fix.pt[0], pte_for(fix.frame[0], PTE_P | PTE_W));
	CALL1(WRITE_CR3, (uint64_t)top);
	v = CALL0(READ_CR3);
	report(v == (uint64_t)top && native_read_cr3() == (uint64_t)top,
	       "write_cr3 then read_cr3 returns the value (%lx vs %lx)", v, (uint64_t)top);
	report(sees(fix_va(0), 3), "the new tables translate at once after write_cr3");
	CALL1(WRITE_CR3, old);
	report(native_read_cr3() == old && sees(fix_va(0), 0), "write_cr3 back restores the old mappings");
	release_all(tables);
}

void case_mmu(void)
{
	if (!report(fixture_setup(), "address space built through alloc_* and set_pmd/pud/p4d%s%s",
		    fix.why[0] ? ": " : "", fix.why))
		return;
	structure();
	set_and_flush();
	atomics();
	upper_levels();
	cr3_switch();
}
