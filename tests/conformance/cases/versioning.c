/*
 * versioning: the guest's rules applied to the ROM and to edited copies of
 * it. Calls with since above the ROM's minor are absent; calls numbered
 * num_calls and above are absent and the guest's fallback (the native
 * sequence) runs instead; a higher minor is accepted, another major not.
 */
#include "rom.h"
#include "cpu.h"

#define TRUNCATED_AT VMI_CALL_GET_CYCLE_COUNTER

static unsigned fallbacks_taken, rom_paths_taken;

/* How a guest dispatches call nr given a ROM image it verified. */
static uint64_t pv_dispatch(const uint8_t *image, const struct vmi_rom_info *info, unsigned nr)
{
	const uint64_t args[4] = { 0 };
	struct call_result r;

	if (rom_present_in(image, info, nr)) {
		rom_paths_taken++;
		/* The code is the running ROM's; the copy only differs in its header. */
		guarded_run((uint64_t)(rom.image + vmi_rom_entry(image, info, nr)->offset), nr,
			    args, native_save_fl(), &r);
		calls_made[nr]++;
	} else {
		fallbacks_taken++;
		guarded_run(conf_native_table[nr], nr, args, native_save_fl(), &r);
	}
	return r.ret;
}

static uint8_t *edited_copy(void (*edit)(struct vmi_header *h), struct vmi_rom_info *info,
			    unsigned *defects)
{
	uint8_t *copy = alloc_pages((rom.size + 4095) / 4096);

	memcpy(copy, rom.image, rom.size);
	edit((struct vmi_header *)(copy + VMI_HEADER_OFFSET));
	vmi_rom_fix_checksum(copy, rom.size);
	*defects = (unsigned)vmi_rom_verify(copy, rom.size, info, NULL, NULL);
	return copy;
}

static void truncate_table(struct vmi_header *h) { h->num_calls = TRUNCATED_AT; }
static void raise_minor(struct vmi_header *h) { h->abi_minor++; }
static void raise_major(struct vmi_header *h) { h->abi_major++; }

static void since_rule(void)
{
	unsigned newer = 0;

	for (unsigned nr = 0; nr < VMI_NR_CALLS; nr++) {
		if (call_meta[nr].since <= rom.info.abi_minor)
			continue;
		newer++;
		report(!rom_present(nr), "%s (since %u) is absent from a minor-%u ROM",
		       call_meta[nr].name, call_meta[nr].since, rom.info.abi_minor);
	}
	if (!newer)
		report_skip("no call of ABI %u.%u has since above the ROM's minor %u",
			    VMI_ABI_MAJOR, VMI_ABI_MINOR, rom.info.abi_minor);
}

/*
 * The rule as a later guest applies it: pretend get_cycle_counter arrived
 * in the minor after the ROM's. The ROM's entry is then ignored, whatever
 * its table says, and the native operation runs.
 */
static void newer_call(void)
{
	unsigned nr = VMI_CALL_GET_CYCLE_COUNTER;
	uint8_t since = call_meta[nr].since;
	uint64_t t0, v, t1;

	if (!rom_present(nr)) {
		report_skip("%s is absent anyway", call_meta[nr].name);
		return;
	}
	call_meta[nr].since = (uint8_t)(rom.info.abi_minor + 1);
	fallbacks_taken = rom_paths_taken = 0;
	t0 = native_rdtsc();
	v = pv_dispatch(rom.image, &rom.info, nr);
	t1 = native_rdtsc();
	report(!rom_present(nr) && fallbacks_taken == 1 && t0 <= v && v <= t1,
	       "a call with since %u above the ROM's minor %u is absent and its native fallback runs",
	       call_meta[nr].since, rom.info.abi_minor);
	call_meta[nr].since = since;
}

static void truncated_table(void)
{
	struct vmi_rom_info info;
	unsigned defects, absent = 0;
	uint8_t *copy = edited_copy(truncate_table, &info, &defects);
	uint64_t t0, v, t1;

	report(defects == 0, "a copy with num_calls %u still verifies", TRUNCATED_AT);
	for (unsigned nr = TRUNCATED_AT; nr < VMI_NR_CALLS; nr++)
		absent += !rom_present_in(copy, &info, nr);
	report(absent == VMI_NR_CALLS - TRUNCATED_AT, "calls %u..%u are absent from it",
	       TRUNCATED_AT, VMI_NR_CALLS - 1);
	fallbacks_taken = rom_paths_taken = 0;
	t0 = native_rdtsc();
	v = pv_dispatch(copy, &info, VMI_CALL_GET_CYCLE_COUNTER);
	t1 = native_rdtsc();
	report(fallbacks_taken == 1 && rom_paths_taken == 0 && t0 <= v && v <= t1,
	       "get_cycle_counter falls back to the native RDTSC and works (%lx)", v);
	v = pv_dispatch(copy, &info, VMI_CALL_READ_CR3);
	report(rom_paths_taken == 1 && v == native_read_cr3(), "read_cr3 (below num_calls) still uses the ROM");
}

static void other_versions(void)
{
	struct vmi_rom_info info;
	unsigned defects;

	edited_copy(raise_minor, &info, &defects);
	report(defects == 0 && info.has_vmi_header && info.abi_minor == rom.info.abi_minor + 1,
	       "a ROM with a higher minor (%u) is accepted", info.abi_minor);
	edited_copy(raise_major, &info, &defects);
	report(defects > 0 && !info.has_vmi_header, "a ROM with major %u is refused", VMI_ABI_MAJOR + 1);
}

void case_versioning(void)
{
	report_info("ROM minor %u, suite minor %u", rom.info.abi_minor, VMI_ABI_MINOR);
	since_rule();
	newer_call();
	truncated_table();
	other_versions();
}
