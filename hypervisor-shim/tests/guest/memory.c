// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Hostile tests on guest memory the VMM touches: WALLCLOCK's out_va (a VMM
 * write) and MMU_BATCH's records (VMM reads) behind read-only entries, across
 * the end of RAM, and at the top of the address space where a range runs
 * past 2^64; and, under --audit, page tables with a self-map and cycles.
 * A refused write must leave every byte as it was: the tests fill the
 * target with a pattern first and look at it afterwards.
 */
#include <vmi/vmi_abi.h>

#include "hostile.h"

#define CR0_WP (1ULL << 16)
#define CLOCK_SIZE sizeof(struct vmi_wallclock)
#define RECORD_SIZE sizeof(struct vmi_mmu_record)
/* WALLCLOCK aims here in a page, so the bytes on both sides show what moved. */
#define CLOCK_OFFSET 64
#define YEAR_2020 1577836800ULL
#define FAR_FUTURE (1ULL << 36)	/* about the year 4100 */
#define NSEC_PER_SEC 1000000000U

static int64_t activate(void)
{
	return hypercall(VMI_HC_ACTIVATE, 0, 0, 0, 0);
}

static int64_t wallclock(uint64_t va)
{
	return hypercall(VMI_HC_WALLCLOCK, va, 0, 0, 0);
}

static int64_t mmu_batch(uint64_t va, uint64_t count)
{
	return hypercall(VMI_HC_MMU_BATCH, va, count, 0, 0);
}

static int64_t cr3_load(void)
{
	return hypercall(VMI_HC_CR3_LOAD, read_cr3(), 0, 0, 0);
}

/* A plausible wallclock at page + offset, and fill in every other byte of the page. */
static bool clock_written(const volatile uint8_t *page, uint64_t offset, uint8_t fill)
{
	const volatile struct vmi_wallclock *clock = (const volatile void *)(page + offset);

	return clock->sec > YEAR_2020 && clock->sec < FAR_FUTURE && clock->nsec < NSEC_PER_SEC &&
	       clock->reserved == 0 && bytes_are(page, fill, offset) &&
	       bytes_are(page + offset + CLOCK_SIZE, fill, PAGE_SIZE - offset - CLOCK_SIZE);
}

/* The last page of the virtual address space, through tables of its own. */
#define TOP_PAGE_VA BELOW_2_64(PAGE_SIZE)
static uint64_t top_pdpt[512] PAGE_ALIGNED, top_pd[512] PAGE_ALIGNED, top_pt[512] PAGE_ALIGNED;
static uint8_t top_page[PAGE_SIZE] PAGE_ALIGNED;

/* Maps TOP_PAGE_VA to top_page; the entry at readonly_level (4 = the
 * PML4's, 1 = the PTE, 0 = none) lacks R/W. */
static void map_top_page(int readonly_level)
{
	uint64_t *slot[4] = { &guest_pml4[511], &top_pdpt[511], &top_pd[511], &top_pt[511] };
	uint64_t next[4] = { (uint64_t)top_pdpt, (uint64_t)top_pd, (uint64_t)top_pt,
			     (uint64_t)top_page };

	for (int i = 0; i < 4; i++)
		*slot[i] = next[i] | PTE_P | (4 - i == readonly_level ? 0 : PTE_W);
	flush_tlb();
}

static uint8_t readonly_page[PAGE_SIZE] PAGE_ALIGNED;
static const char *const readonly_what[] = {
	[1] = "WALLCLOCK through a read-only PTE (top of the address space)",
	[2] = "WALLCLOCK through a read-only PD entry",
	[3] = "WALLCLOCK through a read-only PDPT entry",
	[4] = "WALLCLOCK through a read-only PML4 entry",
};

/* With CR0.WP set the VMM writes as the CPU would for the guest kernel:
 * a read-only entry at any level refuses; with WP clear it does not. */
