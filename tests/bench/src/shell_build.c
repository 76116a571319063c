/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * shell_build [OPS]: the macro workload. One operation "builds" one unit
 * with the shell script /bench/build-unit.sh (generate, transform, sort,
 * hash, archive: a dozen fork+exec of busybox applets), so the figure is
 * a mix of process creation, small files and page-table churn.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define UNIT_SCRIPT "/bench/build-unit.sh"

static long unit_number;

static void build_one_unit(void)
{
	char unit[24];
	char *const argv[] = { "/bin/sh", UNIT_SCRIPT, unit, NULL };
	int status;
	pid_t child;

	snprintf(unit, sizeof(unit), "%ld", unit_number++);
	child = fork();
	if (child < 0)
		bench_die("shell_build", "fork");
	if (child == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		bench_die("shell_build", UNIT_SCRIPT " failed");
}

int main(int argc, char **argv)
{
	long ops = bench_arg(argc, argv, 1, 20);

	BENCH_RUN("shell_build", ops, build_one_unit());
	return 0;
}
