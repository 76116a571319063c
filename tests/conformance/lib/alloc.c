/* Page-aligned, zeroed memory from a static pool; the suite never frees. */
#include "conf.h"

#define PAGE_SIZE 4096
#define POOL_PAGES 1024         /* 4 MiB: page tables, data areas, ROM copies */

static uint8_t pool[POOL_PAGES * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static size_t pool_used;

void *alloc_pages(size_t pages)
{
	void *p;

	if (pages > POOL_PAGES - pool_used)
		conf_abort("page pool exhausted (%zu pages asked, %zu free)",
			   pages, (size_t)POOL_PAGES - pool_used);
	p = pool + pool_used * PAGE_SIZE;
	pool_used += pages;
	memset(p, 0, pages * PAGE_SIZE);
	return p;
}
