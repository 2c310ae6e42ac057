/* SPDX-License-Identifier: Apache-2.0 */
/*
 * procmask.c - tell a container runtime's masks under /proc from an attack.
 *
 * THE RULE.  A mount at or under the /proc mount is a recognised mask only
 * if it can only hide what is beneath it, never put other content in its
 * place:
 *
 *   (a) PROCMASK_DEVNULL: a file bound from a tmpfs or devtmpfs (mount root
 *       not "/": a bind of one node) that is, when checked on the pinned
 *       mount, the character device 1:3.  Reading /dev/null gives nothing,
 *       so it hides the file and cannot substitute it.  runc binds a
 *       verified /dev/null this way (post CVE-2025-31133).
 *   (b) PROCMASK_EMPTY_TMPFS: a fresh (root "/") read-only tmpfs over a
 *       directory that is, on the pinned mount, empty.  It hides the
 *       directory.  Anything found inside proves substitution: refused
 *       (what does not exist gives the native ENOENT).
 *   (c) PROCMASK_SELF_BIND: procfs of the same instance (same st_dev as
 *       /proc) bound on the very path it came from (mountinfo root equals
 *       the mountpoint relative to /proc), e.g. runc's read-only /proc/sys.
 *       The content is the genuine one.
 *
 * Never a mask: anything under /proc/<pid>, /proc/self, /proc/thread-self
 * (runtimes do not mask per-process entries, and those are the write
 * targets of CVE-2019-16884, CVE-2025-52881), any other procfs bind (another
 * path: procfs.md A1), a symlink bound anywhere (A4, A5), a rw or non-fresh
 * tmpfs, any other filesystem (lxcfs's FUSE files included: they substitute
 * content), a mount stacked on another at the same place (its parent is
 * not the mount the walk came from).  Those are PROCMASK_UNKNOWN and
 * opening through them is -EXDEV.
 *
 * Writes (O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND, O_TMPFILE) through
 * any mask are refused with -EROFS, which is also what the read-only ones
 * give natively; a rw /dev/null mask would swallow the write silently, and
 * a program that believes it set a sysctl must hear that it did not.  What
 * open(2) checks before EROFS (ENOENT, EEXIST, EISDIR, ...) is kept.
 *
 * This file is the pure half (no I/O: fuzzed): the mountinfo parser and
 * the classifier.  procmask-open.c opens through masks and lists them.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "procmask-internal.h"
#include "procmask.h"
#include "strutil.h"

/* ------------------------------------------------------------------ */
/* Parsing one mountinfo line (pure)                                   */
/* ------------------------------------------------------------------ */

/* Next space-separated field of [*p, end), or false at the end. */
static bool next_field(const char **p, const char *end, struct procmask_span *f)
{
	const char *q = *p;
	while (q < end && *q == ' ')
		q++;
	if (q == end)
		return false;
	f->s = q;
	while (q < end && *q != ' ')
		q++;
	f->n = (size_t)(q - f->s);
	*p = q;
	return true;
}

static bool span_is(struct procmask_span f, const char *lit)
{
	size_t n = strlen(lit);
	return f.n == n && memcmp(f.s, lit, n) == 0;
}

/*
 * Copy f into out[size] undoing the kernel's mangle() (space, tab, newline
 * and backslash become \040 \011 \012 \134; any \ooo is accepted).  A bad
 * escape, a NUL byte or an empty result is -EINVAL; what does not fit is
 * -EINVAL, or cut short when truncate is set (fstype, source: never
 * compared against anything that long).
 */
