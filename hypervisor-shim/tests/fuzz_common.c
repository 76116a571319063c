// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The helpers the shim's fuzz targets share; see fuzz_common.h. Linked in
 * place of util.c: nothing here exits, so whatever the shim would end the
 * process with either returns to the harness (an expected usage error) or
 * aborts, and libFuzzer keeps the input that got there.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <sanitizer/allocator_interface.h>

#include "gmem.h"
#include "util.h"

#include "fuzz_common.h"

#define FUZZ_PAGE 0x1000ULL
#define FUZZ_PDPT_GPA 0x2000ULL
#define FUZZ_PD_GPA 0x3000ULL
#define FUZZ_PT_GPA 0x4000ULL
#define PTE_PW 0x3ULL		/* present, writable */
#define PTE_LARGE 0x80ULL
#define FUZZ_MAX_FLIPS 32

uint64_t fuzz_take(struct fuzz_input *in, size_t bytes)
{
	uint64_t value = 0;

	if (bytes > in->size)
		bytes = in->size;
	if (bytes)
		memcpy(&value, in->data, bytes);
	in->data += bytes;
	in->size -= bytes;
	return value;
}

const uint8_t *fuzz_take_bytes(struct fuzz_input *in, size_t len, size_t *got)
{
	const uint8_t *at = in->data;

	*got = len < in->size ? len : in->size;
	in->data += *got;
	in->size -= *got;
	return at;
}

/* --- Reports ------------------------------------------------------------ */

static FILE *report_stream;

void fuzz_report(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vfprintf(report_stream ? report_stream : stderr, fmt, args);
	va_end(args);
}

_Noreturn void fuzz_fail(const char *fmt, ...)
{
	FILE *out = report_stream ? report_stream : stderr;
	va_list args;

	fputs("fuzz: ", out);
	va_start(args, fmt);
	vfprintf(out, fmt, args);
	va_end(args);
	fputc('\n', out);
	fflush(out);
	abort();
}

static ssize_t discard(void *cookie, const char *buf, size_t size)
{
	(void)cookie;
	(void)buf;
	return (ssize_t)size;
}

/* A stream that takes everything and keeps nothing: not even a system call. */
FILE *fuzz_null_file(void)
{
	static FILE *sink;
	static const cookie_io_functions_t functions = { .write = discard };

	if (!sink)
		sink = fopencookie(NULL, "w", functions);
	if (!sink)
		fuzz_fail("cannot make a null stream");
	return sink;
}

bool fuzz_verbose(void)
{
	static int verbose = -1;

	if (verbose < 0)
		verbose = getenv("FUZZ_VERBOSE") != NULL;
	return verbose;
}

void fuzz_quiet_stderr(void)
{
	if (!report_stream)
		report_stream = stderr;
	if (!fuzz_verbose())
		stderr = fuzz_null_file();
}

/* --- Guest RAM ---------------------------------------------------------- */

