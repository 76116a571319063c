/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The shared VMI ROM parser. See vmi_rom_parse.h.
 *
 * Every read goes through read_bytes(), which checks the range against the
 * buffer first; all offset arithmetic is done in uint64_t so no sum of two
 * 32-bit header fields can wrap.
 */
#include <string.h>

#include "vmi_rom_parse.h"

#define KNOWN_FEATURES VMI_FEATURE_KNOWN_MASK
#define KNOWN_ENTRY_FLAGS VMI_ENTRY_F_KNOWN_MASK
#define VMI_HEADER_END (VMI_HEADER_OFFSET + VMI_HEADER_SIZE)

/* A one-line message built without libc. */
struct line {
	char text[192];
	size_t len;
};

static void line_str(struct line *l, const char *s)
{
	while (*s && l->len + 1 < sizeof(l->text))
		l->text[l->len++] = *s++;
	l->text[l->len] = '\0';
}

static void line_num(struct line *l, uint64_t value, unsigned base)
{
	char digits[24];
	int n = 0;

	if (base == 16)
		line_str(l, "0x");
	do {
		digits[n++] = "0123456789abcdef"[value % base];
		value /= base;
	} while (value);
	while (n > 0 && l->len + 1 < sizeof(l->text))
		l->text[l->len++] = digits[--n];
	l->text[l->len] = '\0';
}

struct parse {
	const uint8_t *image;
	size_t size;
	struct vmi_rom_info *info;
	vmi_rom_defect_fn *report;
	void *ctx;
	int defects;
	struct line line;
};

static void begin(struct parse *p)
{
	p->line.len = 0;
	p->line.text[0] = '\0';
}

static void say(struct parse *p, const char *s)
{
	line_str(&p->line, s);
}

static void dec(struct parse *p, uint64_t v)
{
	line_num(&p->line, v, 10);
}

static void hex(struct parse *p, uint64_t v)
{
	line_num(&p->line, v, 16);
}

static void defect(struct parse *p, enum vmi_rom_defect d)
{
	p->defects++;
	if (p->report)
		p->report(p->ctx, d, p->line.text);
}

/* Copies len bytes at offset into out; returns 0 when outside the buffer. */
static int read_bytes(const struct parse *p, uint64_t offset, void *out,
		      size_t len)
{
	if (offset > p->size || len > p->size - offset)
		return 0;
	memcpy(out, p->image + offset, len);
	return 1;
}

static int all_zero(const uint8_t *bytes, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (bytes[i])
			return 0;
	return 1;
}

uint8_t vmi_rom_sum(const void *image, size_t size)
{
	const uint8_t *bytes = image;
	uint8_t sum = 0;

	for (size_t i = 0; i < size; i++)
		sum = (uint8_t)(sum + bytes[i]);
	return sum;
}

int vmi_rom_fix_checksum(void *image, size_t size)
{
	uint8_t *adjust;

	if (size < VMI_HEADER_END)
		return -1;
	adjust = (uint8_t *)image + VMI_HEADER_OFFSET +
		 VMI_HEADER_OFF_CHECKSUM_ADJUST;
	*adjust = 0;
	*adjust = (uint8_t)(0x100 - vmi_rom_sum(image, size));
	return 0;
}

const char *vmi_rom_defect_name(enum vmi_rom_defect defect)
{
	static const char *const names[] = {
#define VMI_ROM__NAME(name, token) token,
		VMI_ROM_DEFECTS(VMI_ROM__NAME)
#undef VMI_ROM__NAME
	};

	if ((unsigned)defect >= VMI_ROM_NR_DEFECTS)
		return "unknown-defect";
	return names[defect];
}

const char *vmi_rom_call_name(unsigned nr)
{
	static const char *const names[] = {
#define VMI_ROM__CALL(nr, name, NAME, GROUP, CONV, since, may_defer) #name,
		VMI_CALLS(VMI_ROM__CALL)
#undef VMI_ROM__CALL
	};

	return nr < VMI_NR_CALLS ? names[nr] : NULL;
}

const char *vmi_rom_annotation_name(unsigned annotation)
{
#define ANNOTATION_NAME(value, NAME) case value: return #NAME;
	switch (annotation) {
	VMI_ANNOTATIONS(ANNOTATION_NAME)
	default: return "?";
	}
#undef ANNOTATION_NAME
}

