/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stat.c - stat, stat64, lstat, lstat64, fstatat, fstatat64 (the
 * GLIBC_2.33 names every current binary imports), the __xstat family that
 * binaries built against glibc < 2.33 import, and statx.
 *
 * Routed: the object is opened O_PATH (O_NOFOLLOW for the lstat forms and
 * AT_SYMLINK_NOFOLLOW) through the safe route and stat'ed by descriptor
 * (AT_EMPTY_PATH), so what is reported is what was verified.  On x86_64 and
 * aarch64 struct stat, stat64 and the kernel's newfstatat layout are one
 * and the same.  AT_EMPTY_PATH with "" operates on the descriptor and is
 * passed through untouched (shim_hit is false for "").
 */
#include <errno.h>

#include "fd.h"
#include "shim.h"
#include "sys.h"

int __xstat(int ver, const char *path, struct stat *st);
int __xstat64(int ver, const char *path, struct stat64 *st);
int __lxstat(int ver, const char *path, struct stat *st);
int __lxstat64(int ver, const char *path, struct stat64 *st);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags);
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags);

static int stat_slow(const char *call, int dirfd, const char *path, void *st, int atflags)
{
	struct shim_ctx x;

	if (!shim_enter(&x, call, dirfd, path, !(atflags & AT_SYMLINK_NOFOLLOW)))
		return SHIM_REAL;
	int fd = route_step(&x, O_PATH | O_CLOEXEC | ((atflags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0), 0);
	if (fd >= 0) {
		int r = sys_fstatat(fd, "", st, AT_EMPTY_PATH);
		safe_close(fd);
		fd = r;
	}
	return shim_ret(&x, fd);
}

/* One wrapper: route, else the real function, else the raw syscall. */
#define STAT_WRAP(call, dirfd, path, st, atflags, real_call)                         \
	do {                                                                         \
		if (shim_hit(dirfd, path)) {                                         \
			int r_ = stat_slow(call, dirfd, path, st, atflags);          \
			if (r_ != SHIM_REAL)                                         \
				return r_;                                           \
		}                                                                    \
		return real_call;                                                    \
	} while (0)

static int raw_stat(int dirfd, const char *path, void *st, int atflags)
{
	return (int)shim_sys_ret(sys_fstatat(dirfd, path, st, atflags));
}

#define OR_RAW(fn, args, dirfd, path, st, fl) ((fn) ? (fn)args : raw_stat(dirfd, path, st, fl))

SHIM_EXPORT int stat(const char *path, struct stat *st)
{
	STAT_WRAP("stat", AT_FDCWD, path, st, 0, OR_RAW(shim_real.stat, (path, st), AT_FDCWD, path, st, 0));
}

SHIM_EXPORT int stat64(const char *path, struct stat64 *st)
{
	STAT_WRAP("stat64", AT_FDCWD, path, st, 0,
	          OR_RAW(shim_real.stat64, (path, (struct stat *)st), AT_FDCWD, path, st, 0));
}

SHIM_EXPORT int lstat(const char *path, struct stat *st)
{
	STAT_WRAP("lstat", AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW,
	          OR_RAW(shim_real.lstat, (path, st), AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW));
}

SHIM_EXPORT int lstat64(const char *path, struct stat64 *st)
{
	STAT_WRAP("lstat64", AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW,
	          OR_RAW(shim_real.lstat64, (path, (struct stat *)st), AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW));
}

SHIM_EXPORT int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	STAT_WRAP("fstatat", dirfd, path, st, flags,
	          OR_RAW(shim_real.fstatat, (dirfd, path, st, flags), dirfd, path, st, flags));
}

SHIM_EXPORT int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	STAT_WRAP("fstatat64", dirfd, path, st, flags,
	          OR_RAW(shim_real.fstatat64, (dirfd, path, (struct stat *)st, flags), dirfd, path, st, flags));
}

/*
 * The pre-2.33 names carry a struct version.  Only the versions whose
 * layout is the kernel's (x86_64: 0 and 1; elsewhere 0) are routed; any
 * other goes to glibc, which answers EINVAL.
 */