void fuzz_ram_init(struct fuzz_ram *ram, uint64_t max)
{
	void *base = mmap(NULL, max + FUZZ_PAGE, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (base == MAP_FAILED || max % FUZZ_PAGE)
		fuzz_fail("cannot map %llu bytes of guest RAM", (unsigned long long)max);
	ram->base = base;
	ram->max = max;
}

uint8_t *fuzz_ram_get(struct fuzz_ram *ram, uint64_t size)
{
	uint8_t *window = ram->base + ram->max - size;

	if (size > ram->max || size % FUZZ_PAGE ||
	    mprotect(window, size, PROT_READ | PROT_WRITE) != 0)
		fuzz_fail("cannot open %llu bytes of guest RAM", (unsigned long long)size);
	return window;
}

void fuzz_ram_put(struct fuzz_ram *ram, uint8_t *window, uint64_t size)
{
	(void)ram;
	if (madvise(window, size, MADV_DONTNEED) != 0 || mprotect(window, size, PROT_NONE) != 0)
		fuzz_fail("cannot drop guest RAM");
}

void fuzz_ram_bytes(uint8_t *ram, uint64_t size, struct fuzz_input *in)
{
	uint64_t offset = fuzz_take(in, 4) % size;
	size_t got;
	const uint8_t *bytes = fuzz_take_bytes(in, (size_t)fuzz_take(in, 2), &got);

	if (got > size - offset)
		got = (size_t)(size - offset);
	if (got)
		memcpy(ram + offset, bytes, got);
}

void fuzz_ram_fill(uint8_t *ram, uint64_t size, struct fuzz_input *in)
{
	uint64_t offset = (fuzz_take(in, 4) % size) & ~7ULL;
	uint64_t count = fuzz_take(in, 2);
	uint64_t value = fuzz_take(in, 8);
	uint64_t step = fuzz_take(in, 8);

	for (; count && offset + 8 <= size; count--, offset += 8, value += step)
		memcpy(ram + offset, &value, 8);
}

static void put_entry(uint8_t *ram, uint64_t size, uint64_t gpa, uint64_t entry)
{
	if (gpa <= size && size - gpa >= 8)
		memcpy(ram + gpa, &entry, 8);
}

void fuzz_identity_tables(uint8_t *ram, uint64_t size, bool small_pages)
{
	uint64_t i;

	put_entry(ram, size, FUZZ_PML4_GPA, FUZZ_PDPT_GPA | PTE_PW);
	put_entry(ram, size, FUZZ_PDPT_GPA, FUZZ_PD_GPA | PTE_PW);
	for (i = 0; i < GMEM_PT_ENTRIES && (i == 0 || i << 21 < size); i++)
		put_entry(ram, size, FUZZ_PD_GPA + i * 8, i << 21 | PTE_LARGE | PTE_PW);
	if (!small_pages)
		return;
	put_entry(ram, size, FUZZ_PD_GPA, FUZZ_PT_GPA | PTE_PW);
	for (i = 0; i < GMEM_PT_ENTRIES; i++)
		put_entry(ram, size, FUZZ_PT_GPA + i * 8, i << GMEM_PAGE_SHIFT | PTE_PW);
}

/* --- Guest writes during the VMM's reads -------------------------------- */

struct flip {
	uint64_t at;		/* the read it follows */
	uint32_t offset;
	uint8_t mask;
	bool absolute;
};

static struct {
	uint8_t *ram;
	uint64_t size;
	uint64_t reads;
	bool paused;
	unsigned count;
	struct flip flip[FUZZ_MAX_FLIPS];
} guest;

void fuzz_flips_reset(uint8_t *ram, uint64_t size)
{
	guest.ram = ram;
	guest.size = size;
	guest.reads = 0;
	guest.paused = false;
	guest.count = 0;
}

void fuzz_flip_add(uint32_t delay, uint32_t offset, uint8_t mask, bool absolute)
{
	if (guest.count < FUZZ_MAX_FLIPS)
		guest.flip[guest.count++] = (struct flip){ guest.reads + delay + 1, offset, mask, absolute };
}

void fuzz_flips_pause(bool paused)
{
	guest.paused = paused;
}

uint64_t fuzz_reads(void)
{
	return guest.reads;
}

void gmem_fuzz_after_read(const void *host, uint64_t len)
{
	uintptr_t at = (uintptr_t)host, ram = (uintptr_t)guest.ram;
	unsigned i = 0;

	if (at < ram || len > guest.size || at - ram > guest.size - len)
		fuzz_fail("a read of %llu bytes of guest memory at %#llx lies outside guest RAM",
			  (unsigned long long)len, (unsigned long long)at);
	if (guest.paused)
		return;
	guest.reads++;
	while (i < guest.count) {
		struct flip *f = &guest.flip[i];

		if (f->at != guest.reads) {
			i++;
			continue;
		}
		if (f->absolute || !len)
			guest.ram[f->offset % guest.size] ^= f->mask;
		else
			guest.ram[at - ram + f->offset % len] ^= f->mask;
		*f = guest.flip[--guest.count];
	}
}

/* --- util.h ------------------------------------------------------------- */

jmp_buf *fuzz_usage_return;
char fuzz_usage_message[256];

static struct {
	bool given;
	const uint8_t *data;
	size_t size;
} served;
/* The copy shim_read_file() handed out, until somebody frees it. */
static const volatile void *served_copy;

static void on_malloc(const volatile void *p, size_t size)
{
	(void)p;
	(void)size;
}

static void on_free(const volatile void *p)
{
	if (p && p == served_copy)
		served_copy = NULL;
}

void fuzz_serve_file(const uint8_t *data, size_t size)
{
	static bool hooked;

	if (!hooked && !__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free))
		fuzz_fail("cannot watch free()");
	hooked = true;
	served.given = data != NULL;
	served.data = data;
	served.size = size;
}

void fuzz_release_file(void)
{
	void *copy = (void *)served_copy;

	served_copy = NULL;
	free(copy);
}

void shim_usage_error(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(fuzz_usage_message, sizeof(fuzz_usage_message), fmt, args);
	va_end(args);
	if (!fuzz_usage_return)
		fuzz_fail("usage error where none can be: %s", fuzz_usage_message);
	longjmp(*fuzz_usage_return, 1);
}

void shim_fatal(const char *fmt, ...)
{
	char message[256];
	va_list args;

	va_start(args, fmt);
	vsnprintf(message, sizeof(message), fmt, args);
	va_end(args);
	fuzz_fail("shim_fatal reached: %s", message);
}

uint8_t *shim_read_file(const char *path, const char *what, uint64_t max_size, size_t *size)
{
	uint8_t *copy;

	if (!served.given)
		shim_usage_error("cannot open %s %s: not served", what, path);
	if (served.size > max_size)
		shim_usage_error("%s %s is %zu bytes; at most %llu are accepted", what, path,
				 served.size, (unsigned long long)max_size);
	copy = malloc(served.size ? served.size : 1);
	if (!copy)
		fuzz_fail("out of memory for %s", what);
	if (served.size)
		memcpy(copy, served.data, served.size);
	served_copy = copy;
	*size = served.size;
	return copy;
}
