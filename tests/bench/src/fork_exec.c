/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * fork_exec [OPS]: fork, the child execs the smallest static program
 * (bench_true, no libc), the parent waits.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define TRUE_PROGRAM "/bench/bench_true"

static void fork_exec_wait(void)
{
	static char *const child_argv[] = { TRUE_PROGRAM, NULL };
	static char *const child_env[] = { NULL };
	int status;
	pid_t child = fork();

	if (child < 0)
		bench_die("fork_exec", "fork");
	if (child == 0) {
		execve(TRUE_PROGRAM, child_argv, child_env);
		_exit(127);
	}
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		bench_die("fork_exec", "exec of " TRUE_PROGRAM);
}

int main(int argc, char **argv)
{
	long ops = bench_arg(argc, argv, 1, 100);

	BENCH_RUN("fork_exec", ops, fork_exec_wait());
	return 0;
}
