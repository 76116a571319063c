/*
 * coverage: every call of the spec (the VMI_CALLS list, so a call added to
 * the spec without a test shows up here) was exercised by some case, or is
 * absent from this ROM, or never returns and is left to the runner.
 */
#include "rom.h"

void case_coverage(void)
{
	for (unsigned nr = 0; nr < VMI_NR_CALLS; nr++) {
		const char *name = call_meta[nr].name;

		if (call_meta[nr].conv == VMI_CONV_NORETURN)
			report_skip("%s never returns: the runner checks it", name);
		else if (!rom_present(nr))
			report_skip("%s is absent from this ROM: the guest's native operation stands", name);
		else
			report(calls_made[nr] > 0, "%s was exercised (%u calls)", name, calls_made[nr]);
	}
}
