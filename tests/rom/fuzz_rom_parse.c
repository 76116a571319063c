/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * libFuzzer target for the shared ROM parser, built with AddressSanitizer
 * and UBSan. libFuzzer hands over a buffer of exactly the input's size, so
 * any read past it is caught. Beyond "no crash", it checks invariants:
 * every defect has a known token and a one-line detail; the entries the
 * parser hands out lie inside the buffer; fixing the checksum of an image
 * removes the bad-checksum defect.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmi_rom_parse.h"

struct tally {
	int defects;
	int checksum;
};

static void count(void *ctx, enum vmi_rom_defect defect, const char *detail)
{
	struct tally *t = ctx;

	if ((unsigned)defect >= VMI_ROM_NR_DEFECTS || !detail || strchr(detail, '\n') ||
	    !strcmp(vmi_rom_defect_name(defect), "unknown-defect"))
		abort();
	t->defects++;
	t->checksum += defect == VMI_ROM_DEFECT_BAD_CHECKSUM;
}

static void check_entries(const uint8_t *data, size_t size,
			  const struct vmi_rom_info *info)
{
	volatile uint32_t sink = 0;

	for (unsigned nr = 0; nr <= VMI_MAX_CALLS; nr++) {
		const struct vmi_call_entry *e = vmi_rom_entry(data, info, nr);

		if (!e)
			continue;
		if ((const uint8_t *)e < data ||
		    (const uint8_t *)e + sizeof(*e) > data + size)
			abort();
		sink += e->offset + e->annotation;
	}
	(void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmi_rom_info info, resealed;
	struct tally before = { 0, 0 }, after = { 0, 0 };
	uint8_t *copy;
	int n = vmi_rom_verify(data, size, &info, count, &before);

	if (n != before.defects || info.size != size)
		abort();
	check_entries(data, size, &info);
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (vmi_rom_fix_checksum(copy, size) == 0) {
		vmi_rom_verify(copy, size, &resealed, count, &after);
		/*
		 * The adjust byte may also lie inside (bogus) entry code, so
		 * only an image whose sum was already zero must stay the same.
		 */
		if (after.checksum ||
		    (!before.checksum && after.defects != before.defects))
			abort();
	}
	free(copy);
	return 0;
}
