/*
 * deferred: updates made in deferred MMU mode are in place at the latest
 * at every flush point the spec names (flush_deferred, lowering the mode,
 * invlpg, the TLB flushes, write_cr3, write_cr4); a batch larger than any
 * queue arrives whole; the mode nests by value; CPU-mode descriptor loads
 * land at flush. A ROM without DEFERRED_MMU must still accept the bits.
 */
#include <vmi/vmi_hypercall.h>

#include "fixture.h"
#include "cpu.h"

#define DEFER_SLOT 5
#define BATCH_ENTRIES (VMI_HC_MAX_BATCH + 88)   /* above every queue bound */

static unsigned next_frame;

struct flush_point {
	const char *name;
	void (*flush)(void);
	bool keeps_mode;
};

static void by_flush_deferred(void) { CALL0(FLUSH_DEFERRED); }
static void by_lowering(void) { CALL1(SET_DEFERRED_MODE, VMI_DEFER_NONE); }
static void by_invlpg(void) { CALL1(INVLPG, fix_va(DEFER_SLOT)); }
static void by_flush_user(void) { CALL0(FLUSH_TLB_USER); }
static void by_flush_kernel(void) { CALL0(FLUSH_TLB_KERNEL); }
static void by_flush_all(void) { CALL0(FLUSH_TLB_ALL); }
static void by_write_cr3(void) { CALL1(WRITE_CR3, native_read_cr3()); }
static void by_write_cr4(void) { CALL1(WRITE_CR4, native_read_cr4()); }

static const struct flush_point points[] = {
	{ "flush_deferred", by_flush_deferred, true },
	{ "lowering the mode", by_lowering, false },
	{ "invlpg", by_invlpg, true },
	{ "flush_tlb_user", by_flush_user, true },
	{ "flush_tlb_kernel", by_flush_kernel, true },
	{ "flush_tlb_all", by_flush_all, true },
	{ "write_cr3", by_write_cr3, true },
	{ "write_cr4", by_write_cr4, true },
};

static bool maps(uint64_t va, unsigned frame)
{
	uint64_t v;

	native_invlpg(va);
	return read_through(va, &v) && v == FRAME_MARK(frame);
}

static void flush_points(void)
{
	uint64_t *pte = &fix.pt[DEFER_SLOT];

	for (unsigned i = 0; i < ARRAY_SIZE(points); i++) {
		unsigned frame = next_frame++ % FIX_FRAMES;
		uint64_t value = pte_for(fix.frame[frame], PTE_P | PTE_W);
		int64_t r = (int64_t)CALL1(SET_DEFERRED_MODE, VMI_DEFER_MMU);

		CALL2(SET_PTE, pte, value);
		points[i].flush();
		report(r == VMI_OK && *pte == value && maps(fix_va(DEFER_SLOT), frame),
		       "a set_pte queued in MMU mode is in place after %s%s", points[i].name,
		       fault_text(&last));
		if (points[i].keeps_mode)
			report(CALL0(GET_DEFERRED_MODE) == VMI_DEFER_MMU, "%s leaves the mode MMU",
			       points[i].name);
		CALL1(SET_DEFERRED_MODE, VMI_DEFER_NONE);
	}
}

/* Fills BATCH_ENTRIES PTEs of two new page tables in one deferred batch. */
static void big_batch(void)
{
	uint64_t *pts[2] = { alloc_pages(1), alloc_pages(1) };
	unsigned wrong = 0;

	for (unsigned t = 0; t < 2; t++) {
		CALL1(ALLOC_PTE, pfn_of(pts[t]));
		CALL2(SET_PMD, &fix.pd[2 + t], pte_for(pts[t], PTE_P | PTE_W));
	}
	CALL1(SET_DEFERRED_MODE, VMI_DEFER_MMU);
	for (unsigned i = 0; i < BATCH_ENTRIES; i++)
		CALL2(SET_PTE, &pts[i / 512][i % 512], pte_for(fix.frame[i % FIX_FRAMES], PTE_P | PTE_W));
	CALL0(FLUSH_DEFERRED);
	CALL1(SET_DEFERRED_MODE, VMI_DEFER_NONE);
	for (unsigned i = 0; i < BATCH_ENTRIES; i++)
		if (pts[i / 512][i % 512] != pte_for(fix.frame[i % FIX_FRAMES], PTE_P | PTE_W))
			wrong++;
	report(wrong == 0, "a batch of %u deferred set_pte calls (more than %u) arrives whole (%u wrong)",
	       BATCH_ENTRIES, VMI_HC_MAX_BATCH, wrong);
	report(maps(FIX_VA + (2ULL << 21) + 7 * PAGE_SIZE, 7 % FIX_FRAMES) &&
	       maps(FIX_VA + (3ULL << 21) + 80 * PAGE_SIZE, (512 + 80) % FIX_FRAMES),
	       "mappings from the batch translate");
}

static void nesting(void)
{
	int64_t r;

	r = (int64_t)CALL1(SET_DEFERRED_MODE, VMI_DEFER_MMU);
	report(r == VMI_OK && CALL0(GET_DEFERRED_MODE) == VMI_DEFER_MMU, "set MMU: get_deferred_mode reads MMU");
	CALL1(SET_DEFERRED_MODE, VMI_DEFER_MMU | VMI_DEFER_CPU);
	report(CALL0(GET_DEFERRED_MODE) == (VMI_DEFER_MMU | VMI_DEFER_CPU), "set MMU|CPU reads back both bits");
	CALL1(SET_DEFERRED_MODE, VMI_DEFER_MMU);
	CALL1(SET_DEFERRED_MODE, VMI_DEFER_MMU);
	CALL1(SET_DEFERRED_MODE, VMI_DEFER_NONE);
	report(CALL0(GET_DEFERRED_MODE) == VMI_DEFER_NONE,
	       "nesting is by value: one NONE after two MMU sets leaves nothing deferred");
}

static void cpu_mode(void)
{
	struct native_desc_ptr gdtr, now;
	static uint8_t copy[GDT_ENTRIES * 8] __attribute__((aligned(16)));
	struct vmi_desc_ptr d;

	native_sgdt(&gdtr);
	memcpy(copy, (void *)gdtr.base, gdtr.limit + 1);
	d = (struct vmi_desc_ptr){ gdtr.limit, (uint64_t)copy };
	CALL1(SET_DEFERRED_MODE, VMI_DEFER_CPU);
	CALL1(LOAD_GDT, &d);
	CALL0(FLUSH_DEFERRED);
	native_sgdt(&now);
	report(now.base == (uint64_t)copy, "a load_gdt queued in CPU mode is in effect after flush_deferred");
	d.base = gdtr.base;
	CALL1(LOAD_GDT, &d);
	CALL1(SET_DEFERRED_MODE, VMI_DEFER_NONE);
	native_sgdt(&now);
	report(now.base == gdtr.base, "lowering the CPU bit flushes the pending load_gdt");
}

void case_deferred(void)
{
	if (!(rom.info.features & VMI_FEATURE_DEFERRED_MMU))
		report_info("the ROM does not defer (no DEFERRED_MMU): every update must be in place at once");
	if (!need(VMI_CALL_SET_DEFERRED_MODE) || !need(VMI_CALL_GET_DEFERRED_MODE))
		return;
	nesting();
	if (!report(fixture_setup(), "MMU fixture%s%s", fix.why[0] ? ": " : "", fix.why))
		return;
	flush_points();
	big_batch();
	cpu_mode();
}
