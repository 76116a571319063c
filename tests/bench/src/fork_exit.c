/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* fork_exit [OPS]: fork, the child exits at once, the parent waits. */
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

static void fork_exit_wait(void)
{
	int status;
	pid_t child = fork();

	if (child < 0)
		bench_die("fork_exit", "fork");
	if (child == 0)
		_exit(0);
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status))
		bench_die("fork_exit", "waitpid");
}

int main(int argc, char **argv)
{
	long ops = bench_arg(argc, argv, 1, 200);

	BENCH_RUN("fork_exit", ops, fork_exit_wait());
	return 0;
}
