/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The shared VMI ROM parser: decodes and checks a ROM image.
 *
 * Plain C11 that needs nothing beyond <stddef.h>, <stdint.h> and <string.h>,
 * so the VMM, romtool, test guests and the fuzzer all link the same code.
 * Whatever the input, it never reads outside [image, image + size).
 * Multi-byte fields are little-endian; the parser runs on x86 hosts and
 * guests only.
 */
#ifndef VMI_ROM_PARSE_H
#define VMI_ROM_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include <vmi/vmi_abi.h>

/*
 * Every defect the parser can report: X(ENUM_SUFFIX, "stable-token").
 * Tokens are stable: tests and the malformed-ROM corpus match on them.
 */
#define VMI_ROM_DEFECTS(X) \
	X(TRUNCATED, "truncated") \
	X(TOO_LARGE, "too-large") \
	X(SIZE_NOT_BLOCKS, "size-not-blocks") \
	X(SIZE_MISMATCH, "size-mismatch") \
	X(BAD_ROM_SIGNATURE, "bad-rom-signature") \
	X(BAD_INIT_CODE, "bad-init-code") \
	X(ROM_RESERVED_NONZERO, "rom-reserved-nonzero") \
	X(BAD_CHECKSUM, "bad-checksum") \
	X(BAD_VMI_SIGNATURE, "bad-vmi-signature") \
	X(UNKNOWN_MAJOR, "unknown-abi-major") \
	X(BAD_HEADER_SIZE, "bad-header-size") \
	X(BAD_ENTRY_SIZE, "bad-entry-size") \
	X(NO_CALLS, "no-calls") \
	X(TOO_MANY_CALLS, "too-many-calls") \
	X(TABLE_OUTSIDE, "call-table-outside-image") \
	X(TABLE_OVERLAPS_HEADER, "call-table-overlaps-header") \
	X(BAD_DATA_AREA_SIZE, "bad-data-area-size") \
	X(UNKNOWN_FEATURES, "unknown-features") \
	X(BAD_NAME, "bad-name") \
	X(HEADER_RESERVED_NONZERO, "header-reserved-nonzero") \
	X(BAD_ANNOTATION, "bad-annotation") \
	X(UNSUPPORTED_NOT_EMPTY, "unsupported-entry-not-empty") \
	X(ENTRY_OUTSIDE, "entry-outside-image") \
	X(ENTRY_OVERLAPS_HEADER, "entry-overlaps-header") \
	X(ENTRY_TOO_SHORT, "entry-too-short") \
	X(ENTRY_MISALIGNED, "entry-misaligned") \
	X(ENTRY_NO_ENDBR64, "entry-missing-endbr64") \
	X(UNKNOWN_ENTRY_FLAGS, "unknown-entry-flags") \
	X(ENTRY_RESERVED_NONZERO, "entry-reserved-nonzero") \
	X(ENTRIES_OVERLAP, "entries-overlap") \
	/* end of VMI_ROM_DEFECTS */

enum vmi_rom_defect {
#define VMI_ROM__ENUM(name, token) VMI_ROM_DEFECT_##name,
	VMI_ROM_DEFECTS(VMI_ROM__ENUM)
#undef VMI_ROM__ENUM
	VMI_ROM_NR_DEFECTS
};

/* The decoded header. Fields past what the image holds stay zero. */
struct vmi_rom_info {
	size_t size;			/* bytes examined */
	uint32_t image_size;		/* size_blocks * VMI_BLOCK_SIZE */
	uint16_t abi_major;
	uint16_t abi_minor;
	uint16_t header_size;
	uint16_t entry_size;
	uint32_t num_calls;
	uint32_t call_table_offset;
	uint32_t data_area_size;
	uint32_t rom_version;
	uint64_t features;
	uint8_t checksum_adjust;
	uint8_t checksum;		/* 8-bit sum of the image; 0 when valid */
	char vendor[17];		/* NUL-terminated, non-printables as '?' */
	char backend[17];
	int has_vmi_header;		/* signature and major were recognised */
	int table_ok;			/* the call table lies inside the image */
};

/* Called once per defect; detail is one line naming what was wrong. */
typedef void vmi_rom_defect_fn(void *ctx, enum vmi_rom_defect defect,
			       const char *detail);

/*
 * Checks image[0, size). Returns the number of defects found (0 = valid),
 * calling report (when non-null) for each. info (when non-null) receives
 * whatever could be decoded. Never reads outside [image, image + size).
 */
int vmi_rom_verify(const void *image, size_t size, struct vmi_rom_info *info,
		   vmi_rom_defect_fn *report, void *ctx);

/* Short stable token for a defect, e.g. "bad-checksum". */
const char *vmi_rom_defect_name(enum vmi_rom_defect defect);

/*
 * Call-table entry nr of a ROM that vmi_rom_verify decoded with table_ok
 * set; NULL when absent. The entry is packed and may be unaligned.
 */
const struct vmi_call_entry *vmi_rom_entry(const void *image,
					   const struct vmi_rom_info *info,
					   unsigned nr);

/* Name of call nr in this ABI ("set_pte"), or NULL for unknown numbers. */
const char *vmi_rom_call_name(unsigned nr);

/* Name of an annotation ("IDENT"), or "?" when out of range. */
const char *vmi_rom_annotation_name(unsigned annotation);

/* 8-bit sum of image[0, size). */
uint8_t vmi_rom_sum(const void *image, size_t size);

/*
 * Sets header.checksum_adjust so the 8-bit sum of image[0, size) is zero.
 * Returns 0, or -1 when the image is too short to hold the VMI header.
 */
int vmi_rom_fix_checksum(void *image, size_t size);

#endif /* VMI_ROM_PARSE_H */
