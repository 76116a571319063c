// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Guest memory access and the guest page-table walker. */
#include <string.h>

#include <vmi/vmi_abi.h>

#include "gmem.h"

/* Bytes from va to the end of its 4 KiB page. */
#define SHIM_PAGE_REMAINDER(va) (0x1000ULL - ((va) & 0xfffULL))

void *gmem_phys(const struct gmem *mem, uint64_t gpa, uint64_t len)
{
	if (gpa > mem->size || len > mem->size - gpa)
		return NULL;
	return mem->ram + gpa;
}

uint64_t gmem_load64(const void *p)
{
	uint64_t value;

	memcpy(&value, p, sizeof(value));
	return value;
}

void gmem_store64(void *p, uint64_t value)
{
	memcpy(p, &value, sizeof(value));
}

static bool is_canonical(uint64_t va)
{
	int64_t sign_extended = (int64_t)(va << 16) >> 16;

	return (uint64_t)sign_extended == va;
}

/* Offset bits a leaf at this level keeps from the virtual address. */
static uint64_t leaf_offset_mask(int level)
{
	return (1ULL << (GMEM_PAGE_SHIFT + 9 * (level - 1))) - 1;
}

int gmem_walk(const struct gmem *mem, uint64_t cr3, uint64_t gva, struct gmem_walk *walk,
	      uint64_t *gpa)
{
	uint64_t table = cr3 & GMEM_PTE_ADDR_MASK;
	int level;

	walk->levels = 0;
	if (!is_canonical(gva))
		return VMI_E_FAULT;
	for (level = 4; level >= 1; level--) {
		unsigned index = (gva >> (GMEM_PAGE_SHIFT + 9 * (level - 1))) & 511;
		const uint8_t *slot = gmem_phys(mem, table + index * 8ULL, 8);
		uint64_t entry;

		if (!slot)
			return VMI_E_FAULT;
		entry = gmem_load64(slot);
		walk->entry[walk->levels++] = entry;
		if (!(entry & GMEM_PTE_PRESENT))
			return VMI_E_FAULT;
		if (level == 1 || ((level == 2 || level == 3) && (entry & GMEM_PTE_LARGE))) {
			uint64_t mask = leaf_offset_mask(level);

			*gpa = (entry & GMEM_PTE_ADDR_MASK & ~mask) | (gva & mask);
			return gmem_phys(mem, *gpa, 1) ? VMI_OK : VMI_E_FAULT;
		}
		table = entry & GMEM_PTE_ADDR_MASK;
	}
	return VMI_E_FAULT;
}

int gmem_translate(const struct gmem *mem, const struct gmem_mmu *mmu,
		   uint64_t gva, uint64_t *gpa)
{
	struct gmem_walk walk;

	if (!mmu->paging) {
		*gpa = gva;
		return gmem_phys(mem, gva, 1) ? VMI_OK : VMI_E_FAULT;
	}
	if (!mmu->long_mode)
		return VMI_E_FAULT;
	return gmem_walk(mem, mmu->cr3, gva, &walk, gpa);
}

/* Walks [gva, gva + len) a page at a time, copying in the given direction. */
static int copy_virt(const struct gmem *mem, const struct gmem_mmu *mmu,
		     uint64_t gva, uint8_t *buf, uint64_t len, bool to_guest)
{
	while (len) {
		uint64_t in_page = SHIM_PAGE_REMAINDER(gva);
		uint64_t chunk = len < in_page ? len : in_page;
		uint64_t gpa;
		uint8_t *host;

		if (gmem_translate(mem, mmu, gva, &gpa) != VMI_OK)
			return VMI_E_FAULT;
		host = gmem_phys(mem, gpa, chunk);
		if (!host)
			return VMI_E_FAULT;
		if (to_guest)
			memcpy(host, buf, chunk);
		else
			memcpy(buf, host, chunk);
		gva += chunk;
		buf += chunk;
		len -= chunk;
	}
	return VMI_OK;
}

int gmem_read_virt(const struct gmem *mem, const struct gmem_mmu *mmu,
		   uint64_t gva, void *buf, uint64_t len)
{
	return copy_virt(mem, mmu, gva, buf, len, false);
}

int gmem_write_virt(const struct gmem *mem, const struct gmem_mmu *mmu,
		    uint64_t gva, const void *buf, uint64_t len)
{
	return copy_virt(mem, mmu, gva, (uint8_t *)buf, len, true);
}
