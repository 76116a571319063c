/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* syscall_null [OPS]: the cheapest system call, getppid, made directly. */
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

static void null_syscall(void)
{
	if (syscall(SYS_getppid) < 0)
		bench_die("syscall", "getppid");
}

int main(int argc, char **argv)
{
	long ops = bench_arg(argc, argv, 1, 10000);

	BENCH_RUN("syscall", ops, null_syscall());
	return 0;
}
