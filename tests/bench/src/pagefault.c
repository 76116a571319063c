/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * pagefault [OPS]: one operation is one write fault on a fresh anonymous
 * page. The pages of a fixed window are touched in turn; when the window
 * is used up, MADV_DONTNEED drops them so the next round faults again
 * (one madvise per WINDOW_PAGES faults is part of the figure).
 */
#include <sys/mman.h>

#include "bench.h"

#define PAGE_BYTES 4096UL
#define WINDOW_PAGES 256UL

static volatile unsigned char *window;
static unsigned long next_page;

static void fault_one_page(void)
{
	if (next_page == WINDOW_PAGES) {
		if (madvise((void *)window, WINDOW_PAGES * PAGE_BYTES, MADV_DONTNEED))
			bench_die("pagefault", "madvise");
		next_page = 0;
	}
	window[next_page++ * PAGE_BYTES] = 1;
}

int main(int argc, char **argv)
{
	long ops = bench_arg(argc, argv, 1, 4096);

	window = mmap(NULL, WINDOW_PAGES * PAGE_BYTES, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (window == MAP_FAILED)
		bench_die("pagefault", "mmap");
	BENCH_RUN("pagefault", ops, fault_one_page());
	return 0;
}