int procmask_unescape(struct procmask_span f, char *out, size_t size, bool truncate)
{
	size_t o = 0;
	for (size_t i = 0; i < f.n; i++) {
		unsigned char c = (unsigned char)f.s[i];
		if (c == '\\') {
			unsigned v = 0;
			if (f.n - i < 4)
				return -EINVAL;
			for (size_t k = 1; k <= 3; k++) {
				unsigned char d = (unsigned char)f.s[i + k];
				if (d < '0' || d > '7')
					return -EINVAL;
				v = v * 8 + (unsigned)(d - '0');
			}
			if (v == 0 || v > 255)
				return -EINVAL;
			c = (unsigned char)v;
			i += 3;
		} else if (c == '\0' || c == '\n' || c == '\t') {
			return -EINVAL;
		}
		if (o + 1 >= size) {
			if (!truncate)
				return -EINVAL;
			break;
		}
		out[o++] = (char)c;
	}
	if (o == 0)
		return -EINVAL;
	out[o] = '\0';
	return 0;
}

int procmask_parse_u64(struct procmask_span f, uint64_t *v)
{
	uint64_t n = 0;
	if (f.n == 0)
		return -EINVAL;
	for (size_t i = 0; i < f.n; i++) {
		unsigned d = (unsigned)((unsigned char)f.s[i] - '0');
		if (d > 9 || n > (UINT64_MAX - d) / 10)
			return -EINVAL;
		n = n * 10 + d;
	}
	*v = n;
	return 0;
}

/* "major:minor" */
static int parse_devno(struct procmask_span f, unsigned *major, unsigned *minor)
{
	const char *colon = memchr(f.s, ':', f.n);
	uint64_t a, b;
	if (!colon)
		return -EINVAL;
	struct procmask_span fa = { f.s, (size_t)(colon - f.s) };
	struct procmask_span fb = { colon + 1, f.n - fa.n - 1 };
	if (procmask_parse_u64(fa, &a) < 0 || procmask_parse_u64(fb, &b) < 0 || a > UINT32_MAX || b > UINT32_MAX)
		return -EINVAL;
	*major = (unsigned)a;
	*minor = (unsigned)b;
	return 0;
}

/* Per-mount options ("ro,nosuid,..."): is "ro" among them? */
bool procmask_options_ro(struct procmask_span f)
{
	size_t i = 0;
	while (i < f.n) {
		size_t j = i;
		while (j < f.n && f.s[j] != ',')
			j++;
		if (j - i == 2 && f.s[i] == 'r' && f.s[i + 1] == 'o')
			return true;
		i = j + 1;
	}
	return false;
}

/*
 * Fields: (1) mount id (2) parent id (3) major:minor (4) root (5) mount
 * point (6) per-mount options (7) optional fields, then "-" (8) fstype
 * (9) source (10) super options (proc(5)).  Super options are not needed
 * and may be absent.
 */
