/* SPDX-License-Identifier: Apache-2.0 */
/*
 * h-readlink - one call of the readlink family.
 *
 *   h-readlink [-C DIR] [-d DIR] FUNC PATH [BUFSIZE]
 *
 * FUNC: readlink readlinkat, and __readlink_chk __readlinkat_chk by name.
 * The buffer is a PATH_MAX array and BUFSIZE (default its size) is not a
 * compile-time constant, so the fortified build reaches __readlink_chk /
 * __readlinkat_chk on its own.  Prints "ok len=N text=TEXT" (the bytes the
 * call returned, not NUL-terminated by it) or err=ENAME.
 */
#include "helper.h"

ssize_t __readlink_chk(const char *path, char *buf, size_t len, size_t buflen);
ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t len, size_t buflen);

int main(int argc, char **argv)
{
	struct hopts o;
	int i = h_opts(argc, argv, &o);
	char buf[PATH_MAX + 1];
	size_t len = PATH_MAX;
	const char *fn, *p;
	ssize_t n;

	if (argc - i < 2) {
		fprintf(stderr, "usage: h-readlink [-C DIR] [-d DIR] FUNC PATH [BUFSIZE]\n");
		return 2;
	}
	fn = argv[i];
	p = argv[i + 1];
	if (argc - i > 2)
		len = strtoul(argv[i + 2], NULL, 10);
	if (len > PATH_MAX)
		len = PATH_MAX;
	memset(buf, '#', sizeof(buf));
	h_setup(&o);
	errno = 0;
	if (strcmp(fn, "readlink") == 0)
		n = readlink(p, buf, len);
	else if (strcmp(fn, "readlinkat") == 0)
		n = readlinkat(o.dirfd, p, buf, len);
	else if (strcmp(fn, "__readlink_chk") == 0)
		n = __readlink_chk(p, buf, len, sizeof(buf));
	else if (strcmp(fn, "__readlinkat_chk") == 0)
		n = __readlinkat_chk(o.dirfd, p, buf, len, sizeof(buf));
	else {
		fprintf(stderr, "h-readlink: unknown function %s\n", fn);
		return 2;
	}
	if (n < 0)
		return h_report_err(errno);
	if (errno)
		printf("errno-changed=%s ", h_errname(errno));
	/* The byte after the result must be untouched (no NUL written). */
	printf("ok len=%zd text=%.*s after=%c\n", n, (int)n, buf, buf[n]);
	return 0;
}
