/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cwd.c - chdir, fchdir: not rerouted (the kernel resolves them as ever),
 * only watched, so relative paths from a cwd inside /proc or a root take
 * the slow path (at.c), and a cwd under /proc/<pid>/root is remembered as
 * such.  One getcwd per successful chdir; chdir is rare.
 */
#include <errno.h>

#include "shim.h"
#include "sys.h"

SHIM_EXPORT int chdir(const char *path)
{
	int r = shim_real.chdir ? shim_real.chdir(path) : (int)shim_sys_ret(sys_ret(syscall(SYS_chdir, path)));
	if (r == 0 && !shim_busy && atomic_load_explicit(&shim_state, memory_order_acquire) == SHIM_READY) {
		int saved = errno;
		struct classify c;
		if (path[0] == '/') {
			(void)classify_path(&shim_policy, path, &c);
			shim_cwd_set_rootpid(shim_procpid_of(&c), false);
		}
		shim_cwd_recheck();
		errno = saved;
	}
	return r;
}

SHIM_EXPORT int fchdir(int fd)
{
	int r = shim_real.fchdir ? shim_real.fchdir(fd) : (int)shim_sys_ret(sys_ret(syscall(SYS_fchdir, fd)));
	if (r == 0 && !shim_busy && atomic_load_explicit(&shim_state, memory_order_acquire) == SHIM_READY) {
		int saved = errno;
		shim_cwd_set_rootpid(fd, true);
		shim_cwd_recheck();
		errno = saved;
	}
	return r;
}
