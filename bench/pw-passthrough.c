/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pw-passthrough.c - a preload that wraps open() and does nothing else: the
 * floor for any LD_PRELOAD shim, measured beside the real one so a reader
 * can tell what loading a second object costs from what pathward adds.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/types.h>

int open(const char *path, int flags, ...);

int open(const char *path, int flags, ...)
{
	static int (*real)(const char *, int, ...);
	mode_t mode = 0;

	if (flags & (O_CREAT | __O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (!real)
		real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	return real(path, flags, mode);
}