/* Size, option-ROM header and checksum. Returns 0 when parsing must stop. */
static int check_rom_header(struct parse *p)
{
	struct vmi_rom_header rh;

	if (p->size < VMI_HEADER_END) {
		begin(p); say(p, "image is "); dec(p, p->size);
		say(p, " bytes, shorter than its headers ("); dec(p, VMI_HEADER_END);
		say(p, " bytes)");
		defect(p, VMI_ROM_DEFECT_TRUNCATED);
		return 0;
	}
	memcpy(&rh, p->image, sizeof(rh));
	p->info->image_size = (uint32_t)rh.size_blocks * VMI_BLOCK_SIZE;
	if (p->size > VMI_MAX_IMAGE_SIZE) {
		begin(p); say(p, "image is "); dec(p, p->size);
		say(p, " bytes, more than the maximum "); dec(p, VMI_MAX_IMAGE_SIZE);
		defect(p, VMI_ROM_DEFECT_TOO_LARGE);
	}
	if (p->size % VMI_BLOCK_SIZE) {
		begin(p); say(p, "image is "); dec(p, p->size);
		say(p, " bytes, not a multiple of "); dec(p, VMI_BLOCK_SIZE);
		defect(p, VMI_ROM_DEFECT_SIZE_NOT_BLOCKS);
	}
	if (p->info->image_size != p->size) {
		begin(p); say(p, "size_blocks "); dec(p, rh.size_blocks);
		say(p, " declares "); dec(p, p->info->image_size);
		say(p, " bytes but the image is "); dec(p, p->size);
		defect(p, VMI_ROM_DEFECT_SIZE_MISMATCH);
	}
	if (rh.rom_signature != VMI_ROM_SIGNATURE) {
		begin(p); say(p, "option-ROM signature is "); hex(p, rh.rom_signature);
		say(p, ", expected "); hex(p, VMI_ROM_SIGNATURE);
		defect(p, VMI_ROM_DEFECT_BAD_ROM_SIGNATURE);
	}
	if (rh.init_code[0] != VMI_ROM_INIT_CODE) {
		begin(p); say(p, "byte 3 is "); hex(p, rh.init_code[0]);
		say(p, ", expected retf ("); hex(p, VMI_ROM_INIT_CODE); say(p, ")");
		defect(p, VMI_ROM_DEFECT_BAD_INIT_CODE);
	}
	if (!all_zero(rh.reserved0, sizeof(rh.reserved0)) || rh.pci_data_offset ||
	    !all_zero(rh.reserved1, sizeof(rh.reserved1))) {
		begin(p); say(p, "option-ROM header bytes 0x07-0x1f are not zero");
		defect(p, VMI_ROM_DEFECT_ROM_RESERVED_NONZERO);
	}
	p->info->checksum = vmi_rom_sum(p->image, p->size);
	if (p->info->checksum) {
		begin(p); say(p, "8-bit sum of the image is ");
		hex(p, p->info->checksum); say(p, ", expected 0");
		defect(p, VMI_ROM_DEFECT_BAD_CHECKSUM);
	}
	return 1;
}

static void copy_name(char *out, const char *in)
{
	for (int i = 0; i < 16; i++)
		out[i] = (in[i] >= 0x20 && in[i] < 0x7f) || !in[i] ? in[i] : '?';
	out[16] = '\0';
}

/* NUL-padded printable ASCII, at least one character. */
static int name_ok(const char *name)
{
	int i = 0;

	while (i < 16 && name[i] >= 0x20 && name[i] < 0x7f)
		i++;
	if (i == 0)
		return 0;
	for (; i < 16; i++)
		if (name[i])
			return 0;
	return 1;
}

static void check_name(struct parse *p, const char *field, const char *name)
{
	if (name_ok(name))
		return;
	begin(p); say(p, field);
	say(p, " is not NUL-padded printable ASCII of 1-16 characters");
	defect(p, VMI_ROM_DEFECT_BAD_NAME);
}

