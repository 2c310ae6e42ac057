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

#include "common.h"
#include "pathward.h"

#define ROUTE_WALK   PATHWARD_RESOLVE_USERSPACE
#define ROUTE_KERNEL PATHWARD_RESOLVE_KERNEL
#define ROUTE_AUTO   0ULL

/*
 * The kernel's own answer for a path with many symlinks is not stable: while
 * mounts change anywhere on the machine, openat2 (and open) can say ELOOP
 * for a path it opens a moment later.  Measured here: 40 nested links with
 * 4 KiB bodies, 1,708 ELOOP in 20,000 openat2 calls during a tmpfs
 * mount/umount loop in another mount namespace (39 links: 1,737; 40 "dot/"
 * links: 92), none when quiet.  This fits a lookup that leaves RCU mode
 * (a mount_lock sequence change) and restarts from the start with the links
 * already counted.  A real loop says ELOOP every time, so the kernel's
 * answer is the first one that is not ELOOP.  The walker is deterministic
 * and is never asked twice.
 */
#define KERNEL_ELOOP_TRIES 64

/* var = expr, evaluated again while it says -ELOOP (a kernel route). */
#define KERNEL_SETTLE(var, expr)                                                   \
	do {                                                                       \
		(var) = (expr);                                                    \
		for (int settle_ = 0; settle_ < KERNEL_ELOOP_TRIES && (var) == -ELOOP; settle_++) \
			(var) = (expr);                                            \
	} while (0)

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