void test_wallclock_readonly(const struct hvm_start_info *info)
{
	uint64_t *pte = &guest_pt[(uint64_t)readonly_page / PAGE_SIZE];
	uint64_t cr0 = read_cr0();

	(void)info;
	fill_bytes(readonly_page, PATTERN, PAGE_SIZE);
	*pte &= ~PTE_W;
	flush_tlb();
	write_cr0(cr0 | CR0_WP);
	expect("WALLCLOCK to a read-only page", wallclock((uint64_t)readonly_page + CLOCK_OFFSET),
	       VMI_E_FAULT);
	require("a refused WALLCLOCK left the read-only page as it was",
		bytes_are(readonly_page, PATTERN, PAGE_SIZE));
	for (int level = 4; level >= 1; level--) {
		fill_bytes(top_page, PATTERN, PAGE_SIZE);
		map_top_page(level);
		expect(readonly_what[level], wallclock(TOP_PAGE_VA + CLOCK_OFFSET), VMI_E_FAULT);
		require("a refused WALLCLOCK left the page as it was",
			bytes_are(top_page, PATTERN, PAGE_SIZE));
	}
	map_top_page(0);
	expect("WALLCLOCK through writable entries", wallclock(TOP_PAGE_VA + CLOCK_OFFSET), VMI_OK);
	require("WALLCLOCK wrote its 16 bytes and no others",
		clock_written(top_page, CLOCK_OFFSET, PATTERN));
	write_cr0(cr0 & ~CR0_WP);
	expect("WALLCLOCK to a read-only page with CR0.WP clear",
	       wallclock((uint64_t)readonly_page + CLOCK_OFFSET), VMI_OK);
	require("WALLCLOCK with CR0.WP clear wrote its 16 bytes",
		clock_written(readonly_page, CLOCK_OFFSET, PATTERN));
	write_cr0(cr0);
	*pte |= PTE_W;
	flush_tlb();
}

/* The end of RAM from the memory map; 0 when the identity map does not
 * reach past it (then the walk, not the VMM's RAM check, would refuse). */
static uint64_t mapped_ram_end(const struct hvm_start_info *info)
{
	const struct hvm_memmap_entry *map = (const void *)info->memmap_paddr;
	uint64_t end = 0;

	for (uint32_t i = 0; i < info->memmap_entries; i++)
		if (map[i].type == HVM_MEMMAP_RAM && map[i].addr + map[i].size > end)
			end = map[i].addr + map[i].size;
	if (!require_value("the end of RAM lies inside the identity map",
			   end % PAGE_SIZE == 0 && end > (2ULL << 20) && end < GUEST_MAPPED_END,
			   (int64_t)end))
		return 0;
	return end;
}

void test_wallclock_end_of_ram(const struct hvm_start_info *info)
{
	uint64_t end = mapped_ram_end(info);
	volatile uint8_t *last_page = at_va(end - PAGE_SIZE);

	if (!end)
		return;
	fill_bytes(last_page, PATTERN, PAGE_SIZE);
	expect("WALLCLOCK 8 bytes below the end of RAM", wallclock(end - 8), VMI_E_FAULT);
	require("a WALLCLOCK across the end of RAM left the last bytes of RAM as they were",
		bytes_are(last_page, PATTERN, PAGE_SIZE));
	expect("WALLCLOCK at the end of RAM", wallclock(end), VMI_E_FAULT);
	expect("WALLCLOCK into the last 16 bytes of RAM", wallclock(end - CLOCK_SIZE), VMI_OK);
	require("WALLCLOCK wrote the last 16 bytes of RAM and no others",
		clock_written(last_page, PAGE_SIZE - CLOCK_SIZE, PATTERN));
}

void test_wallclock_wrap(const struct hvm_start_info *info)
{
	volatile uint8_t *zero = at_va(0);	/* where a range past 2^64 wraps to */

	(void)info;
	fill_bytes(top_page, PATTERN, PAGE_SIZE);
	fill_bytes(zero, PATTERN, CLOCK_SIZE);
	map_top_page(0);
	expect("WALLCLOCK 8 bytes below 2^64", wallclock(BELOW_2_64(8)), VMI_E_FAULT);
	require("a WALLCLOCK past 2^64 left the top page as it was",
		bytes_are(top_page, PATTERN, PAGE_SIZE));
	require("a WALLCLOCK past 2^64 left address 0 as it was", bytes_are(zero, PATTERN, CLOCK_SIZE));
	expect("WALLCLOCK into the last 16 bytes below 2^64", wallclock(BELOW_2_64(CLOCK_SIZE)), VMI_OK);
	require("WALLCLOCK wrote the last 16 bytes below 2^64 and no others",
		clock_written(top_page, PAGE_SIZE - CLOCK_SIZE, PATTERN));
}