static void decode_header(struct vmi_rom_info *info, const struct vmi_header *h)
{
	info->abi_major = h->abi_major;
	info->abi_minor = h->abi_minor;
	info->header_size = h->header_size;
	info->entry_size = h->entry_size;
	info->num_calls = h->num_calls;
	info->call_table_offset = h->call_table_offset;
	info->data_area_size = h->data_area_size;
	info->features = h->features;
	info->rom_version = h->rom_version;
	info->checksum_adjust = h->checksum_adjust;
	copy_name(info->vendor, h->vendor);
	copy_name(info->backend, h->backend);
}

/* Header fields other than the call table. */
static void check_header_fields(struct parse *p, const struct vmi_header *h)
{
	uint64_t header_end = (uint64_t)VMI_HEADER_OFFSET + h->header_size;

	if (h->header_size < VMI_HEADER_SIZE || header_end > p->size) {
		begin(p); say(p, "header_size "); dec(p, h->header_size);
		say(p, " is below "); dec(p, VMI_HEADER_SIZE);
		say(p, " or runs past the image end");
		defect(p, VMI_ROM_DEFECT_BAD_HEADER_SIZE);
	}
	if (h->data_area_size > VMI_DATA_AREA_MAX) {
		begin(p); say(p, "data_area_size "); dec(p, h->data_area_size);
		say(p, " exceeds the maximum "); dec(p, VMI_DATA_AREA_MAX);
		defect(p, VMI_ROM_DEFECT_BAD_DATA_AREA_SIZE);
	}
	/* A later minor may define bits this parser does not know. */
	if ((h->features & ~(uint64_t)KNOWN_FEATURES) &&
	    h->abi_minor <= VMI_ABI_MINOR) {
		begin(p); say(p, "features "); hex(p, h->features);
		say(p, " has bits ABI "); dec(p, h->abi_major); say(p, ".");
		dec(p, h->abi_minor); say(p, " does not define");
		defect(p, VMI_ROM_DEFECT_UNKNOWN_FEATURES);
	}
	check_name(p, "vendor", h->vendor);
	check_name(p, "backend", h->backend);
	if (!all_zero(h->reserved, sizeof(h->reserved))) {
		begin(p); say(p, "VMI header reserved bytes are not zero");
		defect(p, VMI_ROM_DEFECT_HEADER_RESERVED_NONZERO);
	}
}

/* Call-table geometry; sets info->table_ok when entries can be read. */
static void check_table_geometry(struct parse *p, const struct vmi_header *h)
{
	uint64_t table_end = (uint64_t)h->call_table_offset +
			     (uint64_t)h->num_calls * h->entry_size;
	uint64_t header_end = (uint64_t)VMI_HEADER_OFFSET + h->header_size;
	int ok = 1;

	if (h->entry_size < VMI_CALL_ENTRY_SIZE) {
		begin(p); say(p, "entry_size "); dec(p, h->entry_size);
		say(p, " is below "); dec(p, VMI_CALL_ENTRY_SIZE);
		defect(p, VMI_ROM_DEFECT_BAD_ENTRY_SIZE);
		ok = 0;
	}
	if (h->num_calls == 0) {
		begin(p); say(p, "num_calls is 0");
		defect(p, VMI_ROM_DEFECT_NO_CALLS);
		ok = 0;
	} else if (h->num_calls > VMI_MAX_CALLS) {
		begin(p); say(p, "num_calls "); dec(p, h->num_calls);
		say(p, " exceeds the maximum "); dec(p, VMI_MAX_CALLS);
		defect(p, VMI_ROM_DEFECT_TOO_MANY_CALLS);
		ok = 0;
	}
	if (ok && table_end > p->size) {
		begin(p); say(p, "call table at "); hex(p, h->call_table_offset);
		say(p, " ends at "); hex(p, table_end);
		say(p, ", past the image end "); hex(p, p->size);
		defect(p, VMI_ROM_DEFECT_TABLE_OUTSIDE);
		ok = 0;
	}
	if (ok && h->call_table_offset < header_end) {
		begin(p); say(p, "call table at "); hex(p, h->call_table_offset);
		say(p, " overlaps the headers ending at "); hex(p, header_end);
		defect(p, VMI_ROM_DEFECT_TABLE_OVERLAPS_HEADER);
	}
	p->info->table_ok = ok;
}

