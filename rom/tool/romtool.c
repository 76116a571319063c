/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * romtool: inspect, verify and seal VMI ROM images.
 *
 *   romtool info ROM          header fields and one line per call
 *   romtool verify ROM        exit 0 when valid, else 1 with one line per defect;
 *                             warnings (a CALL aliasing IDENT code) on stderr
 *   romtool fix-checksum ROM  set checksum_adjust so the 8-bit sum is zero
 *
 * Exit status 2 means the command itself failed (usage, unreadable file).
 * All checking is done by the shared parser in rom/parser/.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vmi_rom_parse.h"

/* Anything larger cannot be a ROM; reading it whole would only waste memory. */
#define ROMTOOL_MAX_FILE (4u << 20)

enum { EXIT_VALID = 0, EXIT_DEFECTS = 1, EXIT_TROUBLE = 2 };

struct rom_file {
	const char *path;
	unsigned char *bytes;
	size_t size;
};

static int load_rom(const char *path, struct rom_file *rom)
{
	struct stat st;
	FILE *f = fopen(path, "rb");

	rom->path = path;
	if (!f) {
		fprintf(stderr, "romtool: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "romtool: %s is not a regular file\n", path);
		fclose(f);
		return -1;
	}
	if ((unsigned long long)st.st_size > ROMTOOL_MAX_FILE) {
		fprintf(stderr, "romtool: %s is %lld bytes; no ROM exceeds %u bytes\n",
			path, (long long)st.st_size, ROMTOOL_MAX_FILE);
		fclose(f);
		return -1;
	}
	rom->size = (size_t)st.st_size;
	rom->bytes = malloc(rom->size ? rom->size : 1);
	if (!rom->bytes || fread(rom->bytes, 1, rom->size, f) != rom->size) {
		fprintf(stderr, "romtool: cannot read %s\n", path);
		free(rom->bytes);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static void print_defect(void *ctx, enum vmi_rom_defect defect, const char *detail)
{
	const struct rom_file *rom = ctx;

	printf("%s: %s: %s\n", rom->path, vmi_rom_defect_name(defect), detail);
}

static struct vmi_call_entry entry_copy(const struct rom_file *rom,
				       const struct vmi_rom_info *info, unsigned nr)
{
	const struct vmi_call_entry *e = vmi_rom_entry(rom->bytes, info, nr);
	struct vmi_call_entry copy = { 0 };

	if (e)
		memcpy(&copy, e, sizeof(copy));
	return copy;
}

/*
 * The spec allows aliases (entries sharing offset and length), and the
 * guest treats each entry by its own annotation. But a CALL that aliases
 * an IDENT entry runs that other call's native sequence: legal, and almost
 * always a slip in the call table. Said on stderr; the image stays valid.
 */
static void warn_call_aliasing_ident(const struct rom_file *rom, const struct vmi_rom_info *info)
{
	for (unsigned nr = 0; nr < info->num_calls; nr++) {
		struct vmi_call_entry e = entry_copy(rom, info, nr);

		if (e.annotation != VMI_ANNOT_CALL || !e.length)
			continue;
		for (unsigned other = 0; other < info->num_calls; other++) {
			struct vmi_call_entry o = entry_copy(rom, info, other);

			if (o.annotation == VMI_ANNOT_IDENT && o.offset == e.offset &&
			    o.length == e.length && other != nr)
				fprintf(stderr, "%s: warning: call %u (%s, CALL) aliases the code of "
					"call %u (%s, IDENT): calling it runs %s's native sequence\n",
					rom->path, nr, vmi_rom_call_name(nr), other,
					vmi_rom_call_name(other), vmi_rom_call_name(other));
		}
	}
}

static int cmd_verify(struct rom_file *rom)
{
	struct vmi_rom_info info;
	int defects = vmi_rom_verify(rom->bytes, rom->size, &info, print_defect, rom);

	if (defects) {
		printf("%s: invalid: %d defect%s\n", rom->path, defects,
		       defects == 1 ? "" : "s");
		return EXIT_DEFECTS;
	}
	printf("%s: valid VMI ROM, ABI %u.%u, %s/%s, %u calls, %zu bytes\n",
	       rom->path, info.abi_major, info.abi_minor, info.vendor,
	       info.backend, info.num_calls, rom->size);
	warn_call_aliasing_ident(rom, &info);
	return EXIT_VALID;
}

/* Prints the name of each set bit of value in table (lower case when asked),
 * then whatever bits are left unknown. */
struct bit_name {
	uint64_t mask;
	const char *name;
};

static void print_bits(uint64_t value, const struct bit_name *table, size_t n, bool lower)
{
	uint64_t rest = value;

	for (size_t i = 0; i < n; i++) {
		if (!(value & table[i].mask))
			continue;
		putchar(' ');
		for (const char *c = table[i].name; *c; c++)
			putchar(lower ? tolower((unsigned char)*c) : *c);
		rest &= ~table[i].mask;
	}
	if (rest)
		printf(" unknown:%#llx", (unsigned long long)rest);
}

#define BIT_NAME(bit, NAME) { 1ULL << (bit), #NAME },
static const struct bit_name feature_names[] = { VMI_FEATURES(BIT_NAME) };
static const struct bit_name entry_flag_names[] = { VMI_ENTRY_FLAGS(BIT_NAME) };
#undef BIT_NAME

static void print_features(uint64_t features)
{
	printf("features:     %#llx", (unsigned long long)features);
	print_bits(features, feature_names,
		   sizeof(feature_names) / sizeof(feature_names[0]), false);
	printf("%s\n", features ? "" : " (none)");
}

static void print_flags(unsigned flags)
{
	print_bits(flags, entry_flag_names,
		   sizeof(entry_flag_names) / sizeof(entry_flag_names[0]), true);
}

static void print_calls(const struct rom_file *rom, const struct vmi_rom_info *info)
{
	printf("calls:        %u (call table at %#x, %u bytes per entry)\n",
	       info->num_calls, info->call_table_offset, info->entry_size);
	for (unsigned nr = 0; nr < info->num_calls; nr++) {
		const struct vmi_call_entry *e = vmi_rom_entry(rom->bytes, info, nr);
		const char *name = vmi_rom_call_name(nr);
		struct vmi_call_entry copy;

		if (!e)
			break;
		memcpy(&copy, e, sizeof(copy));
		printf("  %3u %-20s %-11s offset 0x%04x length %3u", nr,
		       name ? name : "(unknown)",
		       vmi_rom_annotation_name(copy.annotation), copy.offset,
		       copy.length);
		print_flags(copy.flags);
		printf("\n");
	}
}

static int cmd_info(struct rom_file *rom)
{
	struct vmi_rom_info info;
	int defects = vmi_rom_verify(rom->bytes, rom->size, &info, NULL, NULL);

	printf("file:         %s\n", rom->path);
	printf("size:         %zu bytes (size_blocks says %u)\n", rom->size,
	       info.image_size);
	printf("checksum:     8-bit sum 0x%02x (%s), checksum_adjust 0x%02x\n",
	       info.checksum, info.checksum ? "bad" : "ok", info.checksum_adjust);
	if (!info.has_vmi_header) {
		printf("signature:    no VMI header of a known ABI major\n");
		printf("%s: %d defect%s; run romtool verify for details\n",
		       rom->path, defects, defects == 1 ? "" : "s");
		return EXIT_DEFECTS;
	}
	printf("signature:    option ROM %#06x, VMI %#010x\n", VMI_ROM_SIGNATURE,
	       VMI_SIGNATURE);
	printf("abi:          %u.%u\n", info.abi_major, info.abi_minor);
	printf("vendor:       %s\n", info.vendor);
	printf("backend:      %s\n", info.backend);
	printf("rom_version:  %u\n", info.rom_version);
	print_features(info.features);
	printf("data_area:    %u bytes per CPU\n", info.data_area_size);
	if (info.table_ok)
		print_calls(rom, &info);
	if (defects) {
		printf("%s: %d defect%s; run romtool verify for details\n",
		       rom->path, defects, defects == 1 ? "" : "s");
		return EXIT_DEFECTS;
	}
	return EXIT_VALID;
}

static int cmd_fix_checksum(struct rom_file *rom)
{
	uint32_t signature = 0;
	FILE *f;

	/* Refuse to patch a file that is not even shaped like a VMI ROM. */
	if (rom->size >= VMI_HEADER_OFFSET + VMI_HEADER_SIZE)
		memcpy(&signature, rom->bytes + VMI_HEADER_OFFSET, sizeof(signature));
	if (signature != VMI_SIGNATURE) {
		fprintf(stderr, "romtool: %s has no VMI header at %#x; not patched\n",
			rom->path, VMI_HEADER_OFFSET);
		return EXIT_TROUBLE;
	}
	vmi_rom_fix_checksum(rom->bytes, rom->size);
	f = fopen(rom->path, "r+b");
	if (!f || fseek(f, VMI_HEADER_OFFSET + VMI_HEADER_OFF_CHECKSUM_ADJUST,
			SEEK_SET) ||
	    fputc(rom->bytes[VMI_HEADER_OFFSET + VMI_HEADER_OFF_CHECKSUM_ADJUST],
		  f) == EOF || fclose(f)) {
		fprintf(stderr, "romtool: cannot write %s: %s\n", rom->path,
			strerror(errno));
		return EXIT_TROUBLE;
	}
	return EXIT_VALID;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: romtool info ROM | verify ROM | fix-checksum ROM\n");
	return EXIT_TROUBLE;
}

int main(int argc, char **argv)
{
	struct rom_file rom = { 0 };
	int status;

	if (argc != 3)
		return usage();
	if (strcmp(argv[1], "info") && strcmp(argv[1], "verify") &&
	    strcmp(argv[1], "fix-checksum")) {
		fprintf(stderr, "romtool: unknown command '%s'\n", argv[1]);
		return usage();
	}
	if (load_rom(argv[2], &rom))
		return EXIT_TROUBLE;
	if (!strcmp(argv[1], "info"))
		status = cmd_info(&rom);
	else if (!strcmp(argv[1], "verify"))
		status = cmd_verify(&rom);
	else
		status = cmd_fix_checksum(&rom);
	free(rom.bytes);
	return status;
}
