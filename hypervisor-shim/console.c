// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The guest's console output: a bounded ring, one writer thread, a cap. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "console.h"

void console_init(struct shim_console *console, int fd, uint64_t limit)
{
	memset(console, 0, sizeof(*console));
	pthread_mutex_init(&console->lock, NULL);
	pthread_cond_init(&console->queued, NULL);
	pthread_cond_init(&console->room, NULL);
	console->fd = fd;
	console->limit = limit;
}

/* A closed stdout must not stop the guest: what cannot be written is dropped. */
static void write_all(int fd, const uint8_t *data, size_t length)
{
	while (length) {
		ssize_t written = write(fd, data, length);

		if (written < 0 && errno == EINTR)
			continue;
		if (written <= 0)
			return;
		data += written;
		length -= (size_t)written;
	}
}

/* How long a line without its newline may wait (a shell prompt). */
#define PARTIAL_LINE_MS 20

static struct timespec after_ms(unsigned ms);

/*
 * The bytes to write next: up to the last newline, so the shim's own lines
 * on stderr fall between whole console lines; everything when the ring
 * wraps, fills past half, or the line waited long enough (partial).
 */
static size_t next_chunk(const struct shim_console *console, bool partial)
{
	size_t contiguous = console->len < CONSOLE_RING - console->head ? console->len :
			    CONSOLE_RING - console->head;
	size_t i;

	if (partial || contiguous < console->len || console->len > CONSOLE_RING / 2)
		return contiguous;
	for (i = contiguous; i > 0; i--)
		if (console->ring[console->head + i - 1] == '\n')
			return i;
	return 0;
}

/* Writes out the ring; the bytes it writes stay queued (and untouched) until then. */
static void *writer_thread(void *arg)
{
	struct shim_console *console = arg;

	pthread_mutex_lock(&console->lock);
	for (;;) {
		size_t chunk;

		while (!console->len)
			pthread_cond_wait(&console->queued, &console->lock);
		chunk = next_chunk(console, false);
		if (!chunk) {
			struct timespec deadline = after_ms(PARTIAL_LINE_MS);

			/* Woken by a newline, or the line waited long enough. */
			pthread_cond_timedwait(&console->queued, &console->lock, &deadline);
			chunk = next_chunk(console, false);
			chunk = chunk ? chunk : next_chunk(console, true);
		}
		pthread_mutex_unlock(&console->lock);
		write_all(console->fd, console->ring + console->head, chunk);
		pthread_mutex_lock(&console->lock);
		console->head = (console->head + chunk) % CONSOLE_RING;
		console->len -= chunk;
		pthread_cond_broadcast(&console->room);
	}
	return NULL;
}

bool console_start(struct shim_console *console)
{
	pthread_t thread;

	if (pthread_create(&thread, NULL, writer_thread, console) != 0)
		return false;
	pthread_detach(thread);
	pthread_mutex_lock(&console->lock);
	console->writer = true;
	pthread_mutex_unlock(&console->lock);
	return true;
}

/* Past the cap: the byte goes into the tail, the first one says so. */
static void keep_tail(struct shim_console *console, uint8_t byte)
{
	if (!console->tail_total)
		fprintf(stderr, "\nvmi-shim: console output reached its limit of %" PRIu64
			" bytes; the rest is dropped (its last %d bytes are printed at the end)\n",
			console->limit, CONSOLE_TAIL);
	console->tail[console->tail_total++ % CONSOLE_TAIL] = byte;
}

void console_put(struct shim_console *console, uint8_t byte)
{
	pthread_mutex_lock(&console->lock);
	if (console->total >= console->limit) {
		keep_tail(console, byte);
	} else if (!console->writer) {
		console->total++;
		write_all(console->fd, &byte, 1);
	} else {
		while (console->len == CONSOLE_RING && !console->stopping)
			pthread_cond_wait(&console->room, &console->lock);
		if (console->len < CONSOLE_RING) {
			console->ring[(console->head + console->len++) % CONSOLE_RING] = byte;
			console->total++;
			if (console->len == 1 || byte == '\n')
				pthread_cond_signal(&console->queued);
		}
	}
	pthread_mutex_unlock(&console->lock);
}

void console_stop(struct shim_console *console)
{
	pthread_mutex_lock(&console->lock);
	console->stopping = true;
	pthread_cond_broadcast(&console->room);
	pthread_mutex_unlock(&console->lock);
}

static struct timespec after_ms(unsigned ms)
{
	struct timespec at;

	clock_gettime(CLOCK_REALTIME, &at);
	at.tv_sec += ms / 1000;
	at.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (at.tv_nsec >= 1000000000L) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000L;
	}
	return at;
}

/* The tail past the cap, oldest byte first. */
static void write_tail(struct shim_console *console)
{
	bool wrapped = console->tail_total > CONSOLE_TAIL;
	size_t start = wrapped ? (size_t)(console->tail_total % CONSOLE_TAIL) : 0;
	size_t kept = wrapped ? CONSOLE_TAIL : (size_t)console->tail_total;
	char header[128];
	int n = snprintf(header, sizeof(header), "\nvmi-shim: the last %zu of %" PRIu64
			 " bytes past the console limit:\n", kept, console->tail_total);

	write_all(console->fd, (const uint8_t *)header, (size_t)n);
	write_all(console->fd, console->tail + start, kept - start);
	write_all(console->fd, console->tail, start);
	console->tail_total = 0;
}

void console_drain(struct shim_console *console, unsigned timeout_ms)
{
	pthread_mutex_lock(&console->lock);
	while (console->writer && console->len) {
		size_t before = console->len;
		struct timespec deadline = after_ms(timeout_ms);

		while (console->len == before &&
		       pthread_cond_timedwait(&console->room, &console->lock, &deadline) != ETIMEDOUT)
			;
		if (console->len == before)
			break;	/* nobody reads stdout: give up rather than hang */
	}
	if (console->tail_total)
		write_tail(console);
	pthread_mutex_unlock(&console->lock);
}
