// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What every part of the shim uses: the two ways to fail with one line on
 * stderr, and reading a host file with a size limit. The fuzz targets link
 * their own versions of these, which return to the fuzzer instead of exiting.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exit_status.h"
#include "util.h"

static _Noreturn void vfail(int status, const char *fmt, va_list args)
{
	fputs("vmi-shim: ", stderr);
	vfprintf(stderr, fmt, args);
	fputc('\n', stderr);
	exit(status);
}

void shim_usage_error(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vfail(SHIM_EXIT_USAGE, fmt, args);
}

void shim_fatal(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vfail(SHIM_EXIT_INTERNAL, fmt, args);
}

uint8_t *shim_read_file(const char *path, const char *what, uint64_t max_size, size_t *size)
{
	struct stat st;
	uint8_t *data;
	size_t done = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		shim_usage_error("cannot open %s %s: %s", what, path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		shim_usage_error("%s %s is not a regular file", what, path);
	if ((uint64_t)st.st_size > max_size)
		shim_usage_error("%s %s is %llu bytes; at most %llu are accepted", what, path,
				 (unsigned long long)st.st_size, (unsigned long long)max_size);
	data = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!data)
		shim_usage_error("%s %s is too large to read", what, path);
	while (done < (size_t)st.st_size) {
		ssize_t got = read(fd, data + done, (size_t)st.st_size - done);

		if (got <= 0)
			shim_usage_error("cannot read %s %s: %s", what, path,
					 got < 0 ? strerror(errno) : "file shrank");
		done += (size_t)got;
	}
	close(fd);
	*size = done;
	return data;
}

