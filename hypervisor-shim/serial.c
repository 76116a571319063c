// SPDX-License-Identifier: GPL-2.0 OR MIT
/* 16550 UART for the guest console, and the panic watch on its output. */
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "layout.h"
#include "serial.h"

enum uart_reg { UART_DATA, UART_IER, UART_IIR_FCR, UART_LCR, UART_MCR, UART_LSR, UART_MSR, UART_SCR };

#define LCR_DLAB 0x80
#define IER_RDI 0x01
#define IER_THRI 0x02
#define IIR_NONE 0x01
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_FIFO_ENABLED 0xc0
#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define MCR_LOOP 0x10
#define MSR_CTS_DSR_DCD 0xb0

static const char panic_banner[] = "Kernel panic - not syncing";
static const char panic_trailer[] = "---[ end Kernel panic";

void serial_init(struct shim_serial *serial, int vm_fd, struct shim_console *console)
{
	memset(serial, 0, sizeof(*serial));
	pthread_mutex_init(&serial->lock, NULL);
	serial->vm_fd = vm_fd;
	serial->console = console;
}

static uint8_t interrupt_id(const struct shim_serial *serial)
{
	if ((serial->ier & IER_RDI) && serial->rx_count)
		return IIR_RDI;
	if ((serial->ier & IER_THRI) && serial->thr_interrupt)
		return IIR_THRI;
	return IIR_NONE;
}

static void update_irq(struct shim_serial *serial)
{
	bool level = interrupt_id(serial) != IIR_NONE;
	struct kvm_irq_level irq = { .irq = SHIM_SERIAL_IRQ, .level = level };

	if (level == serial->irq_level)
		return;
	serial->irq_level = level;
	if (serial->vm_fd >= 0)
		ioctl(serial->vm_fd, KVM_IRQ_LINE, &irq);
}

static void watch_console(struct shim_serial *serial, uint8_t c)
{
	if (c != '\n') {
		if (serial->line_len < SERIAL_LINE_MAX - 1)
			serial->line[serial->line_len++] = (char)c;
		return;
	}
	serial->line[serial->line_len] = '\0';
	if (strstr(serial->line, panic_banner))
		serial->panic_seen = true;
	if (serial->panic_seen && strstr(serial->line, panic_trailer))
		serial->panic_done = true;
	serial->line_len = 0;
}

static void transmit(struct shim_serial *serial, uint8_t c)
{
	if (serial->mcr & MCR_LOOP) {
		if (serial->rx_count < SERIAL_RX_FIFO)
			serial->rx[(serial->rx_head + serial->rx_count++) % SERIAL_RX_FIFO] = c;
	} else {
		console_put(serial->console, c);
		watch_console(serial, c);
	}
	serial->thr_interrupt = true;
}

static void write_register(struct shim_serial *serial, unsigned offset, uint8_t value)
{
	bool dlab = serial->lcr & LCR_DLAB;

	switch (offset) {
	case UART_DATA:
		if (dlab)
			serial->dll = value;
		else
			transmit(serial, value);
		break;
	case UART_IER:
		if (dlab) {
			serial->dlm = value;
		} else {
			/* Enabling the THRE interrupt while THR is empty raises it. */
			if ((value & IER_THRI) && !(serial->ier & IER_THRI))
				serial->thr_interrupt = true;
			serial->ier = value & 0x0f;
		}
		break;
	case UART_IIR_FCR:
		serial->fcr = value;
		if (value & FCR_CLEAR_RX)
			serial->rx_count = 0;
		break;
	case UART_LCR: serial->lcr = value; break;
	case UART_MCR: serial->mcr = value; break;
	case UART_SCR: serial->scr = value; break;
	default: break;	/* LSR and MSR are read-only */
	}
}

static uint8_t read_data(struct shim_serial *serial)
{
	uint8_t c;

	if (serial->lcr & LCR_DLAB)
		return serial->dll;
	if (!serial->rx_count)
		return 0;
	c = serial->rx[serial->rx_head];
	serial->rx_head = (serial->rx_head + 1) % SERIAL_RX_FIFO;
	serial->rx_count--;
	return c;
}

static uint8_t read_iir(struct shim_serial *serial)
{
	uint8_t id = interrupt_id(serial);

	if (id == IIR_THRI)
		serial->thr_interrupt = false;	/* reading IIR acknowledges THRE */
	return id | ((serial->fcr & FCR_ENABLE) ? IIR_FIFO_ENABLED : 0);
}

static uint8_t read_msr(const struct shim_serial *serial)
{
	uint8_t mcr = serial->mcr;

	if (!(mcr & MCR_LOOP))
		return MSR_CTS_DSR_DCD;
	/* Loopback: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
	return (uint8_t)(((mcr & 0x02) << 3) | ((mcr & 0x01) << 5) | ((mcr & 0x04) << 4) |
			 ((mcr & 0x08) << 4));
}

static uint8_t read_register(struct shim_serial *serial, unsigned offset)
{
	switch (offset) {
	case UART_DATA: return read_data(serial);
	case UART_IER: return (serial->lcr & LCR_DLAB) ? serial->dlm : serial->ier;
	case UART_IIR_FCR: return read_iir(serial);
	case UART_LCR: return serial->lcr;
	case UART_MCR: return serial->mcr;
	case UART_LSR: return LSR_THRE | LSR_TEMT | (serial->rx_count ? LSR_DR : 0);
	case UART_MSR: return read_msr(serial);
	default: return serial->scr;
	}
}

void serial_out(struct shim_serial *serial, unsigned offset, uint8_t value)
{
	pthread_mutex_lock(&serial->lock);
	write_register(serial, offset & 7, value);
	update_irq(serial);
	pthread_mutex_unlock(&serial->lock);
}

uint8_t serial_in(struct shim_serial *serial, unsigned offset)
{
	uint8_t value;

	pthread_mutex_lock(&serial->lock);
	value = read_register(serial, offset & 7);
	update_irq(serial);
	pthread_mutex_unlock(&serial->lock);
	return value;
}

bool serial_panic_seen(struct shim_serial *serial)
{
	bool seen;

	pthread_mutex_lock(&serial->lock);
	seen = serial->panic_seen;
	pthread_mutex_unlock(&serial->lock);
	return seen;
}

bool serial_panic_done(struct shim_serial *serial)
{
	bool done;

	pthread_mutex_lock(&serial->lock);
	done = serial->panic_done;
	pthread_mutex_unlock(&serial->lock);
	return done;
}

/* Feeds stdin to the receive FIFO, waiting while the guest has not drained it. */
static void *input_thread(void *arg)
{
	struct shim_serial *serial = arg;
	uint8_t c;

	while (read(STDIN_FILENO, &c, 1) == 1) {
		for (;;) {
			pthread_mutex_lock(&serial->lock);
			if (serial->rx_count < SERIAL_RX_FIFO) {
				serial->rx[(serial->rx_head + serial->rx_count++) % SERIAL_RX_FIFO] = c;
				update_irq(serial);
				pthread_mutex_unlock(&serial->lock);
				break;
			}
			pthread_mutex_unlock(&serial->lock);
			usleep(1000);
		}
	}
	return NULL;
}

void serial_start_input(struct shim_serial *serial)
{
	pthread_t thread;

	if (pthread_create(&thread, NULL, input_thread, serial) == 0)
		pthread_detach(thread);
}
