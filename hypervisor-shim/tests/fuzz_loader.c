// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target over the guest loaders: boot_linux(), boot_pvh() and
 * boot_load_initrd() on crafted kernel and initrd files. The files come
 * from whoever runs the shim, not from the guest, but a bad one must end
 * in a usage error (one line, status 2), never in a crash or in writes
 * outside guest RAM. So shim_usage_error() returns here (fuzz_common.c)
 * and anything else that would exit aborts; guest RAM is a real buffer of
 * the size -m asks for (16 MiB and up), with no access below or above it.
 *
 * Input:
 *   flags (1)       bits 0-1 the loader: 0 as the shim chooses (an ELF is a
 *                   PVH guest, anything else a bzImage), 1 boot_linux,
 *                   2 boot_pvh, 3 boot_load_initrd alone; bit 2 an initrd
 *                   is given; bit 3 a ROM is mapped; bit 4 --append is given
 *   vCPUs - 1 (1, modulo SHIM_MAX_VCPUS), RAM pages above 16 MiB (2),
 *   --append length (2, modulo APPEND_MAX + 1), ROM pages - 1 (1, modulo
 *   the pages below the ACPI tables), initrd length (2), the initrd's bytes
 *   with loader 3: floor (8), limit (8), the bounds boot_load_initrd gets
 *   the rest            the kernel file
 *
 * After a successful load the initrd must be where the loader says it put
 * it (boot_params, the PVH module list, or the values returned): page
 * aligned, inside RAM, above the shim's low tables, below the kernel's
 * limit, and holding the file's bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "shim.h"

#include "fuzz_common.h"

#define FLAG_INITRD 0x04
#define FLAG_ROM 0x08
#define FLAG_APPEND 0x10
#define LOADER_AS_SHIM 0
#define LOADER_LINUX 1
#define LOADER_PVH 2
#define LOADER_INITRD 3
#define RAM_MAX (SHIM_MIN_RAM + (0xffffULL << GMEM_PAGE_SHIFT))
#define APPEND_MAX (SHIM_CMDLINE_MAX + 100)
/* Where the loaders record the initrd (Linux boot protocol, Xen's hvm_start_info). */
#define BP_RAMDISK_IMAGE 0x218
#define BP_RAMDISK_SIZE 0x21c
#define BP_INITRD_ADDR_MAX 0x22c
#define HVM_NR_MODULES 12
#define HVM_MODLIST_PADDR 16

struct load {
	int loader;
	const uint8_t *kernel, *initrd;
	size_t kernel_size, initrd_size;
	uint64_t floor, limit;	/* LOADER_INITRD */
	uint64_t gpa, size;	/* the initrd, where it went */
};

static struct shim_vm vm;
static struct shim_options options;
static char append[APPEND_MAX + 1];

static void parse(struct fuzz_input *in, struct load *load)
{
	uint8_t flags = (uint8_t)fuzz_take(in, 1);
	uint64_t rom_pages = (SHIM_ROM_LIMIT - SHIM_ROM_GPA) / SHIM_PAGE_SIZE;
	size_t append_length;

	load->loader = flags & 3;
	vm.nr_vcpus = (int)(fuzz_take(in, 1) % SHIM_MAX_VCPUS) + 1;
	vm.mem.size = SHIM_MIN_RAM + (fuzz_take(in, 2) << GMEM_PAGE_SHIFT);
	append_length = (size_t)(fuzz_take(in, 2) % (APPEND_MAX + 1));
	vm.rom_size = (fuzz_take(in, 1) % rom_pages + 1) * SHIM_PAGE_SIZE;
	if (!(flags & FLAG_ROM))
		vm.rom_size = 0;
	load->initrd = fuzz_take_bytes(in, (size_t)fuzz_take(in, 2), &load->initrd_size);
	if (load->loader == LOADER_INITRD) {
		load->floor = fuzz_take(in, 8);
		load->limit = fuzz_take(in, 8);
	}
	load->kernel = fuzz_take_bytes(in, in->size, &load->kernel_size);
	memset(append, 'x', append_length);
	append[append_length] = '\0';
	options = (struct shim_options){
		.kernel = "kernel", .initrd = (flags & FLAG_INITRD) ? "initrd" : NULL,
		.append = (flags & FLAG_APPEND) ? append : NULL, .ram_size = vm.mem.size,
		.smp = vm.nr_vcpus,
	};
	vm.opts = &options;
}

