/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the files of the shim's PVH test guest share: the start info the
 * shim hands over, port I/O, the hypercall transport and the console.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include <vmi/vmi_hypercall.h>
#include <vmi/vmi_platform.h>

struct hvm_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	uint32_t memmap_entries, reserved;
};

struct hvm_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

#define HVM_MEMMAP_RAM 1

/* The identity map entry.S builds: 1 GiB, the first 2 MiB in 4 KiB pages. */
extern uint64_t guest_pml4[512], guest_pdpt[512], guest_pd[512], guest_pt[512];
#define GUEST_MAPPED_END (1ULL << 30)

#define PTE_P 0x1ULL
#define PTE_W 0x2ULL
#define PTE_U 0x4ULL
#define PTE_PW (PTE_P | PTE_W)
#define PAGE_SIZE 4096ULL

static inline void outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t value;

	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static inline int64_t hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	int64_t result;

	__asm__ volatile("outl %%eax, %%dx"
			 : "=a"(result)
			 : "a"(nr), "d"(VMI_HC_PORT), "b"(a0), "c"(a1), "S"(a2), "D"(a3)
			 : "memory");
	return result;
}

static inline uint64_t read_cr3(void)
{
	uint64_t cr3;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	return cr3;
}

static inline void flush_tlb(void)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(read_cr3()) : "memory");
}

void putc_serial(char c);
void puts_serial(const char *s);
void put_number(int64_t value);
void put_hex(uint64_t value);
_Noreturn void debug_exit(uint32_t value);
bool starts_with(const char *s, const char *prefix);

/* mode=hostile:NAME (hostile.c): one test, one result line, a debug exit. */
_Noreturn void hostile_main(const struct hvm_start_info *info, const char *name);

#endif /* GUEST_H */