static void put_record(uint64_t va, uint32_t call, uint64_t arg1)
{
	volatile struct vmi_mmu_record *record = (volatile void *)at_va(va);

	record->call = call;
	record->reserved = 0;
	record->arg0 = 0;
	record->arg1 = arg1;
}

void test_records_end_of_ram(const struct hvm_start_info *info)
{
	uint64_t end = mapped_ram_end(info);

	if (!end || !expect("ACTIVATE", activate(), VMI_OK))
		return;
	put_record(end - RECORD_SIZE, VMI_CALL_NR_FLUSH_TLB_ALL, 0);
	expect("MMU_BATCH of the last record in RAM", mmu_batch(end - RECORD_SIZE, 1), 1);
	expect("MMU_BATCH whose second record lies past the end of RAM",
	       mmu_batch(end - RECORD_SIZE, 2), VMI_E_FAULT);
	expect("MMU_BATCH of a record across the end of RAM", mmu_batch(end - 8, 1), VMI_E_FAULT);
	expect("MMU_BATCH at the end of RAM", mmu_batch(end, 1), VMI_E_FAULT);
}

/*
 * Records at the top of the address space. A VMM that lets the address
 * wrap reads on from 0, so valid records wait there too: it would answer
 * a count instead of VMI_E_FAULT.
 */
void test_records_wrap(const struct hvm_start_info *info)
{
	uint64_t last = BELOW_2_64(RECORD_SIZE);

	(void)info;
	if (!expect("ACTIVATE", activate(), VMI_OK))
		return;
	map_top_page(0);
	/* The last record's arg1 doubles as call and reserved of a record at 2^64 - 8. */
	put_record(last, VMI_CALL_NR_FLUSH_TLB_ALL, VMI_CALL_NR_FLUSH_TLB_ALL);
	put_record(0, VMI_CALL_NR_FLUSH_TLB_ALL, 0);
	put_record(RECORD_SIZE, VMI_CALL_NR_FLUSH_TLB_ALL, 0);
	expect("MMU_BATCH of the last record below 2^64", mmu_batch(last, 1), 1);
	expect("MMU_BATCH of a record running past 2^64", mmu_batch(BELOW_2_64(8), 1), VMI_E_FAULT);
	expect("MMU_BATCH whose second record lies past 2^64", mmu_batch(last, 2), VMI_E_FAULT);
	expect("MMU_BATCH of the most records from just below 2^64",
	       mmu_batch(last, VMI_HC_MAX_BATCH), VMI_E_FAULT);
}

/* PML4 slots of the cycles test, far from the identity map in slot 0. */
#define SLOT_OUTSIDE 508	/* a table beyond RAM */
#define SLOT_LOOPS 509		/* tables whose entries point back up */
#define SLOT_SELF 510		/* the PML4 itself */
static uint64_t loop_pdpt[512] PAGE_ALIGNED, loop_pd[512] PAGE_ALIGNED, loop_pt[512] PAGE_ALIGNED;
static uint8_t loop_data[PAGE_SIZE] PAGE_ALIGNED;
static struct vmi_mmu_record cycle_batch[3] __attribute__((aligned(8)));

/* The canonical address these table indices select, top level first. */
static uint64_t va_of(uint64_t l4, uint64_t l3, uint64_t l2, uint64_t l1)
{
	uint64_t va = l4 << 39 | l3 << 30 | l2 << 21 | l1 << 12;

	return (uint64_t)((int64_t)(va << 16) >> 16);
}

/* A self-map and entries pointing back up, none of it notified. */
static void build_cycles(void)
{
	guest_pml4[SLOT_SELF] = table_entry(guest_pml4);
	guest_pml4[SLOT_LOOPS] = table_entry(loop_pdpt);
	guest_pml4[SLOT_OUTSIDE] = (1ULL << 40) | PTE_PW;
	loop_pdpt[0] = table_entry(guest_pml4);	/* a PDPT entry pointing at the PML4 */
	loop_pdpt[1] = table_entry(loop_pdpt);	/* ... at its own table */
	loop_pdpt[2] = table_entry(loop_pd);
	loop_pd[0] = table_entry(loop_pdpt);	/* a PD entry pointing back up */
	loop_pd[1] = table_entry(guest_pml4);	/* ... two levels up */
	loop_pd[2] = table_entry(loop_pd);
	loop_pd[3] = table_entry(loop_pt);
	loop_pd[4] = table_entry(loop_data);	/* a leaf when reached through the self-map */
	loop_pt[0] = (uint64_t)guest_pml4 | PTE_P;	/* the PML4 as a page */
	loop_pt[1] = (uint64_t)loop_pt | PTE_P;
	flush_tlb();
}

