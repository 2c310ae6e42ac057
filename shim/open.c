/* SPDX-License-Identifier: Apache-2.0 */
/*
 * open.c - open, open64, __open_2, __open64_2, creat, creat64.
 *
 * x86_64 binaries import open or open64 depending on _FILE_OFFSET_BITS, and
 * the fortified __open_2/__open64_2 when the flags are not a compile-time
 * constant (shim.md §2.5): all six are distinct names to interpose.
 */
#include <stdarg.h>

#include "shim.h"
#include "sys.h"

int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);

/* The real function, or the raw syscall when it is not resolved yet (a
 * call re-entered from our own initialisation). */
static int real_open(int (*fn)(const char *, int, ...), const char *path, int flags, mode_t mode)
{
	if (fn)
		return fn(path, flags, mode);
	return (int)shim_sys_ret(sys_openat(AT_FDCWD, path, flags, mode));
}

static int open_common(const char *call, int (*fn)(const char *, int, ...), const char *path, int flags,
                       mode_t mode)
{
	if (shim_hit(AT_FDCWD, path)) {
		int r = shim_openat_slow(call, AT_FDCWD, path, flags, mode);
		if (r != SHIM_REAL)
			return r;
		r = real_open(fn, path, flags, mode);
		shim_audit_mark(r);
		return r;
	}
	return real_open(fn, path, flags, mode);
}

SHIM_EXPORT int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	SHIM_VA_MODE(flags, mode);
	return open_common("open", shim_real.open, path, flags, mode);
}

SHIM_EXPORT int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	SHIM_VA_MODE(flags, mode);
	return open_common("open64", shim_real.open64, path, flags, mode);
}

/* Fortify entry points: keep glibc's abort on O_CREAT/O_TMPFILE without a
 * mode by handing those straight to the real function. */
static int open_2_common(const char *call, int (*fn)(const char *, int), const char *path, int flags)
{
	if (SHIM_NEEDS_MODE(flags) || !fn)
		return fn ? fn(path, flags) : real_open(NULL, path, flags, 0);
	if (shim_hit(AT_FDCWD, path)) {
		int r = shim_openat_slow(call, AT_FDCWD, path, flags, 0);
		if (r != SHIM_REAL)
			return r;
	}
	return fn(path, flags);
}

SHIM_EXPORT int __open_2(const char *path, int flags)
{
	return open_2_common("__open_2", shim_real.open_2, path, flags);
}

SHIM_EXPORT int __open64_2(const char *path, int flags)
{
	return open_2_common("__open64_2", shim_real.open64_2, path, flags);
}

/* creat(p, m) is open(p, O_CREAT|O_WRONLY|O_TRUNC, m). */
SHIM_EXPORT int creat(const char *path, mode_t mode)
{
	if (shim_hit(AT_FDCWD, path)) {
		int r = shim_openat_slow("creat", AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
		if (r != SHIM_REAL)
			return r;
	}
	if (shim_real.creat)
		return shim_real.creat(path, mode);
	return real_open(NULL, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

SHIM_EXPORT int creat64(const char *path, mode_t mode)
{
	if (shim_hit(AT_FDCWD, path)) {
		int r = shim_openat_slow("creat64", AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
		if (r != SHIM_REAL)
			return r;
	}
	if (shim_real.creat64)
		return shim_real.creat64(path, mode);
	return real_open(NULL, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}
