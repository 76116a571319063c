/*
 * The suite's top level: bring the machine up, run every case in order,
 * print the summary, then end the way the spec's noreturn calls allow.
 *
 * Boot modes (from the PVH command line): "conf.mode=suite" (default) runs
 * every case and finally calls shutdown; "conf.mode=reboot" finds and
 * activates the ROM and calls reboot. The runner watches what the machine
 * does after "# calling <name>".
 */
#include "rom.h"
#include "cpu.h"
#include "cases.h"

#define HVM_START_MAGIC 0x336ec578

struct __attribute__((packed)) hvm_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	uint32_t memmap_entries, reserved;
};

static const struct conf_case cases[] = { CONF_CASES };

static bool cmdline_has(const struct hvm_start_info *si, const char *word)
{
	const char *c;
	size_t n = strlen(word);

	if (!si || si->magic != HVM_START_MAGIC || !si->cmdline_paddr)
		return false;
	for (c = (const char *)(uintptr_t)si->cmdline_paddr; *c; c++)
		if (memcmp(c, word, n) == 0 && (c[n] == ' ' || c[n] == '\0'))
			return true;
	return false;
}

/* A noreturn call that returned: the last word is this failure. */
static NORETURN void call_noreturn(unsigned nr)
{
	report_info("calling %s", call_meta[nr].name);
	rom_call(nr, 0, 0, 0, 0);
	report_begin_case("misc", "noreturn calls");
	report(false, "%s returned%s", call_meta[nr].name, fault_text(&last));
	report_summary();
	conf_exit(false);
}

static void run_case(const struct conf_case *c)
{
	report_begin_case(c->name, c->title);
	if (c->needs_rom && !rom.active) {
		report(false, "no active ROM to test: %s", rom.why[0] ? rom.why : "activate failed");
		return;
	}
	c->run();
}

void conf_main(uint32_t start_info)
{
	const struct hvm_start_info *si = (const void *)(uintptr_t)start_info;
	bool reboot_mode = cmdline_has(si, "conf.mode=reboot");

	serial_init();
	call_meta_init();
	desc_init();
	apic_init();
	conf_printf("TAP version 13\n");
	report_info("VMI ROM conformance suite for ABI %u.%u (%s)", VMI_ABI_MAJOR,
		    VMI_ABI_MINOR, reboot_mode ? "reboot boot" : "full run");
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		if (reboot_mode && cases[i].needs_rom)
			break;
		run_case(&cases[i]);
	}
	if (reboot_mode && rom_present(VMI_CALL_REBOOT))
		call_noreturn(VMI_CALL_REBOOT);
	report_summary();
	if (!reboot_mode && report_failures() == 0 && rom_present(VMI_CALL_SHUTDOWN))
		call_noreturn(VMI_CALL_SHUTDOWN);
	conf_exit(report_failures() == 0);
}
