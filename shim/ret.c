/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ret.c - the one place a core -errno becomes -1 + errno (musl's
 * __syscall_ret idea), and the end of every slow path: the thread leaves the
 * shim, and errno is the caller's again unless the call failed.
 */
#include <errno.h>

#include "shim.h"

int shim_ret(struct shim_ctx *x, int r)
{
	shim_leave(x);
	if (r < 0 && r != SHIM_REAL) {
		errno = -r;
		return -1;
	}
	errno = x->saved_errno;
	return r;
}

ssize_t shim_ret_ssize(struct shim_ctx *x, ssize_t r)
{
	shim_leave(x);
	if (r < 0 && r != SHIM_REAL) {
		errno = (int)-r;
		return -1;
	}
	errno = x->saved_errno;
	return r;
}

/* Pointer results: p on success, NULL with errno err otherwise. */
void *shim_ret_ptr(struct shim_ctx *x, void *p, int err)
{
	shim_leave(x);
	errno = p ? x->saved_errno : err;
	return p;
}

long shim_sys_ret(long r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}
