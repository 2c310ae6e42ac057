/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pw-child.c - the program `make bench` runs with and without LD_PRELOAD
 * (and inside a root under proot/fakechroot).  Built like a user's program:
 * dynamic, libc only, no pathward code, dlopens nothing.
 *
 *   pw-child loop openclose|openreadclose PATH BATCH SAMPLES
 *       prints the median over SAMPLES batches of the per-call cost in ns
 *   pw-child read1000 PREFIX N
 *       opens+reads+closes PREFIX/links/lNNNN (absolute symlinks to
 *       /data/fNNNN inside the root) for N files; prints "<ns per file>
 *       <files whose content was right>"
 *   pw-child read1000-openat2 ROOT N
 *       the same with openat2(rootfd, "links/lNNNN", RESOLVE_IN_ROOT)
 *   pw-child whose-open
 *       prints the object that provides open() (is the shim interposed?)
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

static char buf[8192];

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int one(const char *path, int do_read)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (do_read && read(fd, buf, sizeof(buf)) <= 0) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int loop(const char *kind, const char *path, int batch, int samples)
{
	int do_read = !strcmp(kind, "openreadclose");
	double *s = calloc((size_t)samples, sizeof(*s));

	if (!s || batch < 1 || samples < 1)
		return 2;
	for (int i = 0; i < batch * 5; i++) /* warm-up: page cache, shim init */
		if (one(path, do_read) < 0) {
			fprintf(stderr, "pw-child: %s: %s\n", path, strerror(errno));
			return 1;
		}
	for (int k = 0; k < samples; k++) {
		double t0 = now_ns();
		for (int i = 0; i < batch; i++)
			if (one(path, do_read) < 0)
				return 1;
		s[k] = (now_ns() - t0) / batch;
	}
	qsort(s, (size_t)samples, sizeof(*s), cmp_double);
	printf("%.1f\n", samples % 2 ? s[samples / 2] : (s[samples / 2 - 1] + s[samples / 2]) / 2);
	return 0;
}

/* Files hold their own index ("1234\n"); a right answer proves the absolute
 * symlink was resolved inside the root. */
static int check(int fd, int i)
{
	ssize_t r = read(fd, buf, sizeof(buf) - 1);
	if (r <= 0)
		return 0;
	buf[r] = '\0';
	return atoi(buf) == i;
}

static int read1000(const char *prefix, int n, int use_openat2)
{
	char p[4096];
	int good = 0, rootfd = -1;
	double t0;

	if (use_openat2 && (rootfd = open(prefix, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 1;
	t0 = now_ns();
	for (int i = 0; i < n; i++) {
		int fd;
		if (use_openat2) {
			struct open_how how = { .flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
			snprintf(p, sizeof(p), "links/l%04d", i);
			fd = (int)syscall(SYS_openat2, rootfd, p, &how, sizeof(how));
		} else {
			snprintf(p, sizeof(p), "%s/links/l%04d", prefix, i);
			fd = open(p, O_RDONLY | O_CLOEXEC);
		}
		if (fd < 0)
			continue;
		good += check(fd, i);
		close(fd);
	}
	printf("%.1f %d\n", (now_ns() - t0) / n, good);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "loop"))
		return loop(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
	if (argc == 4 && !strcmp(argv[1], "read1000"))
		return read1000(argv[2], atoi(argv[3]), 0);
	if (argc == 4 && !strcmp(argv[1], "read1000-openat2"))
		return read1000(argv[2], atoi(argv[3]), 1);
	if (argc == 2 && !strcmp(argv[1], "whose-open")) {
		Dl_info info;
		void *fn = (void *)&open;
		if (!dladdr(fn, &info) || !info.dli_fname)
			return 1;
		printf("%s\n", info.dli_fname);
		return 0;
	}
	fprintf(stderr, "usage: pw-child loop|read1000|read1000-openat2|whose-open ...\n");
	return 2;
}
