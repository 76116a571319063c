/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The guest's console output on its way to stdout. The UART queues what
 * the guest prints in a bounded ring; one writer thread drains it, so a
 * slow reader slows the guest (a vCPU waits for room) but never holds the
 * UART, and the VM's end frees every waiter: no vCPU stays blocked on a
 * stdout nobody reads. Output is capped (--console-limit): past the cap it
 * is dropped with one line on stderr, and its last CONSOLE_TAIL bytes are
 * kept and printed when the VM ends, so a panic at the end still shows.
 * Without the writer thread (tests, fuzzing) each queued chunk is written
 * at once.
 */
#ifndef SHIM_CONSOLE_H
#define SHIM_CONSOLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONSOLE_RING 65536
#define CONSOLE_TAIL 4096
/* The default cap on what the guest may print (--console-limit). */
#define CONSOLE_DEFAULT_LIMIT (64ULL << 20)

struct shim_console {
	pthread_mutex_t lock;
	pthread_cond_t queued;		/* bytes to write, or stopping */
	pthread_cond_t room;		/* bytes written, or stopping */
	uint8_t ring[CONSOLE_RING];
	size_t head, len;
	uint8_t tail[CONSOLE_TAIL];	/* the last bytes past the cap */
	uint64_t tail_total;
	uint64_t total;			/* bytes accepted, capped at limit */
	uint64_t limit;
	bool writer;			/* the writer thread runs */
	bool stopping;
	int fd;
};

void console_init(struct shim_console *console, int fd, uint64_t limit);
/* Starts the writer thread; false when it could not start (writes stay direct). */
bool console_start(struct shim_console *console);
/* Queues one byte the guest printed; waits for room unless the VM is ending. */
void console_put(struct shim_console *console, uint8_t byte);
/* The VM is ending: nobody waits for room any more. */
void console_stop(struct shim_console *console);
/* Waits (at most timeout_ms without progress) for the ring to drain, then the tail. */
void console_drain(struct shim_console *console, unsigned timeout_ms);

#endif /* SHIM_CONSOLE_H */
