/* SPDX-License-Identifier: Apache-2.0 */
/*
 * shimpath.h - where the launcher finds pathward-preload.so, and how it
 * goes in front of LD_PRELOAD.
 */
#ifndef PATHWARD_CLI_SHIMPATH_H
#define PATHWARD_CLI_SHIMPATH_H

#include <stddef.h>

#define SHIM_NAME "pathward-preload.so"

/*
 * Find the shim, first match wins:
 *   1. beside the running binary (the build tree: build/pathward),
 *   2. <dir of the binary>/../<libdir below the prefix>/pathward/ (an
 *      installed tree, wherever it was moved or DESTDIR-staged to),
 *   3. the compile-time PATHWARD_LIBDIR/pathward/.
 * The binary's own path is read through the verified procfs handle.
 * Writes the path to out and returns 0, or prints why on stderr and
 * returns 1 (operational failure).
 */
int shim_find(char *out, size_t size);

/*
 * LD_PRELOAD with shim first and every old entry after it, except earlier
 * copies of the shim (any entry named SHIM_NAME), joined with ':'.
 * old may be NULL.  malloc'd; NULL when out of memory.
 */
char *preload_compose(const char *shim, const char *old);

#endif
