/*
 * Finding the ROM exactly as the spec tells a kernel to: scan the
 * option-ROM range in scan_step strides, skip option ROMs without our
 * signature, verify every field and the checksum with the shared parser,
 * check the major, read the minor and features. Then copy it to
 * executable RAM and give it a per-CPU data area behind %gs.
 */
#include "rom.h"
#include "cpu.h"

#define PAGE_SIZE 4096
#define PERCPU_BYTES 4096

struct rom_state rom;
static uint8_t percpu_block[PERCPU_BYTES] __attribute__((aligned(PAGE_SIZE)));

uintptr_t rom_scan(unsigned *other_roms)
{
	*other_roms = 0;
	for (uintptr_t a = VMI_SCAN_START; a < VMI_SCAN_END; a += VMI_SCAN_STEP) {
		const volatile uint8_t *p = (const volatile uint8_t *)a;
		uint16_t sig = p[0] | p[1] << 8;
		uint32_t vmi = 0;

		if (sig != VMI_ROM_SIGNATURE)
			continue;
		if (a + VMI_HEADER_OFFSET + 4 <= VMI_SCAN_END)
			vmi = p[VMI_HEADER_OFFSET] | p[VMI_HEADER_OFFSET + 1] << 8 |
			      p[VMI_HEADER_OFFSET + 2] << 16 | (uint32_t)p[VMI_HEADER_OFFSET + 3] << 24;
		if (vmi == VMI_SIGNATURE)
			return a;
		(*other_roms)++;
	}
	return 0;
}

struct defect_log {
	unsigned count;
};

static void log_defect(void *ctx, enum vmi_rom_defect defect, const char *detail)
{
	struct defect_log *log = ctx;

	log->count++;
	report_info("parser: %s: %s", vmi_rom_defect_name(defect), detail);
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e || *s == '?')
			return false;
	return true;
}

/* One assertion per header field, from the decoded info and raw bytes. */
static void report_fields(const uint8_t *img, size_t size)
{
	const struct vmi_rom_info *i = &rom.info;
	const struct vmi_rom_header *rh = (const void *)img;

	report(rh->rom_signature == VMI_ROM_SIGNATURE, "rom_signature is 55 AA");
	report(i->image_size >= VMI_BLOCK_SIZE && i->image_size <= VMI_MAX_IMAGE_SIZE &&
	       i->image_size <= size, "size_blocks %u gives %u bytes, within the %u-byte limit",
	       rh->size_blocks, i->image_size, VMI_MAX_IMAGE_SIZE);
	report(rh->init_code[0] == VMI_ROM_INIT_CODE, "init_code starts with retf");
	report(i->has_vmi_header, "VMI signature and major %u (the suite's is %u)",
	       i->abi_major, VMI_ABI_MAJOR);
	report_info("ROM implements ABI %u.%u; the suite knows %u.%u; features %lx",
		    i->abi_major, i->abi_minor, VMI_ABI_MAJOR, VMI_ABI_MINOR, i->features);
	report(i->header_size >= VMI_HEADER_SIZE, "header_size %u >= %u", i->header_size,
	       VMI_HEADER_SIZE);
	report(i->entry_size >= VMI_CALL_ENTRY_SIZE, "entry_size %u >= %u", i->entry_size,
	       VMI_CALL_ENTRY_SIZE);
	report(i->num_calls > 0 && i->num_calls <= VMI_MAX_CALLS, "num_calls %u in 1..%u",
	       i->num_calls, VMI_MAX_CALLS);
	report(i->table_ok, "call table at 0x%x lies inside the image", i->call_table_offset);
	report(i->data_area_size <= VMI_DATA_AREA_MAX, "data_area_size %u <= %u",
	       i->data_area_size, VMI_DATA_AREA_MAX);
	report(printable(i->vendor) && i->vendor[0], "vendor \"%s\" is printable", i->vendor);
	report(printable(i->backend) && i->backend[0], "backend \"%s\" is printable", i->backend);
	report(i->checksum == 0, "8-bit sum of the image is 0 (is 0x%x)", i->checksum);
}

bool rom_load(uintptr_t found_at)
{
	const uint8_t *img = (const uint8_t *)found_at;
	size_t room = VMI_SCAN_END - found_at;
	size_t size = (size_t)img[VMI_ROM_HEADER_OFF_SIZE_BLOCKS] * VMI_BLOCK_SIZE;
	struct defect_log log = { 0 };

	rom.found_at = found_at;
	rom.size = size < room ? size : room;
	rom.defects = vmi_rom_verify(img, rom.size, &rom.info, log_defect, &log);
	report_fields(img, rom.size);
	report(rom.defects == 0, "shared parser finds no defect (%u found)", rom.defects);
	if (rom.defects || !rom.info.has_vmi_header || !rom.info.table_ok) {
		conf_snprintf(rom.why, sizeof(rom.why), "the ROM at %lx failed verification",
			      found_at);
		return false;
	}
	/* Option-ROM space may be read-only or uncached: run from RAM. */
	rom.image = alloc_pages((rom.size + PAGE_SIZE - 1) / PAGE_SIZE);
	memcpy(rom.image, img, rom.size);
	report(memcmp(rom.image, img, rom.size) == 0, "copied %zu bytes to executable RAM at %p",
	       rom.size, rom.image);
	rom.usable = true;
	return true;
}

void percpu_set_slot(void *data_area)
{
	*(void *volatile *)(percpu_block + VMI_PERCPU_GS_SLOT) = data_area;
}

void rom_prepare_percpu(void)
{
	size_t bytes = rom.info.data_area_size;

	native_wrmsr(MSR_GS_BASE, (uint64_t)percpu_block);
	if (bytes) {
		_Static_assert(VMI_DATA_AREA_ALIGN <= PAGE_SIZE, "data area alignment");
		rom.data_area = alloc_pages((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
	}
	percpu_set_slot(rom.data_area);
}

bool rom_present_in(const void *image, const struct vmi_rom_info *info, unsigned nr)
{
	const struct vmi_call_entry *e = vmi_rom_entry(image, info, nr);

	if (!e || e->annotation == VMI_ANNOT_UNSUPPORTED)
		return false;
	/* A call newer than the ROM's minor is absent whatever the table says;
	 * one newer than this suite is unknown and ignored. */
	return nr < VMI_NR_CALLS && call_meta[nr].since <= info->abi_minor;
}

bool rom_present(unsigned nr)
{
	return rom.usable && rom_present_in(rom.image, &rom.info, nr);
}

const struct vmi_call_entry *rom_entry(unsigned nr)
{
	return rom.usable ? vmi_rom_entry(rom.image, &rom.info, nr) : NULL;
}

uint8_t rom_annotation(unsigned nr)
{
	const struct vmi_call_entry *e = rom_entry(nr);

	return e ? e->annotation : VMI_ANNOT_UNSUPPORTED;
}
