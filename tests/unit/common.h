/* SPDX-License-Identifier: Apache-2.0 */
/*
 * common.h - shared plumbing for the Criterion suites.
 *
 * Criterion runs every Test() in its own forked process, so a test may
 * enter a private mount namespace and mount freely: nothing reaches the
 * host's mount table, and the namespace dies with the test process.
 */
#ifndef PATHWARD_TEST_COMMON_H
#define PATHWARD_TEST_COMMON_H

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Enter a private mount namespace (unshare -m --propagation private) or skip
 * the test with the reason.  Never returns on skip.
 */
#define TEST_PRIVATE_MNTNS()                                                              \
	do {                                                                              \
		if (geteuid() != 0)                                                       \
			cr_skip_test("needs root for a private mount namespace");         \
		if (unshare(CLONE_NEWNS) < 0)                                             \
			cr_skip_test("unshare(CLONE_NEWNS): %s", strerror(errno));        \
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)                \
			cr_assert_fail("make / private: %s", strerror(errno));            \
	} while (0)

/* Bind src over dst through O_PATH|O_NOFOLLOW fds, so either may be a
 * symlink (procfs.md §4 "fd trick").  Returns 0 or -errno (ENOENT: the
 * kernel (6.12+) refuses mounts on that procfs entry). */
static inline int test_bind_fd(const char *src, const char *dst)
{
	char s[64], d[64];
	int sfd = open(src, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	int dfd = open(dst, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	int r = 0;
	if (sfd < 0 || dfd < 0) {
		r = -errno;
	} else {
		snprintf(s, sizeof(s), "/proc/self/fd/%d", sfd);
		snprintf(d, sizeof(d), "/proc/self/fd/%d", dfd);
		if (mount(s, d, NULL, MS_BIND, NULL) < 0)
			r = -errno;
	}
	if (sfd >= 0)
		close(sfd);
	if (dfd >= 0)
		close(dfd);
	return r;
}

/* Same (st_dev, st_ino)?  Files are compared by identity, not by name. */
static inline bool test_same_file(int a, int b)
{
	struct stat sa, sb;
	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* An fd's file status flags as a native open would show them: the kernel's
 * O_LARGEFILE (0100000) is forced by open/openat on 64-bit and not by
 * openat2, so it is masked on every side of a comparison (finding F4). */
#define K_O_LARGEFILE 0100000

static inline int test_status_flags(int fd)
{
	return fcntl(fd, F_GETFL) & ~K_O_LARGEFILE;
}

/* Quick mode: the forced-failure reruns set PATHWARD_TEST_QUICK=1 so that
 * long loops (races, differential runs) shrink; the full counts run once. */
static inline bool test_quick(void)
{
	const char *q = getenv("PATHWARD_TEST_QUICK");
	return q && *q == '1';
}

#endif
