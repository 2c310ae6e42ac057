/* SPDX-License-Identifier: Apache-2.0 */
/*
 * h-access - one call of the access family.
 *
 *   h-access [-C DIR] [-d DIR] FUNC PATH MODE [AT_FLAGS]
 *
 * FUNC: access faccessat eaccess euidaccess.  MODE: F, or any of R W X.
 * AT_FLAGS (faccessat): "eaccess", "nofollow", both comma-separated, or 0.
 * Prints "ok" or err=ENAME.
 */
#include "helper.h"

int main(int argc, char **argv)
{
	struct hopts o;
	int i = h_opts(argc, argv, &o), r, m = 0, fl = 0;
	const char *fn, *p;

	if (argc - i < 3) {
		fprintf(stderr, "usage: h-access [-C DIR] [-d DIR] FUNC PATH MODE [AT_FLAGS]\n");
		return 2;
	}
	fn = argv[i];
	p = argv[i + 1];
	if (strchr(argv[i + 2], 'R'))
		m |= R_OK;
	if (strchr(argv[i + 2], 'W'))
		m |= W_OK;
	if (strchr(argv[i + 2], 'X'))
		m |= X_OK;
	if (argc - i > 3) {
		if (strstr(argv[i + 3], "eaccess"))
			fl |= AT_EACCESS;
		if (strstr(argv[i + 3], "nofollow"))
			fl |= AT_SYMLINK_NOFOLLOW;
	}
	h_setup(&o);
	errno = 0;
	if (strcmp(fn, "access") == 0)
		r = access(p, m);
	else if (strcmp(fn, "faccessat") == 0)
		r = faccessat(o.dirfd, p, m, fl);
	else if (strcmp(fn, "eaccess") == 0)
		r = eaccess(p, m);
	else if (strcmp(fn, "euidaccess") == 0)
		r = euidaccess(p, m);
	else {
		fprintf(stderr, "h-access: unknown function %s\n", fn);
		return 2;
	}
	if (r < 0)
		return h_report_err(errno);
	if (errno)
		printf("errno-changed=%s ", h_errname(errno));
	printf("ok\n");
	return 0;
}