int procmask_split_line(const char *line, size_t len, struct procmask_fields *x)
{
	const char *p = line, *end = line + len;
	struct procmask_span sep;

	if (memchr(line, '\0', len))
		return -EINVAL;
	while (end > line && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	for (size_t i = 0; i < 6; i++)
		if (!next_field(&p, end, &x->f[i]))
			return -EINVAL;
	do {
		if (!next_field(&p, end, &sep))
			return -EINVAL;
	} while (!span_is(sep, "-"));
	if (!next_field(&p, end, &x->fstype) || !next_field(&p, end, &x->source))
		return -EINVAL;
	return 0;
}

int procmask_parse_line(const char *line, size_t len, struct procmask_mount *m)
{
	struct procmask_fields x;

	if (!line || !m || procmask_split_line(line, len, &x) < 0)
		return -EINVAL;
	if (procmask_parse_u64(x.f[0], &m->mnt_id) < 0 || procmask_parse_u64(x.f[1], &m->parent_id) < 0 ||
	    parse_devno(x.f[2], &m->dev_major, &m->dev_minor) < 0 ||
	    procmask_unescape(x.f[3], m->root, sizeof(m->root), false) < 0 ||
	    procmask_unescape(x.f[4], m->mountpoint, sizeof(m->mountpoint), false) < 0 ||
	    procmask_unescape(x.fstype, m->fstype, sizeof(m->fstype), true) < 0 ||
	    procmask_unescape(x.source, m->source, sizeof(m->source), true) < 0)
		return -EINVAL;
	m->ro = procmask_options_ro(x.f[5]);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Classification (pure)                                               */
/* ------------------------------------------------------------------ */

/* Does rel (no leading '/') name a per-process entry, or have a component
 * that is empty, "." or ".." (never in a kernel mountpoint: a forgery)? */
static bool rel_refused(const char *rel, size_t n)
{
	size_t i = 0, first = 1;
	while (i <= n) {
		size_t j = i;
		while (j < n && rel[j] != '/')
			j++;
		size_t c = j - i;
		if (c == 0 || (c == 1 && rel[i] == '.') || (c == 2 && rel[i] == '.' && rel[i + 1] == '.'))
			return true;
		if (first && (str_is_digits(rel + i, c) || (c == 4 && !memcmp(rel + i, "self", 4)) ||
		              (c == 11 && !memcmp(rel + i, "thread-self", 11))))
			return true;
		first = 0;
		i = j + 1;
	}
	return false;
}

/*
 * The rule at the top of this file, for a mount whose mountpoint is rel
 * (length n) below the /proc root; n == 0 is the /proc mount itself.
 * What mountinfo cannot show (char 1:3, emptiness, same procfs instance)
 * is checked by the callers on the object.
 */
enum procmask_kind procmask_classify_rel(const char *fstype, const char *root, bool ro, const char *rel,
                                       size_t n)
{
	if (n == 0)
		return PROCMASK_NONE;
	if (rel_refused(rel, n))
		return PROCMASK_UNKNOWN;
	if (!strcmp(fstype, "proc")) {
		/* root is "/" + rel: the same path of the same kind of fs. */
		if (root[0] == '/' && strlen(root + 1) == n && !memcmp(root + 1, rel, n))
			return PROCMASK_SELF_BIND;
		return PROCMASK_UNKNOWN;
	}
	if (!strcmp(fstype, "tmpfs") && !strcmp(root, "/"))
		return ro ? PROCMASK_EMPTY_TMPFS : PROCMASK_UNKNOWN;
	if ((!strcmp(fstype, "tmpfs") || !strcmp(fstype, "devtmpfs")) && strcmp(root, "/") != 0)
		return PROCMASK_DEVNULL;
	return PROCMASK_UNKNOWN;
}

enum procmask_kind procmask_classify(const struct procmask_mount *m, const char *proc_mountpoint)
{
	size_t plen, mlen;
	const char *mp;

	if (!m || !proc_mountpoint)
		return PROCMASK_NONE;
	plen = strlen(proc_mountpoint);
	while (plen > 0 && proc_mountpoint[plen - 1] == '/')
		plen--;
	mp = m->mountpoint;
	mlen = strnlen(mp, sizeof(m->mountpoint));
	if (mlen == sizeof(m->mountpoint) || mlen < plen || memcmp(mp, proc_mountpoint, plen) != 0)
		return PROCMASK_NONE;
	mp += plen;
	mlen -= plen;
	if (mlen == 0)
		return PROCMASK_NONE;
	if (*mp != '/')
		return PROCMASK_NONE; /* "/procfoo" is not under "/proc" */
	mp++;
	mlen--;
	while (mlen > 0 && mp[mlen - 1] == '/')
		mlen--;
	return procmask_classify_rel(m->fstype, m->root, m->ro, mp, mlen);
}

const char *procmask_kind_name(enum procmask_kind k)
{
	switch (k) {
	case PROCMASK_NONE:
		return "none";
	case PROCMASK_DEVNULL:
		return "devnull-mask";
	case PROCMASK_EMPTY_TMPFS:
		return "tmpfs-mask";
	case PROCMASK_SELF_BIND:
		return "self-bind";
	case PROCMASK_UNKNOWN:
		return "overmount";
	}
	return "overmount";
}

/* The leading mount id of a line, without parsing the rest. */
bool procmask_line_id(const char *line, size_t len, uint64_t *id)
{
	const char *sp = memchr(line, ' ', len);
	struct procmask_span f = { line, sp ? (size_t)(sp - line) : len };
	return procmask_parse_u64(f, id) == 0;
}
