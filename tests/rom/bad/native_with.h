/*
 * The native ROM with one call's macro replaced: include, then redefine
 * vmi_native_<name> after `.purgem`, then NATIVE_ROM_BODY.
 */
#include "vmi_rom_asm.h"
#include "vmi_rom_native.h"
#include "vmi_rom.h"

#define BAD_ENTRY(nr, name, NAME, GROUP, CONV, since, may_defer) VMI_NATIVE name ;
#define NATIVE_ROM_BODY(vendor) \
	VMI_ROM_HEADER vendor, "bad", 0, VMI_ROM_CPU_AREA_SIZE, 1 ; \
	VMI_CALLS(BAD_ENTRY) \
	VMI_CALL_TABLE
