/* SPDX-License-Identifier: Apache-2.0 */
/*
 * access.c - access, faccessat, eaccess, euidaccess.
 *
 * Routed: O_PATH open through the safe route (O_NOFOLLOW for
 * AT_SYMLINK_NOFOLLOW), then faccessat2(fd, "", mode, AT_EMPTY_PATH |
 * AT_EACCESS-if-asked).  Without faccessat2 (Linux < 5.8, or a seccomp
 * profile refusing it) F_OK is answered by the open itself and other modes
 * by the real faccessat on the descriptor's /proc/self/fd link.
 */
#include <errno.h>

#include "fd.h"
#include "shim.h"
#include "sys.h"

static int access_fd(int fd, int mode, int flags)
{
	char link[32];
	int r = sys_faccessat2(fd, "", mode, AT_EMPTY_PATH | (flags & AT_EACCESS));

	if (r != -ENOSYS && r != -EPERM)
		return r;
	if (mode == F_OK)
		return 0;
	shim_fd_name(link, sizeof(link), "/proc/self/fd/", fd);
	if (!shim_real.faccessat)
		return r;
	return shim_real.faccessat(AT_FDCWD, link, mode, flags & AT_EACCESS) < 0 ? -errno : 0;
}

static int access_slow(const char *call, int dirfd, const char *path, int mode, int flags)
{
	struct shim_ctx x;

	if (!shim_enter(&x, call, dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW)))
		return SHIM_REAL;
	int fd = route_step(&x, O_PATH | O_CLOEXEC | ((flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0), 0);
	if (fd >= 0) {
		int r = access_fd(fd, mode, flags);
		safe_close(fd);
		fd = r;
	}
	return shim_ret(&x, fd);
}

#define ACCESS_WRAP(call, dirfd, path, mode, flags, real_call)                 \
	do {                                                                   \
		if (shim_hit(dirfd, path)) {                                   \
			int r_ = access_slow(call, dirfd, path, mode, flags);  \
			if (r_ != SHIM_REAL)                                   \
				return r_;                                     \
		}                                                              \
		return real_call;                                              \
	} while (0)

static int raw_access(int dirfd, const char *path, int mode, int flags)
{
	if (flags == 0)
		return (int)shim_sys_ret(sys_ret(syscall(SYS_faccessat, dirfd, path, mode)));
	return (int)shim_sys_ret(sys_faccessat2(dirfd, path, mode, flags));
}

SHIM_EXPORT int access(const char *path, int mode)
{
	ACCESS_WRAP("access", AT_FDCWD, path, mode, 0,
	            shim_real.access ? shim_real.access(path, mode) : raw_access(AT_FDCWD, path, mode, 0));
}

SHIM_EXPORT int faccessat(int dirfd, const char *path, int mode, int flags)
{
	ACCESS_WRAP("faccessat", dirfd, path, mode, flags,
	            shim_real.faccessat ? shim_real.faccessat(dirfd, path, mode, flags)
	                                : raw_access(dirfd, path, mode, flags));
}

SHIM_EXPORT int eaccess(const char *path, int mode)
{
	ACCESS_WRAP("eaccess", AT_FDCWD, path, mode, AT_EACCESS,
	            shim_real.eaccess ? shim_real.eaccess(path, mode)
	                              : raw_access(AT_FDCWD, path, mode, AT_EACCESS));
}

SHIM_EXPORT int euidaccess(const char *path, int mode)
{
	ACCESS_WRAP("euidaccess", AT_FDCWD, path, mode, AT_EACCESS,
	            shim_real.euidaccess ? shim_real.euidaccess(path, mode)
	                                 : raw_access(AT_FDCWD, path, mode, AT_EACCESS));
}
