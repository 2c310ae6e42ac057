/* SPDX-License-Identifier: Apache-2.0 */
/*
 * canon.h - where the kernel's own resolution of an absolute path enters a
 * contained prefix (DESIGN §2 "Classes", the CLASSIFY_CANON case).
 *
 * classify_path is lexical and never applies "..": "/srv/../srv/c1/x" is
 * under no prefix by its text, yet the kernel opens /srv/c1/x, following
 * symlinks planted inside the root on the host.  Such spellings are rare,
 * so they are walked for real here: from "/", one component at a time
 * (O_PATH|O_NOFOLLOW), with host semantics for ".", ".." and symlinks (40 at
 * most), keeping the canonical text of where the walk stands.  The walk stops
 * as soon as that text, or the name it is about to follow, is a configured
 * root prefix, "/proc" (proc policy safe) or /proc/<pid>[/task/<tid>]/root.
 *
 * Raw syscalls only, no allocation, three PATH_MAX buffers on the stack,
 * async-signal-safe; errno is clobbered (the shim restores it).
 */
#ifndef PATHWARD_CANON_H
#define PATHWARD_CANON_H

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"

/* Symlinks followed per walk, bodies included (Linux MAXSYMLINKS). */
#define CANON_MAX_LINKS 40

/*
 * Walk path (absolute) under policy p.  follow: a symlink in the last
 * component is followed (else the walk ends before it).  Returns 1 when the
 * walk entered a prefix: out (size bytes; may be path itself) holds that
 * prefix followed by the components not walked yet, verbatim (their ".."
 * and symlinks are for the ROOT/PROC route to resolve inside).  Returns 0
 * ("native") when the walk ends outside every prefix or anything fails
 * (lookup error, loop, length): the caller runs the real call on the
 * original path, which gives exactly the native result.
 */
int canon_enter(const struct policy *p, const char *path, bool follow, char *out, size_t size);

#endif
