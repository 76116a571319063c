// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host tests of the console (console.c) over pipes: everything printed
 * arrives in order through the writer thread, the cap keeps its limit and
 * the tail past it, and a reader that never reads cannot keep the VM from
 * ending: console_stop frees a vCPU waiting for room, console_drain gives up.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "unit.h"

#define BYTES 300000

static int pipe_pair(int fds[2])
{
	if (pipe(fds) != 0)
		return -1;
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	return 0;
}

/* What the read end holds now, up to size bytes. */
static size_t drain_pipe(int fd, uint8_t *buf, size_t size)
{
	size_t got = 0;
	ssize_t n;

	while (got < size && (n = read(fd, buf + got, size - got)) > 0)
		got += (size_t)n;
	return got;
}

struct reader {
	int fd;
	uint8_t *buf;
	size_t got;
};

static void *read_all(void *arg)
{
	struct reader *r = arg;
	ssize_t n;

	fcntl(r->fd, F_SETFL, 0);
	while ((n = read(r->fd, r->buf + r->got, BYTES - r->got)) > 0)
		r->got += (size_t)n;
	return NULL;
}

static void test_in_order(void)
{
	static struct shim_console console;
	static uint8_t got[BYTES];
	struct reader reader = { .buf = got };
	pthread_t thread;
	int fds[2], ok = 1;

	if (pipe_pair(fds))
		return;
	reader.fd = fds[0];
	console_init(&console, fds[1], 1ULL << 30);
	pthread_create(&thread, NULL, read_all, &reader);
	check(console_start(&console), "the writer thread starts", 0);
	for (int i = 0; i < BYTES; i++)
		console_put(&console, (uint8_t)(i * 7));
	console_drain(&console, 2000);
	close(fds[1]);
	pthread_join(thread, NULL);
	for (int i = 0; i < BYTES && ok; i++)
		ok = got[i] == (uint8_t)(i * 7);
	check(reader.got == BYTES && ok, "300000 bytes through the ring arrive in order",
	      (long long)reader.got);
	close(fds[0]);
}

static void test_cap_and_tail(void)
{
	static struct shim_console console;
	static uint8_t got[20000];
	const char *marker = "Kernel panic - not syncing";
	size_t n;
	int fds[2];

	if (pipe_pair(fds))
		return;
	console_init(&console, fds[1], 1000);
	for (int i = 0; i < 10000; i++)
		console_put(&console, 'a');
	for (size_t i = 0; i < strlen(marker); i++)
		console_put(&console, (uint8_t)marker[i]);
	n = drain_pipe(fds[0], got, sizeof(got));
	check(n == 1000, "the cap lets its limit through", (long long)n);
	console_drain(&console, 100);
	n = drain_pipe(fds[0], got, sizeof(got) - 1);
	got[n] = 0;
	check(strstr((char *)got, "bytes past the console limit") && n > CONSOLE_TAIL &&
	      n < CONSOLE_TAIL + 200 && strstr((char *)got, marker),
	      "the last bytes past the cap are printed at the end", (long long)n);
	close(fds[0]);
	close(fds[1]);
}

/* A vCPU printing to a stdout nobody reads: stuck until the VM ends. */
static void *put_forever(void *arg)
{
	for (int i = 0; i < 4 * CONSOLE_RING + 262144; i++)
		console_put(arg, 'x');
	return NULL;
}

static void test_stuck_reader(void)
{
	static struct shim_console console;
	pthread_t thread;
	int fds[2];

	if (pipe_pair(fds))
		return;
	console_init(&console, fds[1], 1ULL << 30);
	console_start(&console);
	pthread_create(&thread, NULL, put_forever, &console);
	usleep(200000);		/* the pipe and the ring fill up */
	console_stop(&console);
	pthread_join(thread, NULL);
	/* Reaching these lines is the test: a hang ends it at the alarm. */
	check(console.stopping, "console_stop frees a vCPU waiting for a reader that never reads", 0);
	console_drain(&console, 100);
	check(console.len > 0, "console_drain gives up on a reader that never reads",
	      (long long)console.len);
}

int main(void)
{
	alarm(30);	/* a console that hangs fails the test instead of the run */
	test_in_order();
	test_cap_and_tail();
	test_stuck_reader();
	return unit_summary();
}
