/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * mprotect_loop [OPS]: one operation is one mprotect of a populated
 * REGION_PAGES-page region, alternately read-only and read-write, so each
 * call rewrites every PTE of the region.
 */
#include <sys/mman.h>

#include "bench.h"

#define PAGE_BYTES 4096UL
#define REGION_PAGES 64UL

static unsigned char *region;
static int writable = 1;

static void flip_protection(void)
{
	writable = !writable;
	if (mprotect(region, REGION_PAGES * PAGE_BYTES,
		     writable ? PROT_READ | PROT_WRITE : PROT_READ))
		bench_die("mprotect_loop", "mprotect");
}

int main(int argc, char **argv)
{
	long ops = bench_arg(argc, argv, 1, 1000);
	unsigned long page;

	region = mmap(NULL, REGION_PAGES * PAGE_BYTES, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		bench_die("mprotect_loop", "mmap");
	for (page = 0; page < REGION_PAGES; page++)
		region[page * PAGE_BYTES] = 1;
	BENCH_RUN("mprotect", ops, flip_protection());
	return 0;
}
