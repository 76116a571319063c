/*
 * misc: io_delay returns and changes nothing. reboot and shutdown never
 * return: the suite calls shutdown after its summary and reboot in a
 * second boot ("conf.mode=reboot"); the runner checks what the machine did.
 */
#include "rom.h"
#include "cpu.h"

void case_misc(void)
{
	uint64_t cr0 = native_read_cr0(), flags = native_save_fl();

	if (need(VMI_CALL_IO_DELAY)) {
		CALL0(IO_DELAY);
		report(!last.fault && native_read_cr0() == cr0 && (native_save_fl() & RFLAGS_IF) == (flags & RFLAGS_IF),
		       "io_delay returns and changes no state%s", fault_text(&last));
	}
	for (unsigned nr = VMI_CALL_REBOOT; nr <= VMI_CALL_SHUTDOWN; nr++) {
		if (rom_present(nr))
			report_info("%s: checked by the runner (%s)", call_meta[nr].name,
				    nr == VMI_CALL_SHUTDOWN ? "called after the summary" : "a second boot");
		else
			report_info("%s: not offered; the guest keeps its native operation",
				    call_meta[nr].name);
	}
}
