/* SPDX-License-Identifier: Apache-2.0 */
/*
 * h-realpath - one call of realpath / canonicalize_file_name.
 *
 *   h-realpath [-C DIR] FUNC PATH
 *
 * FUNC: realpath (caller buffer of PATH_MAX: the fortified build reaches
 * __realpath_chk), realpath-null (malloc'd result, freed), __realpath_chk
 * by name, canonicalize_file_name.  Prints "ok text=PATH" or err=ENAME.
 */
#include "helper.h"

char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen);

int main(int argc, char **argv)
{
	struct hopts o;
	int i = h_opts(argc, argv, &o), e;
	char buf[PATH_MAX];
	char *r, *heap = NULL;
	const char *fn, *p;

	if (argc - i < 2) {
		fprintf(stderr, "usage: h-realpath [-C DIR] FUNC PATH\n");
		return 2;
	}
	fn = argv[i];
	p = argv[i + 1];
	h_setup(&o);
	errno = 0;
	if (strcmp(fn, "realpath") == 0)
		r = realpath(p, buf);
	else if (strcmp(fn, "realpath-null") == 0)
		r = heap = realpath(p, NULL);
	else if (strcmp(fn, "__realpath_chk") == 0)
		r = __realpath_chk(p, buf, sizeof(buf));
	else if (strcmp(fn, "canonicalize_file_name") == 0)
		r = heap = canonicalize_file_name(p);
	else {
		fprintf(stderr, "h-realpath: unknown function %s\n", fn);
		return 2;
	}
	e = errno;
	if (!r)
		return h_report_err(e);
	if (e)
		printf("errno-changed=%s ", h_errname(e));
	printf("ok text=%s\n", r);
	free(heap); /* must be malloc memory: free() would abort otherwise */
	return 0;
}
