// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * PVH ELF guests, the entry convention QEMU's -kernel also understands:
 * PT_LOAD segments at their physical addresses, entry from the
 * XEN_ELFNOTE_PHYS32_ENTRY note, in 32-bit protected mode with paging off,
 * flat CS/DS, %ebx = address of an hvm_start_info with the memory map.
 */
#include <elf.h>
#include <string.h>

#include "layout.h"
#include "shim.h"

/* Xen's public ABI (arch/x86/include/asm/xen/hypervisor.h, start_info.h). */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define HVM_START_MAGIC 0x336ec578
#define HVM_START_VERSION 1

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

bool boot_is_elf(const uint8_t *image, size_t size)
{
	return size >= SELFMAG && memcmp(image, ELFMAG, SELFMAG) == 0;
}

/* Is [offset, offset + length) inside a file of size bytes? */
static bool in_file(uint64_t offset, uint64_t length, size_t size)
{
	return offset <= size && length <= size - offset;
}

static const Elf64_Ehdr *check_header(const uint8_t *image, size_t size, const char *path)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)image;

	if (size < sizeof(*eh) || image[EI_CLASS] != ELFCLASS64)
		shim_usage_error("%s: only 64-bit ELF (ELFCLASS64) PVH guests are supported", path);
	if (eh->e_machine != EM_X86_64)
		shim_usage_error("%s: ELF for machine %u, not x86-64", path, eh->e_machine);
	if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    !in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), size))
		shim_usage_error("%s: ELF program headers lie outside the file", path);
	return eh;
}

/* Returns the PVH entry from one PT_NOTE segment, or 0 if it has none. */
static uint64_t find_pvh_note(const uint8_t *notes, uint64_t length)
{
	uint64_t at = 0;

	while (length - at >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		uint64_t name_at, desc_at, next;

		memcpy(&nh, notes + at, sizeof(nh));
		name_at = at + sizeof(nh);
		desc_at = name_at + (((uint64_t)nh.n_namesz + 3) & ~3ULL);
		next = desc_at + (((uint64_t)nh.n_descsz + 3) & ~3ULL);
		if (next > length)
			return 0;
		if (nh.n_type == XEN_ELFNOTE_PHYS32_ENTRY && nh.n_namesz == 4 &&
		    memcmp(notes + name_at, "Xen", 4) == 0 && (nh.n_descsz == 4 || nh.n_descsz == 8)) {
			uint32_t entry;

			memcpy(&entry, notes + desc_at, 4);
			return entry;
		}
		at = next;
	}
	return 0;
}

/* Loads one PT_LOAD segment; returns where it ends in guest memory. */
static uint64_t load_segment(struct shim_vm *vm, const uint8_t *image, const Elf64_Phdr *ph,
			     const char *path)
{
	if (!in_file(ph->p_offset, ph->p_filesz, SIZE_MAX) || ph->p_filesz > ph->p_memsz)
		shim_usage_error("%s: ELF segment with a bad size", path);
	if (ph->p_paddr < SHIM_HIGH_RAM)
		shim_usage_error("%s: ELF segment at %#llx, below 1 MiB where the shim keeps its tables",
				 path, (unsigned long long)ph->p_paddr);
	if (ph->p_paddr > vm->mem.size || ph->p_memsz > vm->mem.size - ph->p_paddr)
		shim_usage_error("memory too small for the kernel: segment ends at %#llx, -m gives %llu MiB",
				 (unsigned long long)(ph->p_paddr + ph->p_memsz),
				 (unsigned long long)(vm->mem.size >> 20));
	memcpy(vm->mem.ram + ph->p_paddr, image + ph->p_offset, ph->p_filesz);
	memset(vm->mem.ram + ph->p_paddr + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
	return ph->p_paddr + ph->p_memsz;
}

/* Loads every PT_LOAD; returns the PVH entry point, *end where the last segment ends. */
static uint64_t load_elf(struct shim_vm *vm, const uint8_t *image, size_t size, uint64_t *end)
{
	const char *path = vm->opts->kernel;
	const Elf64_Ehdr *eh = check_header(image, size, path);
	uint64_t entry = 0;
	int i;

	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, image + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (!in_file(ph.p_offset, ph.p_filesz, size))
			shim_usage_error("%s: ELF segment %d lies outside the file", path, i);
		if (ph.p_type == PT_LOAD) {
			uint64_t segment_end = load_segment(vm, image, &ph, path);

			*end = segment_end > *end ? segment_end : *end;
		}
		else if (ph.p_type == PT_NOTE && !entry)
			entry = find_pvh_note(image + ph.p_offset, ph.p_filesz);
	}
	if (!entry)
		shim_usage_error("%s: ELF without a PVH entry note (Xen note type %d)", path,
				 XEN_ELFNOTE_PHYS32_ENTRY);
	return entry;
}

static void write_start_info(struct shim_vm *vm, uint64_t kernel_end)
{
	struct hvm_start_info info = { .magic = HVM_START_MAGIC, .version = HVM_START_VERSION };
	struct e820_entry map[E820_MAX_ENTRIES];
	struct hvm_memmap_entry *out = (void *)(vm->mem.ram + SHIM_PVH_MEMMAP_GPA);
	struct hvm_modlist_entry module = { 0 };
	const char *append = vm->opts->append ? vm->opts->append : "";
	int entries = memmap_build(vm, map), i;

	if (strlen(append) >= SHIM_CMDLINE_MAX)
		shim_usage_error("--append is %zu bytes; at most %llu", strlen(append),
				 (unsigned long long)SHIM_CMDLINE_MAX - 1);
	memcpy(vm->mem.ram + SHIM_CMDLINE_GPA, append, strlen(append) + 1);
	for (i = 0; i < entries; i++)
		out[i] = (struct hvm_memmap_entry){ map[i].addr, map[i].size, map[i].type, 0 };
	boot_load_initrd(vm, kernel_end, SHIM_MAX_RAM, &module.paddr, &module.size);
	if (module.size) {
		memcpy(vm->mem.ram + SHIM_PVH_MODLIST_GPA, &module, sizeof(module));
		info.nr_modules = 1;
		info.modlist_paddr = SHIM_PVH_MODLIST_GPA;
	}
	info.cmdline_paddr = SHIM_CMDLINE_GPA;
	info.rsdp_paddr = acpi_build(vm);
	info.memmap_paddr = SHIM_PVH_MEMMAP_GPA;
	info.memmap_entries = (uint32_t)entries;
	memcpy(vm->mem.ram + SHIM_BOOT_PARAMS_GPA, &info, sizeof(info));
}

static void set_entry_state(struct shim_vm *vm, uint64_t entry)
{
	vm->boot = (struct shim_boot){
		.long_mode = false, .rip = entry, .rbx = SHIM_BOOT_PARAMS_GPA,
		.cr0 = 0x11,	/* PE, ET; paging off */
	};
}

void boot_pvh(struct shim_vm *vm, const uint8_t *image, size_t size)
{
	uint64_t end = SHIM_HIGH_RAM;
	uint64_t entry = load_elf(vm, image, size, &end);

	write_start_info(vm, end);
	boot_write_gdt(vm);
	set_entry_state(vm, entry);
}
