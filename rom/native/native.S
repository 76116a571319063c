/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The native ROM: every call is the native instruction sequence. It is the
 * reference implementation the conformance suite is checked against on
 * bare metal or under full hardware virtualization. Its only state is the
 * deferred-mode bits, kept in the per-CPU data area.
 */
#include "vmi_rom_asm.h"
#include "vmi_rom_native.h"
#include "vmi_rom.h"

VMI_ROM_HEADER "vmi-pv", "native", 0, VMI_ROM_CPU_AREA_SIZE, 1

#define NATIVE_ENTRY(nr, name, NAME, GROUP, CONV, since, may_defer) VMI_NATIVE name ;
VMI_CALLS(NATIVE_ENTRY)

VMI_CALL_TABLE
