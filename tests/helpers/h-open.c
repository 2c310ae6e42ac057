/* SPDX-License-Identifier: Apache-2.0 */
/*
 * h-open - one call of the open family, chosen by argv.
 *
 *   h-open [-C DIR] [-d DIR] [-c N] [-r] FUNC PATH FLAGS [MODE]
 *
 * FUNC: open open64 openat openat64 creat creat64, and the fortify entry
 * points __open_2 __open64_2 __openat_2 __openat64_2 called by name.
 * Built three ways by the Makefile, so the plain name "open" reaches the
 * shim as open (plain), open64 (-D_FILE_OFFSET_BITS=64) or __open_2
 * (-O2 -D_FORTIFY_SOURCE=2, flags not a compile-time constant, no mode).
 * FLAGS: see h_flags() ("r", "rw,creat,excl", "tmpfile,rw", "path", ...).
 * MODE: octal, passed only when the flags need one (O_CREAT, O_TMPFILE).
 */
#include "helper.h"

int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

static int call(const char *fn, int dfd, const char *p, int f, mode_t m)
{
	int nm = h_needs_mode(f);

	if (strcmp(fn, "open") == 0)
		return nm ? open(p, f, m) : open(p, f);
	if (strcmp(fn, "open64") == 0)
		return nm ? open64(p, f, m) : open64(p, f);
	if (strcmp(fn, "openat") == 0)
		return nm ? openat(dfd, p, f, m) : openat(dfd, p, f);
	if (strcmp(fn, "openat64") == 0)
		return nm ? openat64(dfd, p, f, m) : openat64(dfd, p, f);
	if (strcmp(fn, "creat") == 0)
		return creat(p, m);
	if (strcmp(fn, "creat64") == 0)
		return creat64(p, m);
	if (strcmp(fn, "__open_2") == 0)
		return __open_2(p, f);
	if (strcmp(fn, "__open64_2") == 0)
		return __open64_2(p, f);
	if (strcmp(fn, "__openat_2") == 0)
		return __openat_2(dfd, p, f);
	if (strcmp(fn, "__openat64_2") == 0)
		return __openat64_2(dfd, p, f);
	fprintf(stderr, "h-open: unknown function %s\n", fn);
	exit(2);
}

int main(int argc, char **argv)
{
	struct hopts o;
	int i = h_opts(argc, argv, &o), fd, e;
	mode_t m;

	if (argc - i < 3) {
		fprintf(stderr, "usage: h-open [-C DIR] [-d DIR] [-c N] [-r] FUNC PATH FLAGS [MODE]\n");
		return 2;
	}
	m = argc - i > 3 ? (mode_t)strtoul(argv[i + 3], NULL, 8) : 0644;
	h_setup(&o);
	errno = 0;
	fd = call(argv[i], o.dirfd, argv[i + 1], h_flags(argv[i + 2]), m);
	e = errno;
	/* errno must be untouched by a successful call (DESIGN §2). */
	if (fd >= 0 && e != 0)
		printf("errno-changed=%s ", h_errname(e));
	return h_report_fd(fd, e, o.read);
}
