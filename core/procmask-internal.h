/* SPDX-License-Identifier: Apache-2.0 */
/*
 * procmask-internal.h - what procmask.c (pure: parser, classifier) shares
 * with procmask-open.c (I/O: open through masks, list them).  Not a
 * contract for other modules: they use procmask.h.
 */
#ifndef PATHWARD_PROCMASK_INTERNAL_H
#define PATHWARD_PROCMASK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmask.h"

/* A span of the input line. */
struct procmask_span {
	const char *s;
	size_t n;
};

/* The fields of a line, still escaped. */
struct procmask_fields {
	struct procmask_span f[6]; /* id, parent, dev, root, mountpoint, options */
	struct procmask_span fstype, source;
};

/* Split a mountinfo line into its fields (still escaped).  0 or -EINVAL. */
int procmask_split_line(const char *line, size_t len, struct procmask_fields *x);

/* Undo the kernel's \ooo escapes into out[size]; -EINVAL when malformed,
 * empty, or too long (unless truncate: then cut short). */
int procmask_unescape(struct procmask_span f, char *out, size_t size, bool truncate);

/* A decimal field without sign or overflow.  0 or -EINVAL. */
int procmask_parse_u64(struct procmask_span f, uint64_t *v);

/* Is "ro" among the per-mount options? */
bool procmask_options_ro(struct procmask_span f);

/* The leading mount id of a line, without parsing the rest. */
bool procmask_line_id(const char *line, size_t len, uint64_t *id);

/* The rule of procmask.c for a mount at rel (n bytes, no leading '/')
 * below the /proc root; n == 0 is the /proc mount itself. */
enum procmask_kind procmask_classify_rel(const char *fstype, const char *root, bool ro, const char *rel,
                                         size_t n);

#endif
