/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * pipe_pingpong [OPS]: a parent and a child pass one byte back and forth
 * over two pipes. One operation is one round trip: two context switches
 * on a single CPU.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

static int to_child[2], to_parent[2];

static void pass_byte(int out, int in, const char *who)
{
	char byte = 'x';

	if (write(out, &byte, 1) != 1 || read(in, &byte, 1) != 1)
		bench_die("pipe_pingpong", who);
}

static void child_echo_forever(void)
{
	char byte;

	while (read(to_child[0], &byte, 1) == 1)
		if (write(to_parent[1], &byte, 1) != 1)
			_exit(1);
	_exit(0);
}

int main(int argc, char **argv)
{
	long ops = bench_arg(argc, argv, 1, 1000);
	pid_t child;
	int status;

	if (pipe(to_child) || pipe(to_parent))
		bench_die("pipe_pingpong", "pipe");
	child = fork();
	if (child < 0)
		bench_die("pipe_pingpong", "fork");
	if (child == 0) {
		close(to_child[1]);
		child_echo_forever();
	}
	close(to_child[0]);
	BENCH_RUN("pipe_pingpong", ops, pass_byte(to_child[1], to_parent[0], "round trip"));
	close(to_child[1]);	/* the child's read sees end of file */
	if (waitpid(child, &status, 0) != child)
		bench_die("pipe_pingpong", "waitpid");
	return 0;
}
