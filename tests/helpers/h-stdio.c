/* SPDX-License-Identifier: Apache-2.0 */
/*
 * h-stdio - one call of fopen/fopen64/freopen/freopen64.
 *
 *   h-stdio [-C DIR] [-c N] [-r] FUNC PATH MODE
 *
 * freopen reopens a stream first opened on /dev/null.  The result line is
 * the one for fileno(stream).  -D_FILE_OFFSET_BITS=64 turns fopen into
 * fopen64.
 */
#include "helper.h"

int main(int argc, char **argv)
{
	struct hopts o;
	int i = h_opts(argc, argv, &o), e;
	const char *fn, *p, *m;
	FILE *f = NULL;

	if (argc - i < 3) {
		fprintf(stderr, "usage: h-stdio [-C DIR] [-c N] [-r] FUNC PATH MODE\n");
		return 2;
	}
	fn = argv[i];
	p = argv[i + 1];
	m = argv[i + 2];
	h_setup(&o);
	if (strncmp(fn, "freopen", 7) == 0) {
		f = fopen("/dev/null", "r");
		if (!f)
			return h_report_err(errno);
	}
	errno = 0;
	if (strcmp(fn, "fopen") == 0)
		f = fopen(p, m);
	else if (strcmp(fn, "fopen64") == 0)
		f = fopen64(p, m);
	else if (strcmp(fn, "freopen") == 0)
		f = freopen(p, m, f);
	else if (strcmp(fn, "freopen64") == 0)
		f = freopen64(p, m, f);
	else {
		fprintf(stderr, "h-stdio: unknown function %s\n", fn);
		return 2;
	}
	e = errno;
	if (f && e != 0)
		printf("errno-changed=%s ", h_errname(e));
	return h_report_fd(f ? fileno(f) : -1, e, o.read);
}
