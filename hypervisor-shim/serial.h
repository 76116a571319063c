/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A 16550 UART (the guest's ttyS0) wired to the shim's stdout and stdin:
 * enough for Linux's 8250 driver, interrupts included (IRQ 4).
 *
 * It also watches the console for Linux's panic banner: the stock kernel
 * has no device it could signal a panic to, so the line it prints is the
 * only robust sign (see README, "Exit statuses").
 */
#ifndef SHIM_SERIAL_H
#define SHIM_SERIAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define SERIAL_RX_FIFO 64
#define SERIAL_LINE_MAX 256
/* Console bytes gathered before one write(2): a line, or this much. */
#define SERIAL_OUT_BUFFER 4096
/* The default cap on what the guest may print (--console-limit). */
#define SERIAL_DEFAULT_LIMIT (64ULL << 20)

struct shim_serial {
	pthread_mutex_t lock;
	int vm_fd;			/* for KVM_IRQ_LINE; -1 in tests */
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	bool thr_interrupt;		/* THR empty interrupt pending */
	bool irq_level;
	uint8_t rx[SERIAL_RX_FIFO];
	unsigned rx_head, rx_count;
	/* The console line being assembled, for the panic watch. */
	char line[SERIAL_LINE_MAX];
	unsigned line_len;
	bool panic_seen;		/* "Kernel panic - not syncing" printed */
	bool panic_done;		/* and the "end Kernel panic" trailer */
	/*
	 * Console output: buffered, so a flood costs one write(2) per line or
	 * per SERIAL_OUT_BUFFER bytes, not per byte; capped at out_limit bytes
	 * in all, after which it is dropped with one line on stderr (the panic
	 * watch still sees it). A hostile guest cannot fill the host's disk.
	 */
	uint8_t out[SERIAL_OUT_BUFFER];
	unsigned out_len;
	uint64_t out_total;		/* bytes accepted so far, buffered included */
	uint64_t out_limit;
	bool out_capped;
	int out_fd;			/* stdout */
};

/* The UART, raising IRQs through vm_fd (-1: none), printing at most limit bytes. */
void serial_init(struct shim_serial *serial, int vm_fd, uint64_t limit);
/*
 * Starts the thread that feeds stdin to the UART (when stdin is readable),
 * and the one that writes out a partial line (a shell prompt) soon.
 */
void serial_start_input(struct shim_serial *serial);
/* Writes out what the guest printed and is still buffered. */
void serial_flush(struct shim_serial *serial);
void serial_out(struct shim_serial *serial, unsigned offset, uint8_t value);
uint8_t serial_in(struct shim_serial *serial, unsigned offset);
bool serial_panic_seen(struct shim_serial *serial);
bool serial_panic_done(struct shim_serial *serial);

#endif /* SHIM_SERIAL_H */
