/* SPDX-License-Identifier: Apache-2.0 */
/*
 * h-dir - opendir, then readdir to the end.
 *
 *   h-dir [-C DIR] [-c N] [-n] opendir PATH
 *
 * Prints the line for dirfd(d) plus n=COUNT (entries other than . and ..)
 * and, with -n, names=a,b,c sorted; readdir's errno at the end (rderr=) if
 * it was set, which is how an O_PATH descriptor shows (shim.md §2.7-12).
 */
#include "helper.h"

#include <dirent.h>

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	static char *names[4096];
	struct hopts o;
	int i = h_opts(argc, argv, &o), e;
	size_t n = 0;
	struct dirent *de;
	char line[PATH_MAX + 256];
	DIR *d;

	if (argc - i < 2 || strcmp(argv[i], "opendir") != 0) {
		fprintf(stderr, "usage: h-dir [-C DIR] [-c N] [-n] opendir PATH\n");
		return 2;
	}
	h_setup(&o);
	errno = 0;
	d = opendir(argv[i + 1]);
	e = errno;
	if (!d)
		return h_report_err(e);
	if (e != 0)
		printf("errno-changed=%s ", h_errname(e));
	h_fmt_fd(line, sizeof(line), dirfd(d), 0);
	line[strcspn(line, "\n")] = '\0';
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n < sizeof(names) / sizeof(names[0]))
			names[n++] = strdup(de->d_name);
	}
	e = errno;
	printf("%s n=%zu", line, n);
	if (e)
		printf(" rderr=%s", h_errname(e));
	if (o.names) {
		qsort(names, n, sizeof(names[0]), cmp);
		printf(" names=");
		for (size_t k = 0; k < n; k++)
			printf("%s%s", k ? "," : "", names[k]);
	}
	printf("\n");
	return 0;
}