static bool ver_ok(int ver)
{
#if defined(__x86_64__)
	return ver == 0 || ver == 1;
#else
	return ver == 0;
#endif
}

SHIM_EXPORT int __xstat(int ver, const char *path, struct stat *st)
{
	if (ver_ok(ver))
		STAT_WRAP("__xstat", AT_FDCWD, path, st, 0,
		          OR_RAW(shim_real.xstat, (ver, path, st), AT_FDCWD, path, st, 0));
	return OR_RAW(shim_real.xstat, (ver, path, st), AT_FDCWD, path, st, 0);
}

SHIM_EXPORT int __xstat64(int ver, const char *path, struct stat64 *st)
{
	if (ver_ok(ver))
		STAT_WRAP("__xstat64", AT_FDCWD, path, st, 0,
		          OR_RAW(shim_real.xstat64, (ver, path, (struct stat *)st), AT_FDCWD, path, st, 0));
	return OR_RAW(shim_real.xstat64, (ver, path, (struct stat *)st), AT_FDCWD, path, st, 0);
}

SHIM_EXPORT int __lxstat(int ver, const char *path, struct stat *st)
{
	if (ver_ok(ver))
		STAT_WRAP("__lxstat", AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW,
		          OR_RAW(shim_real.lxstat, (ver, path, st), AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW));
	return OR_RAW(shim_real.lxstat, (ver, path, st), AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

SHIM_EXPORT int __lxstat64(int ver, const char *path, struct stat64 *st)
{
	if (ver_ok(ver))
		STAT_WRAP("__lxstat64", AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW,
		          OR_RAW(shim_real.lxstat64, (ver, path, (struct stat *)st), AT_FDCWD, path, st,
		                 AT_SYMLINK_NOFOLLOW));
	return OR_RAW(shim_real.lxstat64, (ver, path, (struct stat *)st), AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

SHIM_EXPORT int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags)
{
	if (ver_ok(ver))
		STAT_WRAP("__fxstatat", dirfd, path, st, flags,
		          OR_RAW(shim_real.fxstatat, (ver, dirfd, path, st, flags), dirfd, path, st, flags));
	return OR_RAW(shim_real.fxstatat, (ver, dirfd, path, st, flags), dirfd, path, st, flags);
}

SHIM_EXPORT int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags)
{
	if (ver_ok(ver))
		STAT_WRAP("__fxstatat64", dirfd, path, st, flags,
		          OR_RAW(shim_real.fxstatat64, (ver, dirfd, path, (struct stat *)st, flags), dirfd, path, st,
		                 flags));
	return OR_RAW(shim_real.fxstatat64, (ver, dirfd, path, (struct stat *)st, flags), dirfd, path, st, flags);
}

/*
 * statx: the routed object is stat'ed through the real statx on the O_PATH
 * descriptor, so glibc's own fallback (statx answering ENOSYS under a
 * seccomp profile or an old kernel: fstatat emulation) still applies.
 */
static int statx_slow(int dirfd, const char *path, int flags, unsigned mask, struct statx *stx)
{
	struct shim_ctx x;

	if (!shim_enter(&x, "statx", dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW)))
		return SHIM_REAL;
	int fd = route_step(&x, O_PATH | O_CLOEXEC | ((flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0), 0);
	if (fd >= 0) {
		int fl = (flags & ~AT_SYMLINK_NOFOLLOW) | AT_EMPTY_PATH, r;
		if (shim_real.statx)
			r = shim_real.statx(fd, "", fl, mask, stx) < 0 ? -errno : 0;
		else
			r = sys_statx(fd, "", fl, mask, stx);
		safe_close(fd);
		fd = r;
	}
	return shim_ret(&x, fd);
}

SHIM_EXPORT int statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *stx)
{
	if (shim_hit(dirfd, path)) {
		int r = statx_slow(dirfd, path, flags, mask, stx);
		if (r != SHIM_REAL)
			return r;
	}
	if (shim_real.statx)
		return shim_real.statx(dirfd, path, flags, mask, stx);
	return (int)shim_sys_ret(sys_statx(dirfd, path, flags, mask, stx));
}
