/* SPDX-License-Identifier: Apache-2.0 */
/*
 * classify.h - which protection an absolute path needs (DESIGN §2 "Classes").
 *
 * Pure: no I/O, no allocation, errno untouched; safe to fuzz and to call on
 * the shim's fast path.  The path is compared component by component against
 * "/proc" and the policy's root prefixes, so "//proc/./self" is /proc too;
 * ".." is never normalised (the kernel applies it after symlinks), it stays
 * in the remainder and the route decides.
 *
 *   PASS  nothing to do (relative paths are always PASS here: the shim turns
 *         a contained dirfd/cwd into an absolute path first);
 *   PROC  "/proc" or "/proc/..." with policy proc == safe;
 *   ROOT  under a PATHWARD_ROOTS prefix (the longest matching one), or
 *         under "/proc/<pid|self|thread-self>[/task/<tid>]/root/" whatever
 *         the proc policy (an absolute symlink inside another process's root
 *         means that root, not ours).  "/proc/PID/root" without anything
 *         after it is PROC: it is the magic link itself (readlink must read
 *         the kernel's text).
 *   CANON an absolute path that would be PASS by its text but holds a ".."
 *         component: the kernel applies ".." after symlinks, so the text
 *         cannot say whether it lands under /proc or a root ("/srv/../srv/
 *         c1/x").  The caller finds out with canon_enter (canon.h) and
 *         classifies its answer; rest is the whole path.
 */
#ifndef PATHWARD_CLASSIFY_H
#define PATHWARD_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"

/* CANON sorts before PROC and ROOT so that "cls <= CLASSIFY_ROOT" still
 * means "a valid class". */
enum classify_class { CLASSIFY_PASS = 0, CLASSIFY_CANON, CLASSIFY_PROC, CLASSIFY_ROOT };

/* struct classify.root for a /proc/PID/root prefix. */
#define CLASSIFY_ROOT_PROCPID (-1)

struct classify {
	enum classify_class cls;
	/* ROOT: index into policy->roots, or CLASSIFY_ROOT_PROCPID. */
	int root;
	/* PROC: the part below /proc, leading slashes skipped ("" for /proc
	 * itself).  ROOT: the part below the prefix, starting at its '/' (""
	 * when the path is the prefix itself).  Points into the input path. */
	const char *rest;
	/* ROOT_PROCPID: the subpath of the root magic link below /proc
	 * ("self/root", "12/task/13/root", as spelled in the input: it may hold
	 * "//" or "/./"), not NUL-terminated; length procsub_len. */
	const char *procsub;
	size_t procsub_len;
};

/*
 * Classify path (NULL is PASS) under policy p.  Fills *c (cls always set)
 * and returns c->cls.
 */
enum classify_class classify_path(const struct policy *p, const char *path, struct classify *c);

/* Short name for logs: "pass", "canon", "proc", "root". */
const char *classify_name(enum classify_class cls);

#endif
