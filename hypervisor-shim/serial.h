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

#include "console.h"

#define SERIAL_RX_FIFO 64
#define SERIAL_LINE_MAX 256
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
	struct shim_console *console;	/* where transmitted bytes go */
};

/* The UART, raising IRQs through vm_fd (-1: none), printing to console. */
void serial_init(struct shim_serial *serial, int vm_fd, struct shim_console *console);
/* Starts the thread that feeds stdin to the UART (when stdin is readable). */
void serial_start_input(struct shim_serial *serial);
void serial_out(struct shim_serial *serial, unsigned offset, uint8_t value);
uint8_t serial_in(struct shim_serial *serial, unsigned offset);
bool serial_panic_seen(struct shim_serial *serial);
bool serial_panic_done(struct shim_serial *serial);

#endif /* SHIM_SERIAL_H */
