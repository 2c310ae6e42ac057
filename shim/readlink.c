/* SPDX-License-Identifier: Apache-2.0 */
/*
 * readlink.c - readlink, readlinkat, __readlink_chk, __readlinkat_chk.
 *
 * Routed: the link itself is opened O_PATH|O_NOFOLLOW through the safe route
 * and read with readlinkat(fd, ""), so the text read is the text of the
 * inode that was verified.  Magic links (/proc/self/exe, /proc/PID/root)
 * read exactly the kernel's text.  Kernel quirk: readlinkat(fd, "") on a
 * non-symlink says ENOENT where readlink(path) says EINVAL; translated.
 * coreutils' readlink -f and realpath canonicalise with their own readlink
 * loop (shim.md §2.3), so this wrapper alone decides their output.
 */
#include <errno.h>
#include <stdlib.h>

#include "fd.h"
#include "shim.h"
#include "sys.h"

ssize_t __readlink_chk(const char *path, char *buf, size_t len, size_t buflen);
ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t len, size_t buflen);

static ssize_t readlink_slow(const char *call, int dirfd, const char *path, char *buf, size_t len)
{
	struct shim_ctx x;
	struct stat st;

	if (len == 0) /* EINVAL before any lookup, as the kernel does */
		return SHIM_REAL;
	if (!shim_enter(&x, call, dirfd, path, false))
		return SHIM_REAL;
	ssize_t r = route_step(&x, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
	if (r >= 0) {
		int fd = (int)r;
		r = sys_readlinkat(fd, "", buf, len);
		if (r == -ENOENT && sys_fstat(fd, &st) == 0 && !S_ISLNK(st.st_mode))
			r = -EINVAL;
		safe_close(fd);
	}
	return shim_ret_ssize(&x, r);
}

static ssize_t raw_readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	return shim_sys_ret(sys_readlinkat(dirfd, path, buf, len));
}

#define READLINK_WRAP(call, dirfd, path, buf, len, real_call)                     \
	do {                                                                      \
		if (shim_hit(dirfd, path)) {                                      \
			ssize_t r_ = readlink_slow(call, dirfd, path, buf, len);  \
			if (r_ != SHIM_REAL)                                      \
				return r_;                                        \
		}                                                                 \
		return real_call;                                                 \
	} while (0)

SHIM_EXPORT ssize_t readlink(const char *path, char *buf, size_t len)
{
	READLINK_WRAP("readlink", AT_FDCWD, path, buf, len,
	              shim_real.readlink ? shim_real.readlink(path, buf, len)
	                                 : raw_readlinkat(AT_FDCWD, path, buf, len));
}

SHIM_EXPORT ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	READLINK_WRAP("readlinkat", dirfd, path, buf, len,
	              shim_real.readlinkat ? shim_real.readlinkat(dirfd, path, buf, len)
	                                   : raw_readlinkat(dirfd, path, buf, len));
}

/* Fortify forms: len > buflen goes to glibc, which aborts (__chk_fail). */
SHIM_EXPORT ssize_t __readlink_chk(const char *path, char *buf, size_t len, size_t buflen)
{
	if (len <= buflen)
		READLINK_WRAP("__readlink_chk", AT_FDCWD, path, buf, len,
		              shim_real.readlink_chk ? shim_real.readlink_chk(path, buf, len, buflen)
		                                     : raw_readlinkat(AT_FDCWD, path, buf, len));
	if (!shim_real.readlink_chk)
		abort();
	return shim_real.readlink_chk(path, buf, len, buflen);
}

SHIM_EXPORT ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t len, size_t buflen)
{
	if (len <= buflen)
		READLINK_WRAP("__readlinkat_chk", dirfd, path, buf, len,
		              shim_real.readlinkat_chk ? shim_real.readlinkat_chk(dirfd, path, buf, len, buflen)
		                                       : raw_readlinkat(dirfd, path, buf, len));
	if (!shim_real.readlinkat_chk)
		abort();
	return shim_real.readlinkat_chk(dirfd, path, buf, len, buflen);
}
