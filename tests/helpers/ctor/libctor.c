/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libctor.so - a dependency whose constructor calls fopen() on a /proc
 * file, as libselinux's does with /proc/filesystems in ls and stat: the
 * loader runs it before the preloaded shim's own constructor (shim.md
 * §2.7-1), so the wrapper must work uninitialised.
 *
 * The path is $HCTOR_PATH (default /proc/self/status); the constructor
 * prints "ctor: <result line>".
 */
#include "../helper.h"

__attribute__((constructor)) static void ctor_probe(void)
{
	const char *p = getenv("HCTOR_PATH");
	FILE *f;
	int e;

	errno = 0;
	f = fopen(p && *p ? p : "/proc/self/status", "re");
	e = errno;
	printf("ctor: ");
	h_report_fd(f ? fileno(f) : -1, e, getenv("HCTOR_READ") != NULL);
	fflush(stdout);
	if (f)
		fclose(f);
}

/* Referenced by the program so the link keeps the dependency. */
int ctor_linked(void);
int ctor_linked(void)
{
	return 1;
}
