// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The e820 map handed to every guest: RAM, and the ranges it must not use. */
#include "layout.h"
#include "shim.h"

static int add(struct e820_entry *map, int n, uint64_t start, uint64_t end, uint32_t type)
{
	if (n >= E820_MAX_ENTRIES)	/* capacity first, then the write */
		shim_fatal("e820 map overflow");
	map[n].addr = start;
	map[n].size = end - start;
	map[n].type = type;
	return n + 1;
}

int memmap_build(const struct shim_vm *vm, struct e820_entry *map)
{
	int n = 0;

	n = add(map, n, 0, SHIM_LOW_RAM_END, E820_RAM);
	n = add(map, n, SHIM_LOW_RAM_END, SHIM_LEGACY_HOLE, E820_RESERVED);
	if (vm->rom_size)
		n = add(map, n, SHIM_ROM_GPA, SHIM_ROM_GPA + vm->rom_size, E820_RESERVED);
	n = add(map, n, SHIM_ACPI_GPA, SHIM_ACPI_END, E820_RESERVED);
	n = add(map, n, SHIM_HIGH_RAM, vm->mem.size, E820_RAM);
	return n;
}
