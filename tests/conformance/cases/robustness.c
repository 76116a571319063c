/*
 * robustness: out-of-range arguments return the spec's error, change
 * nothing and never fault. Where the spec defers to the native
 * instruction (MSRs), the native instruction decides what is expected.
 */
#include "invoke.h"
#include "cpu.h"

#define MSR_NONEXISTENT 0xc0de0bad
#define NONCANONICAL 0x8000000000000000ULL

static void debug_registers(void)
{
	static const uint32_t bad[] = { 4, 5, 8, 15, 0xffffffff };
	uint64_t dr7 = CALL1(GET_DEBUGREG, 7);

	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		int64_t r = (int64_t)CALL2(SET_DEBUGREG, bad[i], 0x1);
		uint64_t v;

		report(r == VMI_E_INVAL && !last.fault && CALL1(GET_DEBUGREG, 7) == dr7,
		       "set_debugreg(%u) returns INVAL and changes nothing (got %ld)%s", bad[i], r,
		       fault_text(&last));
		v = CALL1(GET_DEBUGREG, bad[i]);
		report(v == 0 && !last.fault, "get_debugreg(%u) returns 0 without faulting%s", bad[i],
		       fault_text(&last));
	}
}

static void gdt_sizes(void)
{
	static const uint32_t bad[] = { 0, 4, 9, 17, 0xffffffff };
	uint64_t *gdt = desc_gdt(), desc[2] = { 0x1111, 0x2222 };

	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		gdt[GDT_SPARE_INDEX + 4] = gdt[GDT_SPARE_INDEX + 5] = 0;
		CALL4(WRITE_GDT_ENTRY, gdt, GDT_SPARE_INDEX + 4, desc, bad[i]);
		report(gdt[GDT_SPARE_INDEX + 4] == 0 && gdt[GDT_SPARE_INDEX + 5] == 0 && !last.fault,
		       "write_gdt_entry with size %u writes nothing%s", bad[i], fault_text(&last));
	}
}

static void deferred_bits(void)
{
	static const uint32_t bad[] = { 1u << 2, 1u << 31, 0xffffffff };

	CALL1(SET_DEFERRED_MODE, VMI_DEFER_CPU);
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		int64_t r = (int64_t)CALL1(SET_DEFERRED_MODE, bad[i]);

		report(r == VMI_E_INVAL && CALL0(GET_DEFERRED_MODE) == VMI_DEFER_CPU,
		       "set_deferred_mode(%x) returns INVAL and keeps the mode (got %ld)", bad[i], r);
	}
	CALL1(SET_DEFERRED_MODE, VMI_DEFER_NONE);
}

/* What the native instruction does with (msr, value): faults or not. */
static bool native_faults(unsigned nr, uint32_t msr, uint64_t value)
{
	const uint64_t args[4] = { msr, value, 0, 0 };
	struct call_result r;

	guarded_run(conf_native_table[nr], nr, args, native_save_fl(), &r);
	return r.fault != 0;
}

static void msr_safe(void)
{
	uint64_t v = 0x1234, saved = native_rdmsr(MSR_KERNEL_GS_BASE);
	int64_t r, want;

	if (need(VMI_CALL_READ_MSR_SAFE)) {
		r = (int64_t)CALL2(READ_MSR_SAFE, MSR_KERNEL_GS_BASE, NULL);
		report(r == VMI_E_INVAL && !last.fault, "read_msr_safe with a null pointer returns INVAL (got %ld)", r);
		want = native_faults(VMI_CALL_READ_MSR, MSR_NONEXISTENT, 0) ? VMI_E_GP : VMI_OK;
		r = (int64_t)CALL2(READ_MSR_SAFE, MSR_NONEXISTENT, &v);
		report(r == want && !last.fault && (want == VMI_OK || v == 0),
		       "read_msr_safe of MSR %x returns %ld as RDMSR predicts (got %ld)%s", MSR_NONEXISTENT,
		       want, r, fault_text(&last));
	}
	if (need(VMI_CALL_WRITE_MSR_SAFE)) {
		want = native_faults(VMI_CALL_WRITE_MSR, MSR_KERNEL_GS_BASE, NONCANONICAL) ? VMI_E_GP : VMI_OK;
		r = (int64_t)CALL2(WRITE_MSR_SAFE, MSR_KERNEL_GS_BASE, NONCANONICAL);
		report(r == want && !last.fault, "write_msr_safe of a non-canonical base returns %ld as WRMSR predicts (got %ld)%s",
		       want, r, fault_text(&last));
	}
	native_wrmsr(MSR_KERNEL_GS_BASE, saved);
}

void case_robustness(void)
{
	int64_t r;

	if (rom_present(VMI_CALL_SET_DEBUGREG) && rom_present(VMI_CALL_GET_DEBUGREG))
		debug_registers();
	if (need(VMI_CALL_WRITE_GDT_ENTRY))
		gdt_sizes();
	if (need(VMI_CALL_SET_DEFERRED_MODE))
		deferred_bits();
	if (need(VMI_CALL_GET_WALLCLOCK)) {
		r = (int64_t)CALL1(GET_WALLCLOCK, NULL);
		report(r == VMI_E_INVAL && !last.fault, "get_wallclock(NULL) returns INVAL (got %ld)%s", r,
		       fault_text(&last));
	}
	msr_safe();
}
