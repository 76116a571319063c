/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Failing with one clear line, and reading host files with a size limit. */
#ifndef SHIM_UTIL_H
#define SHIM_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Fails with "vmi-shim: <what>" and SHIM_EXIT_USAGE; for bad arguments. */
_Noreturn void shim_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Fails with "vmi-shim: <what>" and SHIM_EXIT_INTERNAL. */
_Noreturn void shim_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Reads a whole regular file of at most max_size bytes; *size receives its
 * length. A missing, unreadable or larger file is a bad argument: the size
 * is checked before anything is read, so a huge file costs nothing.
 */
uint8_t *shim_read_file(const char *path, const char *what, uint64_t max_size, size_t *size);

#endif /* SHIM_UTIL_H */
