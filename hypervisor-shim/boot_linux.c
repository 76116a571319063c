// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Linux bzImage through the x86 64-bit boot protocol
 * (Documentation/x86/boot.rst): the protected-mode part at 1 MiB,
 * boot_params with the setup header, command line, initrd and e820 map,
 * then entry at load address + 0x200 in long mode with %rsi = boot_params.
 */
#include <stdint.h>
#include <string.h>

#include "layout.h"
#include "shim.h"

/* Setup-header offsets (the same in the image and in boot_params). */
#define HDR_SETUP_SECTS 0x1f1
#define HDR_BOOT_FLAG 0x1fe
#define HDR_JUMP_LENGTH 0x201
#define HDR_MAGIC 0x202
#define HDR_VERSION 0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS 0x211
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21c
#define HDR_HEAP_END_PTR 0x224
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22c
#define HDR_XLOADFLAGS 0x236
#define HDR_CMDLINE_SIZE 0x238
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260
#define HDR_END_MAX 0x290
/* boot_params fields outside the setup header. */
#define BP_ACPI_RSDP_ADDR 0x070
#define BP_E820_ENTRIES 0x1e8
#define BP_E820_TABLE 0x2d0

#define BOOT_FLAG 0xaa55
#define MIN_VERSION 0x020c	/* xloadflags, 64-bit entry */
#define XLF_KERNEL_64 0x1
#define LOADFLAG_CAN_USE_HEAP 0x80
#define LOADER_UNDEFINED 0xff
#define HEAP_END 0xfe00
#define ENTRY_64_OFFSET 0x200

static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint16_t get16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static void set32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

struct bzimage {
	const uint8_t *image;
	size_t size;
	size_t setup_size;	/* real-mode part, skipped */
	uint64_t init_size;	/* memory the kernel needs from its load address */
	uint64_t pref_address;
};

static void check_bzimage(struct bzimage *bz, const char *path)
{
	const uint8_t *image = bz->image;
	unsigned sects;

	if (bz->size < HDR_END_MAX || get16(image + HDR_BOOT_FLAG) != BOOT_FLAG ||
	    memcmp(image + HDR_MAGIC, "HdrS", 4) != 0)
		shim_usage_error("%s is not a bzImage (no \"HdrS\" setup header) nor a PVH ELF", path);
	if (get16(image + HDR_VERSION) < MIN_VERSION || !(image[HDR_XLOADFLAGS] & XLF_KERNEL_64))
		shim_usage_error("%s: bzImage without the 64-bit entry point (boot protocol %#x)",
				 path, get16(image + HDR_VERSION));
	sects = image[HDR_SETUP_SECTS] ? image[HDR_SETUP_SECTS] : 4;
	bz->setup_size = (size_t)(sects + 1) * 512;
	if (bz->setup_size >= bz->size)
		shim_usage_error("%s: bzImage truncated after its setup code", path);
	bz->init_size = get32(image + HDR_INIT_SIZE);
	memcpy(&bz->pref_address, image + HDR_PREF_ADDRESS, 8);
	if (bz->pref_address < SHIM_HIGH_RAM)
		bz->pref_address = SHIM_HIGH_RAM;
}

/* The kernel decompresses itself at pref_address and needs init_size there. */
static uint64_t kernel_end(const struct bzimage *bz)
{
	uint64_t payload = bz->size - bz->setup_size;
	uint64_t at_load = SHIM_HIGH_RAM + payload;
	/* Saturates: a header asking for more than 2^64 gets "too small". */
	uint64_t at_run = bz->init_size > UINT64_MAX - bz->pref_address ? UINT64_MAX :
			  bz->pref_address + bz->init_size;

	return at_load > at_run ? at_load : at_run;
}

