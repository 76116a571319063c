// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The ROM: verified with the shared parser, then mapped at its spec address. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmi_rom_parse.h"

#include "layout.h"
#include "shim.h"

struct first_defect {
	int count;
	char line[256];
};

static void note_defect(void *ctx, enum vmi_rom_defect defect, const char *detail)
{
	struct first_defect *first = ctx;

	if (first->count++ == 0)
		snprintf(first->line, sizeof(first->line), "%s (%s)", vmi_rom_defect_name(defect),
			 detail ? detail : "");
}

void rom_load(struct shim_vm *vm, const char *path)
{
	struct first_defect first = { 0 };
	struct vmi_rom_info info;
	size_t size;
	/* The ROM must end below the ACPI tables: larger files are not even read. */
	uint8_t *image = shim_read_file(path, "ROM", SHIM_ROM_LIMIT - SHIM_ROM_GPA, &size);

	if (vmi_rom_verify(image, size, &info, note_defect, &first) != 0)
		shim_usage_error("ROM %s does not verify: %s%s", path, first.line,
				 first.count > 1 ? " and more defects (romtool lists them)" : "");
	memcpy(vm->mem.ram + SHIM_ROM_GPA, image, size);
	vm->rom_size = (size + SHIM_PAGE_SIZE - 1) & ~(SHIM_PAGE_SIZE - 1);
	free(image);
}
