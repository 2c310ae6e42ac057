/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dir.c - opendir.  glibc's opendir opens with an internal openat (shim.md
 * §2.4); the routed path opens a real O_RDONLY|O_DIRECTORY descriptor with
 * opendir's own flags (never O_PATH: getdents needs a readable fd) and hands
 * it to fdopendir.
 */
#include <errno.h>

#include "fd.h"
#include "shim.h"
#include "sys.h"

SHIM_EXPORT DIR *opendir(const char *path)
{
	if (shim_hit(AT_FDCWD, path)) {
		struct shim_ctx x;
		if (shim_enter(&x, "opendir", AT_FDCWD, path, true)) {
			int fd = route_step(&x, O_RDONLY | O_NONBLOCK | O_DIRECTORY | O_CLOEXEC, 0);
			if (fd != SHIM_REAL) {
				if (fd < 0)
					return shim_ret_ptr(&x, NULL, -fd);
				DIR *d = fdopendir(fd);
				int err = errno;
				if (d) {
					shim_fd_mark(fd);
					shim_fd_set_rootpid(fd, shim_procpid_of(&x.c));
				}
				else
					safe_close(fd);
				return shim_ret_ptr(&x, d, err);
			}
			shim_ret(&x, fd);
		}
	}
	if (!shim_real.opendir) { /* only while our initialisation re-enters */
		int fd = (int)shim_sys_ret(
			sys_openat(AT_FDCWD, path, O_RDONLY | O_NONBLOCK | O_DIRECTORY | O_CLOEXEC, 0));
		DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
		if (!d && fd >= 0)
			safe_close(fd);
		return d;
	}
	DIR *d = shim_real.opendir(path);
	if (d && shim_policy.mode == POLICY_MODE_AUDIT && shim_hit(AT_FDCWD, path))
		shim_audit_mark(dirfd(d));
	return d;
}
