/* SPDX-License-Identifier: Apache-2.0 */
/*
 * openat.c - openat, openat64, __openat_2, __openat64_2.
 *
 * An absolute path ignores the dirfd (FEX-Emu #3204 is that bug class); a
 * relative one is contained when its dirfd is a descriptor the shim handed
 * out for a PROC/ROOT object (at.c).
 */
#include <stdarg.h>

#include "shim.h"
#include "sys.h"

int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

static int real_openat(int (*fn)(int, const char *, int, ...), int dirfd, const char *path, int flags,
                       mode_t mode)
{
	if (fn)
		return fn(dirfd, path, flags, mode);
	return (int)shim_sys_ret(sys_openat(dirfd, path, flags, mode));
}

static int openat_common(const char *call, int (*fn)(int, const char *, int, ...), int dirfd, const char *path,
                         int flags, mode_t mode)
{
	if (shim_hit(dirfd, path)) {
		int r = shim_openat_slow(call, dirfd, path, flags, mode);
		if (r != SHIM_REAL)
			return r;
		r = real_openat(fn, dirfd, path, flags, mode);
		shim_audit_mark(r);
		return r;
	}
	return real_openat(fn, dirfd, path, flags, mode);
}

SHIM_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	SHIM_VA_MODE(flags, mode);
	return openat_common("openat", shim_real.openat, dirfd, path, flags, mode);
}

SHIM_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	SHIM_VA_MODE(flags, mode);
	return openat_common("openat64", shim_real.openat64, dirfd, path, flags, mode);
}

/* Fortify forms: O_CREAT/O_TMPFILE without a mode go to glibc, which aborts. */
static int openat_2_common(const char *call, int (*fn)(int, const char *, int), int dirfd, const char *path,
                           int flags)
{
	if (SHIM_NEEDS_MODE(flags) || !fn)
		return fn ? fn(dirfd, path, flags) : real_openat(NULL, dirfd, path, flags, 0);
	if (shim_hit(dirfd, path)) {
		int r = shim_openat_slow(call, dirfd, path, flags, 0);
		if (r != SHIM_REAL)
			return r;
	}
	return fn(dirfd, path, flags);
}

SHIM_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	return openat_2_common("__openat_2", shim_real.openat_2, dirfd, path, flags);
}

SHIM_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	return openat_2_common("__openat64_2", shim_real.openat64_2, dirfd, path, flags);
}
