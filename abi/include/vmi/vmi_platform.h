/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * VMI platform constants.
 *
 * Generated from spec/vmi.toml by codegen/vmi-abi; do not edit.
 * Change the spec and run `make abi` instead.
 */

#ifndef VMI_PLATFORM_H
#define VMI_PLATFORM_H

/* Platform constants shared by guests, ROMs, the VMM and test guests. */
#define VMI_PLATFORM_SHIM_ROM_GPA 0xc8000
#define VMI_PLATFORM_SERIAL_PORT 0x3f8
#define VMI_PLATFORM_DEBUG_EXIT_PORT 0xf4
#define VMI_PLATFORM_DEBUG_EXIT_SIZE 4

#endif /* VMI_PLATFORM_H */