const struct vmi_call_entry *vmi_rom_entry(const void *image,
					   const struct vmi_rom_info *info,
					   unsigned nr)
{
	if (!image || !info || !info->table_ok || nr >= info->num_calls)
		return NULL;
	return (const struct vmi_call_entry *)((const uint8_t *)image +
		info->call_table_offset + (size_t)nr * info->entry_size);
}

/* Reads call-table entry nr; the table was checked to lie in the image. */
static struct vmi_call_entry read_entry(const struct parse *p, unsigned nr)
{
	struct vmi_call_entry e;

	memset(&e, 0, sizeof(e));
	read_bytes(p, (uint64_t)p->info->call_table_offset +
		   (uint64_t)nr * p->info->entry_size, &e, sizeof(e));
	return e;
}

/* Present entries that lie inside the image are the ones that can collide. */
static int entry_in_image(const struct parse *p, const struct vmi_call_entry *e)
{
	return e->annotation != VMI_ANNOT_UNSUPPORTED &&
	       e->annotation <= VMI_ANNOT_CALL && e->length &&
	       (uint64_t)e->offset + e->length <= p->size;
}

static void entry_prefix(struct parse *p, unsigned nr)
{
	const char *name = vmi_rom_call_name(nr);

	begin(p); say(p, "call "); dec(p, nr);
	if (name) {
		say(p, " ("); say(p, name); say(p, ")");
	}
	say(p, ": ");
}

static void check_unsupported(struct parse *p, unsigned nr,
			      const struct vmi_call_entry *e)
{
	if (!e->offset && !e->length)
		return;
	entry_prefix(p, nr); say(p, "UNSUPPORTED entry has offset ");
	hex(p, e->offset); say(p, " length "); dec(p, e->length);
	say(p, ", expected zero");
	defect(p, VMI_ROM_DEFECT_UNSUPPORTED_NOT_EMPTY);
}

/* Where the code lies: inside the image, clear of headers and table. */
static int check_entry_place(struct parse *p, unsigned nr,
			     const struct vmi_call_entry *e)
{
	uint64_t end = (uint64_t)e->offset + e->length;
	uint64_t header_end = (uint64_t)VMI_HEADER_OFFSET + p->info->header_size;
	uint64_t table = p->info->call_table_offset;
	uint64_t table_end = table + (uint64_t)p->info->num_calls *
			     p->info->entry_size;

	if (end > p->size) {
		entry_prefix(p, nr); say(p, "code "); hex(p, e->offset);
		say(p, "+"); dec(p, e->length); say(p, " runs past the image end ");
		hex(p, p->size);
		defect(p, VMI_ROM_DEFECT_ENTRY_OUTSIDE);
		return 0;
	}
	if (e->offset < header_end || (e->offset < table_end && end > table)) {
		entry_prefix(p, nr); say(p, "code "); hex(p, e->offset);
		say(p, "+"); dec(p, e->length);
		say(p, " overlaps the headers or the call table");
		defect(p, VMI_ROM_DEFECT_ENTRY_OVERLAPS_HEADER);
	}
	return 1;
}

/* The code itself: long enough, aligned, starting with endbr64. */
static void check_entry_code(struct parse *p, unsigned nr,
			     const struct vmi_call_entry *e)
{
	uint32_t first = 0;

	if (e->length <= VMI_ENDBR64_LEN) {
		entry_prefix(p, nr); say(p, "length "); dec(p, e->length);
		say(p, " leaves no room for endbr64 and code");
		defect(p, VMI_ROM_DEFECT_ENTRY_TOO_SHORT);
		return;
	}
	if (e->offset % VMI_ENTRY_ALIGN) {
		entry_prefix(p, nr); say(p, "offset "); hex(p, e->offset);
		say(p, " is not a multiple of "); dec(p, VMI_ENTRY_ALIGN);
		defect(p, VMI_ROM_DEFECT_ENTRY_MISALIGNED);
	}
	read_bytes(p, e->offset, &first, sizeof(first));
	if (first != VMI_ENDBR64) {
		entry_prefix(p, nr); say(p, "code at "); hex(p, e->offset);
		say(p, " does not begin with endbr64");
		defect(p, VMI_ROM_DEFECT_ENTRY_NO_ENDBR64);
	}
}

