/*
 * The conformance suite's framework: output, assertions, cases, the ROM
 * under test and guarded calls into it. Freestanding; no libc.
 */
#ifndef CONF_H
#define CONF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vmi/vmi_abi.h>

#include "layout.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NORETURN __attribute__((noreturn))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/* serial.c / print.c */
void serial_init(void);
void serial_putc(char c);
int conf_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int conf_snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
void conf_printf(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* string.c: what the compiler and the shared ROM parser expect. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* report.c: TAP output, one line per assertion, grouped by case. */
bool report(bool cond, const char *fmt, ...) PRINTF_LIKE(2, 3);
void report_skip(const char *fmt, ...) PRINTF_LIKE(1, 2);
void report_info(const char *fmt, ...) PRINTF_LIKE(1, 2);
void report_begin_case(const char *name, const char *title);
unsigned report_failures(void);
void report_summary(void);
NORETURN void conf_exit(bool success);
NORETURN void conf_abort(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* A case: one concern of the spec. */
struct conf_case {
	const char *name;
	const char *title;
	void (*run)(void);
	bool needs_rom;         /* runs only after discovery and activate succeeded */
};

/* desc.c / irq.c: descriptor tables, exceptions and interrupts. */
struct isr_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};
void desc_init(void);
void *desc_gdt(void);
void *desc_ldt(void);
void *desc_idt(void);
extern volatile uint64_t irq_count[256];
struct exception_record {
	uint64_t vector, error_code, rip, cr2;
};
extern struct exception_record last_exception;
int conf_probe_read(const volatile uint64_t *p, uint64_t *out);
int conf_probe_write(volatile uint64_t *p, uint64_t value);
const char *exception_name(unsigned vector);

/* alloc.c: page-aligned zeroed memory that is never freed. */
void *alloc_pages(size_t pages);

/* apic.c / pit.c: interrupt sources and a reference clock. */
bool apic_available(void);
void apic_init(void);
void apic_self_ipi(uint8_t vector);
uint32_t apic_id(void);         /* this CPU's local APIC ID */
void apic_timer_periodic(uint8_t vector, uint32_t count);
void apic_eoi(void);
/* TSC ticks per second measured against the PIT; 0 when no PIT ticks. */
uint64_t pit_measure_tsc_hz(unsigned ms);

#define VEC_SELF_IPI 0x40
#define VEC_TIMER 0x41
#define VEC_SPURIOUS 0xff

#endif
