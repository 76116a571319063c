/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Guest memory as the VMM sees it: one flat buffer of guest RAM starting at
 * guest-physical 0, and a page-table walker for guest-virtual addresses.
 *
 * Everything here treats the guest as hostile: every address, length and
 * table entry is bounds-checked against the buffer before it is touched.
 * No KVM in here, so the fuzz target links it with a plain buffer.
 */
#ifndef SHIM_GMEM_H
#define SHIM_GMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gmem {
	uint8_t *ram;
	uint64_t size;
};

/* How the calling vCPU translates: from KVM_GET_SREGS. */
struct gmem_mmu {
	uint64_t cr3;
	bool paging;	/* CR0.PG */
	bool long_mode;	/* EFER.LMA: 4-level tables; legacy paging is not walked */
	bool write_protect;	/* CR0.WP: supervisor writes honour read-only entries */
};

#define GMEM_PTE_PRESENT (1ULL << 0)
#define GMEM_PTE_WRITABLE (1ULL << 1)
#define GMEM_PTE_ACCESSED (1ULL << 5)
#define GMEM_PTE_DIRTY (1ULL << 6)
#define GMEM_PTE_LARGE (1ULL << 7)
#define GMEM_PTE_ADDR_MASK 0x000ffffffffff000ULL
#define GMEM_PT_ENTRIES 512
#define GMEM_PAGE_SHIFT 12

/* A pointer to guest-physical [gpa, gpa + len), or NULL when outside RAM. */
void *gmem_phys(const struct gmem *mem, uint64_t gpa, uint64_t len);

/* The entries one 4-level walk read, top level first. */
struct gmem_walk {
	uint64_t entry[4];
	int levels;	/* how many were read: the walk stops at a leaf or a hole */
};

/*
 * Walks gva through the 4-level tables at cr3, recording each entry it
 * reads. Returns 0 (VMI_OK) with *gpa set, or VMI_E_FAULT when the address
 * is non-canonical, not mapped, or a table lies outside RAM; walk->levels
 * then says where it stopped.
 */
int gmem_walk(const struct gmem *mem, uint64_t cr3, uint64_t gva, struct gmem_walk *walk,
	      uint64_t *gpa);

/*
 * Translates gva through the 4-level tables at mmu->cr3 (4K, 2M and 1G
 * pages), or identity when paging is off. Returns 0 (VMI_OK) with *gpa set,
 * or VMI_E_FAULT when the address is non-canonical, not mapped, or a table
 * lies outside RAM.
 */
int gmem_translate(const struct gmem *mem, const struct gmem_mmu *mmu,
		   uint64_t gva, uint64_t *gpa);

/* The most bytes one gmem_read_virt or gmem_write_virt moves. */
#define GMEM_MAX_COPY 4096

/*
 * Copies len (<= GMEM_MAX_COPY) bytes from/to guest-virtual gva; 0 or
 * VMI_E_FAULT. All or nothing: every page is translated (for a write,
 * through entries that allow it when CR0.WP is set) before a byte moves,
 * so a fault leaves guest memory as it was. A range that runs past 2^64
 * faults. Guest memory is read once, with atomic loads: another vCPU may
 * be writing it.
 */
int gmem_read_virt(const struct gmem *mem, const struct gmem_mmu *mmu,
		   uint64_t gva, void *buf, uint64_t len);
int gmem_write_virt(const struct gmem *mem, const struct gmem_mmu *mmu,
		    uint64_t gva, const void *buf, uint64_t len);

/*
 * Reads/writes a little-endian u64 at a guest-physical address known to be
 * in RAM and 8-byte aligned. Atomic (relaxed): vCPUs write guest memory
 * while the VMM reads it, and a torn or cached read would be a bug.
 */
uint64_t gmem_load64(const void *p);
void gmem_store64(void *p, uint64_t value);

/*
 * The fuzz targets stand in for a vCPU that writes guest memory while the
 * VMM reads it: built with SHIM_FUZZ_GUEST_WRITES, every read of guest
 * memory is followed by a call of this hook, which may change what was read.
 */
#ifdef SHIM_FUZZ_GUEST_WRITES
void gmem_fuzz_after_read(const void *host, uint64_t len);
#define GMEM_AFTER_READ(host, len) gmem_fuzz_after_read((host), (len))
#else
#define GMEM_AFTER_READ(host, len) ((void)0)
#endif

#endif /* SHIM_GMEM_H */