/* Runs the loader; false when it refused the files with a usage error. */
static bool run_loader(struct load *load)
{
	jmp_buf usage;

	if (setjmp(usage)) {
		fuzz_usage_return = NULL;
		if (fuzz_verbose())
			fuzz_report("usage error: %s\n", fuzz_usage_message);
		return false;
	}
	fuzz_usage_return = &usage;
	if (load->loader == LOADER_INITRD)
		boot_load_initrd(&vm, load->floor, load->limit, &load->gpa, &load->size);
	else if (load->loader == LOADER_PVH ||
		 (load->loader == LOADER_AS_SHIM && boot_is_elf(load->kernel, load->kernel_size)))
		boot_pvh(&vm, load->kernel, load->kernel_size);
	else
		boot_linux(&vm, load->kernel, load->kernel_size);
	fuzz_usage_return = NULL;
	return true;
}

static uint64_t ram_get(uint64_t gpa, size_t bytes)
{
	uint64_t value = 0;

	memcpy(&value, vm.mem.ram + gpa, bytes);
	return value;
}

/* Where a successful load put the initrd, as it tells the guest; the highest end allowed. */
static uint64_t initrd_told(struct load *load)
{
	uint32_t addr_max;

	if (load->loader == LOADER_INITRD)
		return load->limit;
	if (vm.boot.long_mode) {	/* bzImage: boot_params */
		load->gpa = ram_get(SHIM_BOOT_PARAMS_GPA + BP_RAMDISK_IMAGE, 4);
		load->size = ram_get(SHIM_BOOT_PARAMS_GPA + BP_RAMDISK_SIZE, 4);
		memcpy(&addr_max, load->kernel + BP_INITRD_ADDR_MAX, 4);
		return (uint64_t)addr_max + 1;
	}
	load->gpa = load->size = 0;
	if (ram_get(SHIM_BOOT_PARAMS_GPA + HVM_NR_MODULES, 4)) {
		uint64_t list = ram_get(SHIM_BOOT_PARAMS_GPA + HVM_MODLIST_PADDR, 8);

		if (list > vm.mem.size - 16)
			fuzz_fail("PVH module list at %#llx, outside RAM", (unsigned long long)list);
		load->gpa = ram_get(list, 8);
		load->size = ram_get(list + 8, 8);
	}
	return SHIM_MAX_RAM;
}

static void check_initrd(struct load *load)
{
	uint64_t limit = initrd_told(load);
	uint64_t floor = load->loader == LOADER_INITRD ? load->floor : SHIM_HIGH_RAM;

	if (!options.initrd) {
		if (load->size)
			fuzz_fail("an initrd of %llu bytes where none was given",
				  (unsigned long long)load->size);
		return;
	}
	if (!load->size && !load->initrd_size)
		return;		/* an empty file: PVH leaves the module out */
	if (load->size != load->initrd_size || load->gpa % SHIM_PAGE_SIZE || load->gpa < floor ||
	    load->gpa > vm.mem.size || load->size > vm.mem.size - load->gpa ||
	    load->gpa + load->size > limit)
		fuzz_fail("initrd of %zu bytes placed at %#llx (%llu bytes): RAM %#llx, floor %#llx, "
			  "limit %#llx", load->initrd_size, (unsigned long long)load->gpa,
			  (unsigned long long)load->size, (unsigned long long)vm.mem.size,
			  (unsigned long long)floor, (unsigned long long)limit);
	if (load->size && memcmp(vm.mem.ram + load->gpa, load->initrd, load->size) != 0)
		fuzz_fail("the initrd in guest RAM differs from the file");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_ram ram;
	struct fuzz_input in = { data, size };
	struct load load = { 0 };
	uint8_t *kernel;

	if (!ram.base)
		fuzz_ram_init(&ram, RAM_MAX);
	parse(&in, &load);
	vm.mem.ram = fuzz_ram_get(&ram, vm.mem.size);
	vm.boot = (struct shim_boot){ 0 };
	/* The shim loads from a malloc'd copy of the file, aligned as malloc aligns. */
	kernel = malloc(load.kernel_size ? load.kernel_size : 1);
	if (!kernel)
		fuzz_fail("out of memory");
	if (load.kernel_size)
		memcpy(kernel, load.kernel, load.kernel_size);
	load.kernel = kernel;
	fuzz_serve_file(load.initrd, load.initrd_size);
	if (run_loader(&load)) {
		check_initrd(&load);
		if (fuzz_verbose())
			fuzz_report("loaded: entry %#llx, initrd %llu bytes at %#llx\n",
				    (unsigned long long)vm.boot.rip, (unsigned long long)load.size,
				    (unsigned long long)load.gpa);
	}
	fuzz_release_file();
	free(kernel);
	fuzz_ram_put(&ram, vm.mem.ram, vm.mem.size);
	return 0;
}
