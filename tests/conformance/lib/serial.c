/* Output on the platform's 16550 UART, polled. */
#include <vmi/vmi_platform.h>

#include "conf.h"
#include "cpu.h"

#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_THRE 0x20
#define UART_LCR_DLAB 0x80
#define UART_LCR_8N1 0x03
/* Bounded wait: a missing UART must not hang the suite. */
#define UART_SPIN_LIMIT 100000

void serial_init(void)
{
	const uint16_t base = VMI_PLATFORM_SERIAL_PORT;

	outb(base + UART_IER, 0);
	outb(base + UART_LCR, UART_LCR_DLAB);
	outb(base + 0, 1);              /* divisor 1: 115200 baud */
	outb(base + 1, 0);
	outb(base + UART_LCR, UART_LCR_8N1);
	outb(base + UART_FCR, 0);
	outb(base + UART_MCR, 0x3);     /* DTR, RTS */
}

void serial_putc(char c)
{
	const uint16_t base = VMI_PLATFORM_SERIAL_PORT;

	if (c == '\n')
		serial_putc('\r');
	for (int i = 0; i < UART_SPIN_LIMIT; i++)
		if (inb(base + UART_LSR) & UART_LSR_THRE)
			break;
	outb(base + UART_THR, (uint8_t)c);
}
