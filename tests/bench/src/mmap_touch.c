/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * mmap_touch MIB [OPS]: map MIB MiB of anonymous memory, write one byte in
 * every 4 KiB page, unmap it. One operation is the whole cycle, so it
 * covers the page faults and the munmap teardown of that many PTEs.
 */
#include <sys/mman.h>

#include "bench.h"

#define PAGE_BYTES 4096UL

static void map_touch_unmap(size_t bytes)
{
	volatile unsigned char *area = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t offset;

	if (area == MAP_FAILED)
		bench_die("mmap_touch", "mmap");
	for (offset = 0; offset < bytes; offset += PAGE_BYTES)
		area[offset] = 1;
	if (munmap((void *)area, bytes))
		bench_die("mmap_touch", "munmap");
}

int main(int argc, char **argv)
{
	long mib = bench_arg(argc, argv, 1, 1);
	long ops = bench_arg(argc, argv, 2, 16);
	char name[32];

	if (mib > 1024) {
		fprintf(stderr, "mmap_touch: %ld MiB is more than the 1024 MiB this benchmark maps\n", mib);
		return 2;
	}
	snprintf(name, sizeof(name), "mmap_%ldm", mib);
	BENCH_RUN(name, ops, map_touch_unmap((size_t)mib << 20));
	return 0;
}