static void take_down_cycles(void)
{
	guest_pml4[SLOT_SELF] = guest_pml4[SLOT_LOOPS] = guest_pml4[SLOT_OUTSIDE] = 0;
	flush_tlb();
}

/* Walks through the cycles: the VMM must translate as the CPU does. */
static void walk_cycles(void)
{
	uint64_t self_pml4 = va_of(SLOT_SELF, SLOT_SELF, SLOT_SELF, SLOT_SELF);
	/* PML4 -> PML4 -> loop_pdpt -> loop_pd -> loop_data */
	uint64_t data = va_of(SLOT_SELF, SLOT_LOOPS, 2, 4) + CLOCK_OFFSET;
	/* guest_pt's page through the self-map: PML4 -> PML4 -> PDPT -> PD -> PT */
	uint64_t pt_page = va_of(SLOT_SELF, 0, 0, 0);
	struct vmi_mmu_record *record = cycle_batch;

	*record++ = (struct vmi_mmu_record){ VMI_CALL_NR_SET_PGD, 0,
					     (uint64_t)&guest_pml4[SLOT_SELF], guest_pml4[SLOT_SELF] };
	*record++ = (struct vmi_mmu_record){ VMI_CALL_NR_SET_PTE, 0, pt_page + 100 * 8, guest_pt[100] };
	*record++ = (struct vmi_mmu_record){ VMI_CALL_NR_FLUSH_TLB_ALL, 0, 0, 0 };
	expect("MMU_BATCH over the cycles", mmu_batch((uint64_t)cycle_batch, 3), 3);
	/* loop_pdpt[100], through loop_pdpt at three levels */
	expect("SET_PTE addressed through a table that maps itself",
	       hypercall(VMI_HC_MMU, VMI_CALL_NR_SET_PTE, va_of(SLOT_LOOPS, 1, 1, 1) + 100 * 8, 0, 0),
	       VMI_OK);
	expect("MMU flush over the cycles", hypercall(VMI_HC_MMU, VMI_CALL_NR_FLUSH_TLB_ALL, 0, 0, 0),
	       VMI_OK);
	require("the self-map shows the PML4 as a page",
		*(volatile uint64_t *)at_va(self_pml4) == guest_pml4[0]);
	expect("WALLCLOCK through the self-map", wallclock(data), VMI_OK);
	require("WALLCLOCK through the self-map wrote where the CPU's walk leads",
		clock_written(loop_data, CLOCK_OFFSET, 0) && *(volatile uint64_t *)at_va(data) ==
		((volatile struct vmi_wallclock *)(loop_data + CLOCK_OFFSET))->sec);
}

/* Under --audit the VMM walks every table reachable from CR3 at each
 * flush point: cycles, self-maps and released live tables must not make
 * it hang or crash, and every call still answers. */
void test_pt_cycles(const struct hvm_start_info *info)
{
	uint64_t pml4_pfn = (uint64_t)guest_pml4 / PAGE_SIZE;

	(void)info;
	if (!expect("ACTIVATE", activate(), VMI_OK))	/* the audit's copy: before the cycles */
		return;
	build_cycles();
	expect("CR3_LOAD over a self-map and cycles", cr3_load(), VMI_OK);
	walk_cycles();
	expect("RELEASE_PGD of the live PML4",
	       hypercall(VMI_HC_MMU, VMI_CALL_NR_RELEASE_PGD, pml4_pfn, 0, 0), VMI_OK);
	expect("CR3_LOAD after the live PML4 was released", cr3_load(), VMI_OK);
	expect("ALLOC_PTE of the PML4 (the wrong level)",
	       hypercall(VMI_HC_MMU, VMI_CALL_NR_ALLOC_PTE, pml4_pfn, 0, 0), VMI_OK);
	expect("CR3_LOAD after the PML4 was announced as a PTE page", cr3_load(), VMI_OK);
	take_down_cycles();
	expect("CR3_LOAD after the cycles were taken down", cr3_load(), VMI_OK);
}
