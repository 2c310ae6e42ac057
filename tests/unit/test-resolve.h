/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-resolve.h - shared plumbing for the resolver suites: the corpus-like
 * scratch layout, path token expansion, and "is openat2 usable here".
 */
#ifndef PATHWARD_TEST_RESOLVE_H
#define PATHWARD_TEST_RESOLVE_H

#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "../kernel-settle.h"
#include "common.h"
#include "pathward.h"

#define ROUTE_WALK   PATHWARD_RESOLVE_USERSPACE
#define ROUTE_KERNEL PATHWARD_RESOLVE_KERNEL
#define ROUTE_AUTO   0ULL

/* The raw oracle: openat2(RESOLVE_IN_ROOT), EAGAIN retried, ELOOP settled;
 * -errno. */
static inline int oracle_open(int rootfd, const char *path, int flags, mode_t mode)
{
	struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC), .mode = mode, .resolve = RESOLVE_IN_ROOT };
	long r;
	int tries = 0;
	do
		r = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	while (r < 0 && (errno == EAGAIN || (errno == ELOOP && tries++ < KERNEL_ELOOP_TRIES)));
	return r < 0 ? -errno : (int)r;
}

/* 0 when openat2 works; ENOSYS or EPERM when a filter (tests/tools/enosys)
 * or an old kernel refuses it. */
static inline int openat2_refusal(void)
{
	int fd = oracle_open(AT_FDCWD, "/", O_PATH, 0);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return -fd;
}

/* Scratch directory under /tmp; returns its path (static storage). */
static inline const char *scratch_dir(void)
{
	static char dir[64];
	snprintf(dir, sizeof(dir), "/tmp/pw-resolve-XXXXXX");
	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	return dir;
}

/* rm -r of a scratch tree, best effort (tests fork; leftovers in /tmp only). */
static inline void scratch_remove(const char *dir)
{
	char cmd[128];
	if (strncmp(dir, "/tmp/pw-resolve-", 16) != 0)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}

#endif
