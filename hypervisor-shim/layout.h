/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The guest-physical memory map vmi-shim builds, in one place.
 *
 *   0x00000000 +-----------------------------------------+
 *              | unused (real-mode IVT)                  | RAM
 *   0x00001000 | boot_params (Linux) / hvm_start_info    |
 *   0x00002000 | kernel command line (4 KiB)             |
 *   0x00003000 | GDT                                     |
 *   0x00004000 | PVH memory map, PVH module list         |
 *   0x00009000 | PML4, PDPT, 4 PDs: identity map of 4 GiB |
 *   0x0000f000 | boot stack (grows down)                 |
 *   0x0009f000 +-----------------------------------------+
 *              | reserved (EBDA)                         |
 *   0x000a0000 | legacy VGA hole, not RAM                |
 *   SHIM_ROM   | the shim ROM, reserved in e820          |
 *   0x000e0000 | ACPI tables: RSDP, XSDT, FADT, DSDT,    | reserved
 *              | MADT (the RSDP scan finds them here)    |
 *   0x00100000 +-----------------------------------------+
 *              | kernel (bzImage protected-mode part) or | RAM
 *              | PVH ELF segments                        |
 *              | ...                                     |
 *              | initrd, at the top of RAM               |
 *   ram_size   +-----------------------------------------+
 *
 * Only RAM below SHIM_MAX_RAM is supported, so the 32-bit MMIO hole
 * (IOAPIC at 0xfec00000, LAPIC at 0xfee00000) never overlaps RAM.
 */
#ifndef SHIM_LAYOUT_H
#define SHIM_LAYOUT_H

#include <vmi/vmi_platform.h>

#define SHIM_PAGE_SIZE 0x1000ULL

#define SHIM_BOOT_PARAMS_GPA 0x1000ULL
#define SHIM_CMDLINE_GPA 0x2000ULL
#define SHIM_CMDLINE_MAX 0x1000ULL
#define SHIM_GDT_GPA 0x3000ULL
#define SHIM_PVH_MEMMAP_GPA 0x4000ULL
#define SHIM_PVH_MODLIST_GPA 0x5000ULL
#define SHIM_PML4_GPA 0x9000ULL
#define SHIM_PDPT_GPA 0xa000ULL
#define SHIM_PD_GPA 0xb000ULL		/* four PDs, 0xb000..0xefff */
#define SHIM_BOOT_STACK_TOP 0xf000ULL
#define SHIM_LOW_RAM_END 0x9f000ULL
#define SHIM_LEGACY_HOLE 0xa0000ULL
#define SHIM_ROM_GPA ((uint64_t)VMI_PLATFORM_SHIM_ROM_GPA)
#define SHIM_ACPI_GPA 0xe0000ULL
#define SHIM_ROM_LIMIT SHIM_ACPI_GPA	/* the ROM must end below the ACPI area */
#define SHIM_ACPI_END 0x100000ULL
#define SHIM_HIGH_RAM 0x100000ULL	/* kernel load address */

#define SHIM_MIN_RAM (16ULL << 20)
#define SHIM_MAX_RAM (3ULL << 30)
#define SHIM_DEFAULT_RAM (256ULL << 20)

/* GDT selectors (the Linux 64-bit boot protocol wants 0x10 and 0x18). */
#define SHIM_SEL_CODE32 0x08
#define SHIM_SEL_CODE64 0x10
#define SHIM_SEL_DATA 0x18
#define SHIM_SEL_TSS 0x20

/* Interrupt controllers the in-kernel irqchip emulates. */
#define SHIM_IOAPIC_GPA 0xfec00000ULL
#define SHIM_LAPIC_GPA 0xfee00000ULL

/* Platform ports the shim emulates itself (the FADT names the ACPI ones). */
#define SHIM_PORT_PM1A_EVT 0x600	/* 4 bytes: status, enable */
#define SHIM_PORT_PM1A_CNT 0x604	/* 2 bytes */
#define SHIM_PORT_RESET 0xcf9		/* ACPI reset register */
#define SHIM_ACPI_RESET_VALUE 0x06
#define SHIM_ACPI_S5_TYPE 5		/* SLP_TYP of \_S5 in the DSDT */
#define SHIM_PORT_I8042_CMD 0x64	/* 0xfe there resets the machine */
#define SHIM_PORT_CMOS_INDEX 0x70
#define SHIM_PORT_CMOS_DATA 0x71
#define SHIM_SERIAL_IRQ 4

#endif /* SHIM_LAYOUT_H */
