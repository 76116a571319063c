/*
 * discover: find the ROM as a kernel must, verify it; activate: the
 * per-CPU data area and the activate call's documented results.
 */
#include "rom.h"
#include "cpu.h"

void case_discover(void)
{
	unsigned others;
	uintptr_t at = rom_scan(&others);

	if (!report(at != 0, "a ROM with signature \"vVMI\" in %x-%x (%u other option ROMs skipped)",
		    VMI_SCAN_START, VMI_SCAN_END, others)) {
		conf_snprintf(rom.why, sizeof(rom.why), "no ROM with the VMI signature in the scan range");
		return;
	}
	report_info("found at %lx", at);
	report(at % VMI_SCAN_STEP == 0, "found on a %u-byte boundary", VMI_SCAN_STEP);
	if (!rom_load(at))
		return;
	report_info("vendor \"%s\", backend \"%s\", version %u, %u calls, data area %u bytes",
		    rom.info.vendor, rom.info.backend, rom.info.rom_version, rom.info.num_calls,
		    rom.info.data_area_size);
}

static int64_t activate(void *area)
{
	return (int64_t)CALL2(ACTIVATE, area, 0);
}

/* The suite's memory is identity-mapped: the area's address is physical. */
static int64_t set_area_pa(void)
{
	return (int64_t)CALL1(SET_DATA_AREA_PA, (uintptr_t)rom.data_area);
}

/* ABI 1.1: a ROM that uses the address refuses it before activate. */
static void area_pa_before_activate(void)
{
	int64_t r;

	if (!rom_present(VMI_CALL_SET_DATA_AREA_PA) ||
	    rom_annotation(VMI_CALL_SET_DATA_AREA_PA) != VMI_ANNOT_CALL)
		return;
	r = set_area_pa();
	report(r == VMI_E_STATE && !last.fault,
	       "set_data_area_pa before activate returns STATE (got %ld)%s", r, fault_text(&last));
}

/* ABI 1.1: the guest tells the ROM where the area is, right after activate. */
static void area_pa_after_activate(void)
{
	int64_t r;

	if (!rom_present(VMI_CALL_SET_DATA_AREA_PA))
		return;
	r = set_area_pa();
	report(r == VMI_OK && !last.fault, "set_data_area_pa(the area's address) returns OK (got %ld)%s",
	       r, fault_text(&last));
}

/* The refusals activate documents, before the real activation. */
static void activate_refusals(void)
{
	uint8_t *area = rom.data_area;
	int64_t r;

	r = activate(NULL);
	report(r == VMI_E_INVAL && !last.fault, "activate(NULL) returns INVAL (got %ld)%s", r,
	       fault_text(&last));
	r = activate(area + 8);
	report(r == VMI_E_INVAL && !last.fault, "activate(misaligned area) returns INVAL (got %ld)%s",
	       r, fault_text(&last));
	percpu_set_slot(area + VMI_DATA_AREA_ALIGN);
	r = activate(area);
	report(r == VMI_E_INVAL && !last.fault,
	       "activate(area) with a different %%gs slot returns INVAL (got %ld)%s", r,
	       fault_text(&last));
	percpu_set_slot(area);
	memset(area, 0, rom.info.data_area_size);
}

void case_activate(void)
{
	int64_t r;

	if (!rom.usable) {
		report(false, "no usable ROM: %s", rom.why);
		return;
	}
	rom_prepare_percpu();
	if (!need(VMI_CALL_ACTIVATE))
		return;
	if (rom.info.data_area_size) {
		activate_refusals();
		area_pa_before_activate();
	} else
		report_info("data_area_size is 0: activate ignores its argument");
	r = activate(rom.data_area);
	rom.active = report(r == VMI_OK && !last.fault, "activate(area, 0) returns OK (got %ld)%s",
			    r, fault_text(&last));
	if (!rom.active) {
		conf_snprintf(rom.why, sizeof(rom.why), "activate returned %ld%s", r, fault_text(&last));
		return;
	}
	if (rom.info.data_area_size) {
		r = activate(rom.data_area);
		report(r == VMI_E_STATE, "a second activate on this CPU returns STATE (got %ld)", r);
		memset(rom.data_area, 0, rom.info.data_area_size);
		r = activate(rom.data_area);
		report(r == VMI_OK, "activate after re-zeroing the area returns OK (got %ld)", r);
	}
	area_pa_after_activate();
	if (rom_present(VMI_CALL_GET_DEFERRED_MODE))
		report(CALL0(GET_DEFERRED_MODE) == VMI_DEFER_NONE, "deferred mode is NONE after activate");
}
