/* SPDX-License-Identifier: Apache-2.0 */
/*
 * shimpath.c - locate the shim and build LD_PRELOAD.
 *
 * ld.so skips a missing preload file with a warning and runs the program
 * unprotected (shim.md §0 item 6), so the launcher looks for the file
 * itself and refuses to start without it.
 */
#include "shimpath.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd.h"
#include "pathward.h"

#ifndef PATHWARD_PREFIX
#define PATHWARD_PREFIX "/usr/local"
#endif
#ifndef PATHWARD_LIBDIR
#define PATHWARD_LIBDIR PATHWARD_PREFIX "/lib"
#endif

/* A candidate counts when it opens and is a regular ELF file: ld.so would
 * skip anything else with a warning and run the program unprotected. */
static bool shim_usable(const char *path)
{
	struct stat st;
	char magic[SELFMAG];
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	return fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	       pread(fd, magic, sizeof(magic), 0) == (ssize_t)sizeof(magic) && memcmp(magic, ELFMAG, SELFMAG) == 0;
}

/* The libdir as seen from the prefix ("/lib", "/lib64", "/lib/x86_64-linux-gnu"),
 * so an installed tree is found relative to the binary, as DESTDIR stages it. */
static const char *libdir_below_prefix(void)
{
	size_t n = strlen(PATHWARD_PREFIX);

	if (strncmp(PATHWARD_LIBDIR, PATHWARD_PREFIX, n) == 0 && PATHWARD_LIBDIR[n] == '/')
		return PATHWARD_LIBDIR + n;
	return "/lib";
}

/* Cut the last component: "/a/b/c" -> "/a/b" (and "/a" -> ""). */
static void path_cut(char *p)
{
	char *s = strrchr(p, '/');
	if (s)
		*s = '\0';
}

/* Append dir + tail as a candidate; a path too long is dropped, never cut
 * (a truncated path names some other file). */
static void candidate_add(char tried[][PATH_MAX], int *n, const char *dir, const char *tail)
{
	if (strlen(dir) + strlen(tail) < PATH_MAX) {
		strcpy(tried[*n], dir);
		strcat(tried[(*n)++], tail);
	}
}

int shim_find(char *out, size_t size)
{
	char exe[PATH_MAX], tail[PATH_MAX], tried[3][PATH_MAX];
	int ntried = 0;

	ssize_t n = pathward_proc_readlink(NULL, PATHWARD_PROC_SELF, "exe", exe, sizeof(exe));
	if (n > 0 && (size_t)n < sizeof(exe)) {
		path_cut(exe); /* the binary's directory */
		candidate_add(tried, &ntried, exe, "/" SHIM_NAME);
		path_cut(exe); /* the prefix */
		snprintf(tail, sizeof(tail), "%s/pathward/" SHIM_NAME, libdir_below_prefix());
		candidate_add(tried, &ntried, exe, tail);
	}
	candidate_add(tried, &ntried, PATHWARD_LIBDIR, "/pathward/" SHIM_NAME);

	for (int i = 0; i < ntried; i++) {
		if (!shim_usable(tried[i]))
			continue;
		if (strpbrk(tried[i], ": ")) {
			fprintf(stderr, "pathward: run: %s: LD_PRELOAD cannot carry a path with ':' or ' '\n",
			        tried[i]);
			return 1;
		}
		if (strlen(tried[i]) >= size)
			break;
		strcpy(out, tried[i]);
		return 0;
	}
	fprintf(stderr, "pathward: run: cannot find " SHIM_NAME " (looked for");
	for (int i = 0; i < ntried; i++)
		fprintf(stderr, " %s", tried[i]);
	fprintf(stderr, ")\n");
	return 1;
}

/* ld.so splits LD_PRELOAD on both ':' and ' '. */
char *preload_compose(const char *shim, const char *old)
{
	size_t len = strlen(shim) + (old ? strlen(old) : 0) + 2;
	char *s = malloc(len);
	if (!s)
		return NULL;
	strcpy(s, shim);
	for (const char *p = old; p && *p;) {
		size_t n = strcspn(p, ": ");
		if (n > 0) {
			const char *base = memrchr(p, '/', n);
			base = base ? base + 1 : p;
			size_t blen = (size_t)(p + n - base);
			bool ours = blen == strlen(SHIM_NAME) && memcmp(base, SHIM_NAME, blen) == 0;
			if (!ours) {
				strcat(s, ":");
				strncat(s, p, n);
			}
		}
		p += n + (p[n] ? 1 : 0);
	}
	return s;
}
