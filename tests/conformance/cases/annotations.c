/*
 * annotations: an IDENT entry is equivalent to the spec's native sequence
 * (same result, same machine state afterwards, from the same start); a NOP
 * entry returns 0 and changes nothing; an UNSUPPORTED entry is empty.
 */
#include "invoke.h"
#include "fixture.h"
#include "cpu.h"

struct machine_state {
	uint64_t cr0, cr3, cr4, rflags_if, kernel_gs_base, gs_base;
	struct native_desc_ptr gdtr, idtr;
	uint16_t tr, ldtr;
	uint64_t pt_sum, gdt_sum;
};

static uint64_t sum_words(const uint64_t *p, unsigned n)
{
	uint64_t s = 0;

	for (unsigned i = 0; i < n; i++)
		s = s * 31 + p[i];
	return s;
}

static void snapshot(struct machine_state *s)
{
	*s = (struct machine_state){
		.cr0 = native_read_cr0(), .cr3 = native_read_cr3(), .cr4 = native_read_cr4(),
		.rflags_if = native_save_fl() & RFLAGS_IF,
		.kernel_gs_base = native_rdmsr(MSR_KERNEL_GS_BASE), .gs_base = native_rdmsr(MSR_GS_BASE),
		.tr = native_str(), .ldtr = native_sldt(),
		.pt_sum = fix.ready ? sum_words(fix.pt, 512) : 0,
		.gdt_sum = sum_words(desc_gdt(), GDT_ENTRIES),
	};
	native_sgdt(&s->gdtr);
	native_sidt(&s->idtr);
}

static bool same_state(const struct machine_state *a, const struct machine_state *b)
{
	return a->cr0 == b->cr0 && a->cr3 == b->cr3 && a->cr4 == b->cr4 &&
	       a->rflags_if == b->rflags_if && a->kernel_gs_base == b->kernel_gs_base &&
	       a->gs_base == b->gs_base && a->tr == b->tr && a->ldtr == b->ldtr &&
	       a->pt_sum == b->pt_sum && a->gdt_sum == b->gdt_sum &&
	       a->gdtr.base == b->gdtr.base && a->gdtr.limit == b->gdtr.limit &&
	       a->idtr.base == b->idtr.base && a->idtr.limit == b->idtr.limit;
}

/* IDENT calls whose result cannot be compared run to run, and why. */
static const char *incomparable(unsigned nr)
{
	switch (nr) {
	case VMI_CALL_GET_CYCLE_COUNTER: return "the TSC moves between the two runs";
	case VMI_CALL_CPUID: return "the native text is the bare instruction; cpu compares the struct";
	case VMI_CALL_LOAD_TR: return "each run makes the other TSS busy";
	}
	return NULL;
}

static void check_ident(unsigned nr)
{
	struct invocation inv;
	struct call_result native, entry;
	struct machine_state after_native, after_entry;
	const char *why = incomparable(nr);
	bool same;

	if (!call_meta[nr].has_native || why) {
		report_skip("%s is IDENT; compared by its own case (%s)", call_meta[nr].name,
			    why ? why : "the native text is a family of instructions");
		return;
	}
	invoke_prepare(nr, &inv);
	if (inv.skip || !native_works(nr, &inv)) {
		report_skip("%s is IDENT; %s", call_meta[nr].name, inv.skip ? inv.skip : "native faults here");
		return;
	}
	invoke_run(nr, conf_native_table[nr], &inv, &native);
	snapshot(&after_native);
	invoke_prepare(nr, &inv);
	calls_made[nr]++;
	invoke_run(nr, (uint64_t)(rom.image + rom_entry(nr)->offset), &inv, &entry);
	snapshot(&after_entry);
	same = !entry.fault && same_state(&after_native, &after_entry) &&
	       (!call_meta[nr].returns_value || native.ret == entry.ret);
	report(same, "IDENT %s behaves as its native sequence (result %lx vs %lx)%s",
	       call_meta[nr].name, entry.ret, native.ret, fault_text(&entry));
}

static void check_nop(unsigned nr)
{
	struct invocation inv;
	struct call_result r;
	struct machine_state before, after;

	invoke_prepare(nr, &inv);
	if (inv.skip) {
		report_skip("%s is NOP; %s", call_meta[nr].name, inv.skip);
		return;
	}
	snapshot(&before);
	calls_made[nr]++;
	invoke_run(nr, (uint64_t)(rom.image + rom_entry(nr)->offset), &inv, &r);
	snapshot(&after);
	report(!r.fault && same_state(&before, &after) && (!call_meta[nr].returns_value || r.ret == 0),
	       "NOP %s returns%s and changes nothing%s", call_meta[nr].name,
	       call_meta[nr].returns_value ? " 0" : "", fault_text(&r));
}

void case_annotations(void)
{
	fixture_setup();
	for (unsigned nr = 0; nr < VMI_NR_CALLS; nr++) {
		const struct vmi_call_entry *e = rom_entry(nr);

		if (!e)
			continue;
		switch (e->annotation) {
		case VMI_ANNOT_IDENT:
			check_ident(nr);
			break;
		case VMI_ANNOT_NOP:
			check_nop(nr);
			break;
		case VMI_ANNOT_UNSUPPORTED:
			report(e->offset == 0 && e->length == 0, "UNSUPPORTED %s has an empty entry",
			       call_meta[nr].name);
			break;
		}
	}
}
