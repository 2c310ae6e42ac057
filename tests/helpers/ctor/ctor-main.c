/* SPDX-License-Identifier: Apache-2.0 */
/*
 * h-ctor - linked against libctor.so (whose constructor has already made
 * its call by the time main runs); main repeats the same fopen once the
 * shim is initialised and prints "main: <result line>".
 */
#include "../helper.h"

int ctor_linked(void);

int main(void)
{
	const char *p = getenv("HCTOR_PATH");
	FILE *f;
	int e;

	errno = 0;
	f = fopen(p && *p ? p : "/proc/self/status", "re");
	e = errno;
	printf("main: ");
	return h_report_fd(f ? fileno(f) : -1, e, getenv("HCTOR_READ") != NULL) + !ctor_linked();
}