static void check_entry_fields(struct parse *p, unsigned nr,
			       const struct vmi_call_entry *e)
{
	if (e->flags & ~KNOWN_ENTRY_FLAGS) {
		entry_prefix(p, nr); say(p, "flags "); hex(p, e->flags);
		say(p, " has unknown bits");
		defect(p, VMI_ROM_DEFECT_UNKNOWN_ENTRY_FLAGS);
	}
	if (!all_zero(e->reserved, sizeof(e->reserved))) {
		entry_prefix(p, nr); say(p, "reserved bytes are not zero");
		defect(p, VMI_ROM_DEFECT_ENTRY_RESERVED_NONZERO);
	}
}

/* Two entries share offset and length (an alias) or do not overlap. */
static void check_overlaps(struct parse *p, unsigned nr,
			   const struct vmi_call_entry *e)
{
	uint64_t end = (uint64_t)e->offset + e->length;

	for (unsigned other = 0; other < nr; other++) {
		struct vmi_call_entry o = read_entry(p, other);
		uint64_t o_end = (uint64_t)o.offset + o.length;

		if (!entry_in_image(p, &o))
			continue;
		if (o.offset == e->offset && o.length == e->length)
			continue;
		if (e->offset < o_end && o.offset < end) {
			entry_prefix(p, nr); say(p, "code "); hex(p, e->offset);
			say(p, "+"); dec(p, e->length);
			say(p, " overlaps call "); dec(p, other);
			say(p, " without being its alias");
			defect(p, VMI_ROM_DEFECT_ENTRIES_OVERLAP);
			return;	/* one report per entry is enough */
		}
	}
}

static void check_entries(struct parse *p)
{
	for (unsigned nr = 0; nr < p->info->num_calls; nr++) {
		struct vmi_call_entry e = read_entry(p, nr);

		check_entry_fields(p, nr, &e);
		if (e.annotation > VMI_ANNOT_CALL) {
			entry_prefix(p, nr); say(p, "annotation ");
			dec(p, e.annotation); say(p, " is unknown");
			defect(p, VMI_ROM_DEFECT_BAD_ANNOTATION);
			continue;
		}
		if (e.annotation == VMI_ANNOT_UNSUPPORTED) {
			check_unsupported(p, nr, &e);
			continue;
		}
		if (!check_entry_place(p, nr, &e))
			continue;
		check_entry_code(p, nr, &e);
		if (entry_in_image(p, &e))
			check_overlaps(p, nr, &e);
	}
}

int vmi_rom_verify(const void *image, size_t size, struct vmi_rom_info *info,
		   vmi_rom_defect_fn *report, void *ctx)
{
	struct vmi_rom_info scratch;
	struct vmi_header h;
	struct parse p = { image, size, info ? info : &scratch, report, ctx, 0,
			   { { 0 }, 0 } };

	memset(p.info, 0, sizeof(*p.info));
	p.info->size = size;
	if (!image)
		p.size = 0;
	if (!check_rom_header(&p))
		return p.defects;
	read_bytes(&p, VMI_HEADER_OFFSET, &h, sizeof(h));
	if (h.signature != VMI_SIGNATURE) {
		begin(&p); say(&p, "VMI signature is "); hex(&p, h.signature);
		say(&p, ", expected "); hex(&p, VMI_SIGNATURE);
		defect(&p, VMI_ROM_DEFECT_BAD_VMI_SIGNATURE);
		return p.defects;
	}
	decode_header(p.info, &h);
	if (h.abi_major != VMI_ABI_MAJOR) {
		begin(&p); say(&p, "ABI major "); dec(&p, h.abi_major);
		say(&p, " is not the known major "); dec(&p, VMI_ABI_MAJOR);
		defect(&p, VMI_ROM_DEFECT_UNKNOWN_MAJOR);
		return p.defects;
	}
	p.info->has_vmi_header = 1;
	check_header_fields(&p, &h);
	check_table_geometry(&p, &h);
	if (p.info->table_ok)
		check_entries(&p);
	return p.defects;
}