static void write_cmdline(struct shim_vm *vm, const uint8_t *image)
{
	const char *append = vm->opts->append ? vm->opts->append : "";
	size_t length = strlen(append);
	uint32_t limit = get32(image + HDR_CMDLINE_SIZE);

	if (length > limit || length >= SHIM_CMDLINE_MAX)
		shim_usage_error("--append is %zu bytes; this kernel takes at most %u", length,
				 limit < SHIM_CMDLINE_MAX - 1 ? limit : (unsigned)SHIM_CMDLINE_MAX - 1);
	memcpy(vm->mem.ram + SHIM_CMDLINE_GPA, append, length + 1);
}

static void write_boot_params(struct shim_vm *vm, const struct bzimage *bz,
			      uint64_t initrd, uint64_t initrd_size)
{
	uint8_t *bp = vm->mem.ram + SHIM_BOOT_PARAMS_GPA;
	size_t header_end = HDR_MAGIC + bz->image[HDR_JUMP_LENGTH];
	struct e820_entry map[E820_MAX_ENTRIES];
	uint64_t rsdp = acpi_build(vm);
	int entries = memmap_build(vm, map);

	if (header_end > HDR_END_MAX)
		header_end = HDR_END_MAX;
	memset(bp, 0, SHIM_PAGE_SIZE);
	memcpy(bp + HDR_SETUP_SECTS, bz->image + HDR_SETUP_SECTS, header_end - HDR_SETUP_SECTS);
	bp[HDR_TYPE_OF_LOADER] = LOADER_UNDEFINED;
	bp[HDR_LOADFLAGS] |= LOADFLAG_CAN_USE_HEAP;
	bp[HDR_HEAP_END_PTR] = HEAP_END & 0xff;
	bp[HDR_HEAP_END_PTR + 1] = HEAP_END >> 8;
	set32(bp + HDR_CMD_LINE_PTR, (uint32_t)SHIM_CMDLINE_GPA);
	set32(bp + HDR_RAMDISK_IMAGE, (uint32_t)initrd);
	set32(bp + HDR_RAMDISK_SIZE, (uint32_t)initrd_size);
	memcpy(bp + BP_ACPI_RSDP_ADDR, &rsdp, 8);
	bp[BP_E820_ENTRIES] = (uint8_t)entries;
	memcpy(bp + BP_E820_TABLE, map, sizeof(map[0]) * entries);
}

static void set_entry_state(struct shim_vm *vm, uint64_t entry)
{
	vm->boot = (struct shim_boot){
		.long_mode = true, .rip = entry, .rsi = SHIM_BOOT_PARAMS_GPA,
		.rsp = SHIM_BOOT_STACK_TOP,
		.cr0 = 0x80050033,	/* PG, AM, WP, NE, ET, MP, PE */
		.cr3 = SHIM_PML4_GPA,
		.cr4 = 0x20,		/* PAE */
		.efer = 0x500,		/* LMA, LME */
	};
}

void boot_linux(struct shim_vm *vm, const uint8_t *image, size_t size)
{
	struct bzimage bz = { .image = image, .size = size };
	uint64_t initrd, initrd_size, limit;

	check_bzimage(&bz, vm->opts->kernel);
	if (kernel_end(&bz) > vm->mem.size)
		shim_usage_error("memory too small for the kernel: it needs %llu MiB, -m gives %llu MiB",
				 (unsigned long long)((kernel_end(&bz) >> 20) + !!(kernel_end(&bz) & 0xfffff)),
				 (unsigned long long)(vm->mem.size >> 20));
	memcpy(vm->mem.ram + SHIM_HIGH_RAM, image + bz.setup_size, size - bz.setup_size);
	/* initrd_addr_max is the highest address the initrd may occupy. */
	limit = (uint64_t)get32(image + HDR_INITRD_ADDR_MAX) + 1;
	boot_load_initrd(vm, kernel_end(&bz), limit, &initrd, &initrd_size);
	write_cmdline(vm, image);
	write_boot_params(vm, &bz, initrd, initrd_size);
	boot_write_gdt(vm);
	boot_write_identity_tables(vm);
	set_entry_state(vm, SHIM_HIGH_RAM + ENTRY_64_OFFSET);
}
