/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stress.h - shared bits of the stress programs (tests/stress/).  They are
 * ordinary user programs: libc only, run with and without the shim
 * preloaded by tests/shim/stress.bats.  Each prints one "ok ..." line and
 * exits 0, or prints what went wrong and exits 1.  Loops are bounded by
 * iteration counts (STRESS_QUICK=1 or PATHWARD_TEST_QUICK=1 shrink them),
 * never by time.
 */
#ifndef PATHWARD_STRESS_H
#define PATHWARD_STRESS_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int stress_failures;

__attribute__((format(printf, 1, 2))) static inline void stress_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (__atomic_fetch_add(&stress_failures, 1, __ATOMIC_RELAXED) < 20) {
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

static inline long stress_iters(long full)
{
	const char *q = getenv("PATHWARD_TEST_QUICK");
	if (q && !strcmp(q, "1"))
		return full / 10 > 0 ? full / 10 : 1;
	return full;
}

/* Read a whole small file through open/read/close (the wrappers). */
static inline ssize_t stress_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, size - 1);
	int e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = '\0';
	return n;
}

/* Descriptors open now with a number below below (-1: all), counted
 * with raw getdents64 (no wrapper involved). */
static inline int stress_count_fds_below(int below)
{
	char buf[4096];
	int n = 0, fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (;;) {
		long r = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (r <= 0)
			break;
		for (long off = 0; off < r;) {
			unsigned short reclen;
			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			if (buf[off + 19] != '.' && (below < 0 || atoi(buf + off + 19) < below))
				n++;
			off += reclen;
		}
	}
	syscall(SYS_close, fd);
	return n - (below < 0 || fd < below);
}

static inline int stress_count_fds(void)
{
	return stress_count_fds_below(-1);
}

static inline int stress_done(const char *what)
{
	if (stress_failures) {
		fprintf(stderr, "FAIL %s: %d failures\n", what, stress_failures);
		return 1;
	}
	printf("ok %s\n", what);
	return 0;
}

#endif
