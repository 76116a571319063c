/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the shim's fuzz targets share (fuzz_hypercall.c, fuzz_exit.c,
 * fuzz_loader.c):
 *
 * - the input read as a stream of little-endian fields, zeros past its end;
 * - guest RAM as a window of a mapping made once, with no access below and
 *   above it, so a stray guest-memory access faults at once whatever the
 *   RAM size;
 * - records that write bytes or runs of 64-bit entries into guest RAM at
 *   offsets the input chooses, and prebuilt identity page tables;
 * - a guest that writes its memory while the VMM reads it: the
 *   gmem_fuzz_after_read() hook (gmem.h, SHIM_FUZZ_GUEST_WRITES) applies
 *   byte flips the input scheduled;
 * - util.h's functions, which exit in the shim: here a usage error returns
 *   to the harness when it expects one, and anything else aborts, so the
 *   fuzzer reports it with its input.
 */
#ifndef SHIM_FUZZ_COMMON_H
#define SHIM_FUZZ_COMMON_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct fuzz_input {
	const uint8_t *data;
	size_t size;
};

/* The next bytes (at most 8) as a little-endian number; zeros past the end. */
uint64_t fuzz_take(struct fuzz_input *in, size_t bytes);
/* The next len bytes in place, fewer at the end of the input (*got says how many). */
const uint8_t *fuzz_take_bytes(struct fuzz_input *in, size_t len, size_t *got);

/* Guest RAM: a mapping of max bytes, then one page nobody may touch. */
struct fuzz_ram {
	uint8_t *base;
	uint64_t max;
};

/* Maps ram once (max bytes, page-aligned); aborts when it cannot. */
void fuzz_ram_init(struct fuzz_ram *ram, uint64_t max);
/* Zeroed guest RAM of size (<= max, page-aligned) bytes, ending at the mapping's end. */
uint8_t *fuzz_ram_get(struct fuzz_ram *ram, uint64_t size);
/* Drops the contents and makes the window inaccessible again. */
void fuzz_ram_put(struct fuzz_ram *ram, uint8_t *window, uint64_t size);

/*
 * Input records that change guest RAM, as the guest would:
 *   bytes: offset (4), length (2), then that many bytes to copy there;
 *   fill:  offset (4), count (2), value (8), step (8): count 64-bit
 *          entries value, value + step, ... from offset rounded down to 8.
 * Offsets wrap around the RAM size; what would run past the end is cut.
 */
void fuzz_ram_bytes(uint8_t *ram, uint64_t size, struct fuzz_input *in);
void fuzz_ram_fill(uint8_t *ram, uint64_t size, struct fuzz_input *in);

/*
 * Identity page tables: PML4 at FUZZ_PML4_GPA -> PDPT at 0x2000 -> PD at
 * 0x3000 -> 2 MiB pages over RAM; with small_pages the first 2 MiB through
 * a page table of 4 KiB pages at 0x4000. Entries outside RAM are left out.
 */
#define FUZZ_PML4_GPA 0x1000ULL
void fuzz_identity_tables(uint8_t *ram, uint64_t size, bool small_pages);

/*
 * Guest writes during the VMM's reads. fuzz_flips_reset() starts an input
 * over RAM [ram, ram + size). fuzz_flip_add() schedules one: after delay
 * more reads of guest memory, byte offset (modulo the length) of what that
 * read covered, or with absolute of all RAM, is XORed with mask. Reads the
 * hook sees outside RAM abort: the VMM read host memory as guest memory.
 */
void fuzz_flips_reset(uint8_t *ram, uint64_t size);
void fuzz_flip_add(uint32_t delay, uint32_t offset, uint8_t mask, bool absolute);
/* While paused, reads are checked but neither counted nor followed by flips. */
void fuzz_flips_pause(bool paused);
uint64_t fuzz_reads(void);

/* A stream that discards what is written to it. */
FILE *fuzz_null_file(void);
/* FUZZ_VERBOSE is set in the environment: say more when running one input. */
bool fuzz_verbose(void);
/*
 * Sends the shim's own diagnostics (stderr) nowhere, unless fuzz_verbose():
 * the C library lets a program assign stderr, and libFuzzer and the
 * sanitizers keep reporting on the stream and descriptor they already
 * hold. fuzz_report() still prints.
 */
void fuzz_quiet_stderr(void);
void fuzz_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reports the broken expectation and aborts: the fuzzer saves the input. */
_Noreturn void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * util.h replacements. While fuzz_usage_return points at a jmp_buf,
 * shim_usage_error() longjmps there with 1 (its message in
 * fuzz_usage_message); otherwise it aborts. shim_fatal() always aborts.
 * shim_read_file() serves the bytes given to fuzz_serve_file() (any path),
 * as a malloc'd copy the caller frees; fuzz_release_file() frees that copy
 * when a longjmp cut the caller short.
 */
extern jmp_buf *fuzz_usage_return;
extern char fuzz_usage_message[256];
void fuzz_serve_file(const uint8_t *data, size_t size);
void fuzz_release_file(void);

#endif /* SHIM_FUZZ_COMMON_H */
