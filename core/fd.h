/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fd.h - descriptor ownership helpers (systemd's idiom).
 *
 * The empty fd is -EBADF.  An owned local is declared `_cleanup_close_ int fd
 * = -EBADF;` and leaves its scope only through TAKE_FD().  safe_close() keeps
 * errno and returns -EBADF so `fd = safe_close(fd);` reads naturally.
 */
#ifndef PATHWARD_FD_H
#define PATHWARD_FD_H

#include <errno.h>

#include "sys.h"

static inline int safe_close(int fd)
{
	if (fd >= 0) {
		int saved = errno;
		(void)sys_close(fd);
		errno = saved;
	}
	return -EBADF;
}

static inline void closep(int *fd)
{
	safe_close(*fd);
}

#define _cleanup_close_ __attribute__((cleanup(closep)))

/* Hand ownership out of a scope: returns the fd and empties the variable. */
#define TAKE_FD(fd)                   \
	({                            \
		int _taken_ = (fd);   \
		(fd) = -EBADF;        \
		_taken_;              \
	})

#endif
