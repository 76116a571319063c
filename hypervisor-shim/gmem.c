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
	uint64_t value = __atomic_load_n((const uint64_t *)p, __ATOMIC_RELAXED);

	GMEM_AFTER_READ(p, sizeof(value));
	return value;
}

void gmem_store64(void *p, uint64_t value)
{
	__atomic_store_n((uint64_t *)p, value, __ATOMIC_RELAXED);
}

/* Byte copies another thread may race with: atomic on the guest's side. */
static void load_bytes(uint8_t *to, const uint8_t *guest, uint64_t len)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		to[i] = __atomic_load_n(&guest[i], __ATOMIC_RELAXED);
	GMEM_AFTER_READ(guest, len);
}

static void store_bytes(uint8_t *guest, const uint8_t *from, uint64_t len)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		__atomic_store_n(&guest[i], from[i], __ATOMIC_RELAXED);
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

/* Translates like hardware does for a supervisor access, writes included. */
static int translate_access(const struct gmem *mem, const struct gmem_mmu *mmu, uint64_t gva,
			    bool write, uint64_t *gpa)
{
	struct gmem_walk walk;
	int i, result;

	if (!mmu->paging) {
		*gpa = gva;
		return gmem_phys(mem, gva, 1) ? VMI_OK : VMI_E_FAULT;
	}
	if (!mmu->long_mode)
		return VMI_E_FAULT;
	result = gmem_walk(mem, mmu->cr3, gva, &walk, gpa);
	if (result != VMI_OK || !write || !mmu->write_protect)
		return result;
	for (i = 0; i < walk.levels; i++)
		if (!(walk.entry[i] & GMEM_PTE_WRITABLE))
			return VMI_E_FAULT;
	return VMI_OK;
}

int gmem_translate(const struct gmem *mem, const struct gmem_mmu *mmu,
		   uint64_t gva, uint64_t *gpa)
{
	return translate_access(mem, mmu, gva, false, gpa);
}

/* The pieces of one copy: at most GMEM_MAX_COPY bytes span two pages. */
struct copy_plan {
	uint8_t *host[2];
	uint64_t len[2];
	int pieces;
};

/* Translates every page of [gva, gva + len) before anything is copied. */
static int plan_copy(const struct gmem *mem, const struct gmem_mmu *mmu, uint64_t gva,
		     uint64_t len, bool write, struct copy_plan *plan)
{
	plan->pieces = 0;
	if (len > GMEM_MAX_COPY || (len && gva + (len - 1) < gva))
		return VMI_E_FAULT;	/* too long, or runs past 2^64 */
	while (len) {
		uint64_t in_page = SHIM_PAGE_REMAINDER(gva);
		uint64_t chunk = len < in_page ? len : in_page;
		uint64_t gpa;
		uint8_t *host;

		if (translate_access(mem, mmu, gva, write, &gpa) != VMI_OK)
			return VMI_E_FAULT;
		host = gmem_phys(mem, gpa, chunk);
		if (!host)
			return VMI_E_FAULT;
		plan->host[plan->pieces] = host;
		plan->len[plan->pieces++] = chunk;
		gva += chunk;
		len -= chunk;
	}
	return VMI_OK;
}

int gmem_read_virt(const struct gmem *mem, const struct gmem_mmu *mmu,
		   uint64_t gva, void *buf, uint64_t len)
{
	struct copy_plan plan;
	uint8_t *to = buf;
	int i;

	if (plan_copy(mem, mmu, gva, len, false, &plan) != VMI_OK)
		return VMI_E_FAULT;
	for (i = 0; i < plan.pieces; i++) {
		load_bytes(to, plan.host[i], plan.len[i]);
		to += plan.len[i];
	}
	return VMI_OK;
}

int gmem_write_virt(const struct gmem *mem, const struct gmem_mmu *mmu,
		    uint64_t gva, const void *buf, uint64_t len)
{
	struct copy_plan plan;
	const uint8_t *from = buf;
	int i;

	if (plan_copy(mem, mmu, gva, len, true, &plan) != VMI_OK)
		return VMI_E_FAULT;
	for (i = 0; i < plan.pieces; i++) {
		store_bytes(plan.host[i], from, plan.len[i]);
		from += plan.len[i];
	}
	return VMI_OK;
}
