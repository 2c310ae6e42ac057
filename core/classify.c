/* SPDX-License-Identifier: Apache-2.0 */
/*
 * classify.c - PASS / PROC / ROOT for an absolute path (see classify.h).
 *
 * This runs on every wrapped call, so the common case is a first-byte test
 * and one short compare per prefix; the component walk only continues while
 * the leading components keep matching.
 */
#include "classify.h"
#include "strutil.h"

#include <string.h>

/* Skip separators and "." components. */
static const char *skip_seps(const char *s)
{
	for (;;) {
		while (*s == '/')
			s++;
		if (s[0] == '.' && (s[1] == '/' || s[1] == '\0')) {
			s++;
			continue;
		}
		return s;
	}
}

/*
 * Match the normalised absolute prefix (single slashes, no "." and no
 * trailing slash; "/" is the whole tree) against the leading components of
 * path.  Returns the end of the match in path (at a '/' or the NUL), or
 * NULL.
 */
static const char *match_prefix(const char *path, const char *prefix, size_t plen)
{
	const char *p = path;
	size_t i = 1;

	while (i < plen) {
		size_t clen = 0;
		while (i + clen < plen && prefix[i + clen] != '/')
			clen++;
		p = skip_seps(p);
		for (size_t k = 0; k < clen; k++) /* inline: this runs on every call */
			if (p[k] != prefix[i + k])
				return NULL;
		if (p[clen] != '/' && p[clen] != '\0')
			return NULL;
		p += clen;
		i += clen + 1;
	}
	return p;
}

/* Length of the component at s (up to '/' or NUL). */
static size_t comp_len(const char *s)
{
	size_t n = 0;
	while (s[n] && s[n] != '/')
		n++;
	return n;
}

static bool comp_is(const char *s, size_t n, const char *word)
{
	return n == strlen(word) && memcmp(s, word, n) == 0;
}

/*
 * below is the text after "/proc".  If it names
 * <pid|self|thread-self>[/task/<tid>]/root/..., return the end of "root"
 * (pointing at its '/'), else NULL.
 */
static const char *proc_root_end(const char *below)
{
	const char *s = skip_seps(below);
	size_t n = comp_len(s);

	if (!str_is_digits(s, n) && !comp_is(s, n, "self") && !comp_is(s, n, "thread-self"))
		return NULL;
	s = skip_seps(s + n);
	n = comp_len(s);
	if (comp_is(s, n, "task")) {
		s = skip_seps(s + n);
		n = comp_len(s);
		if (!str_is_digits(s, n))
			return NULL;
		s = skip_seps(s + n);
		n = comp_len(s);
	}
	if (!comp_is(s, n, "root") || s[n] != '/')
		return NULL;
	return s + n;
}

/* Does the path hold a ".." component?  Asked on every would-be PASS, the
 * fast path: one inline pass, because glibc's strstr runs its generic
 * two-way set-up for a 3-byte needle (it was the shim's largest user-space
 * cost per open). */
static bool has_dotdot(const char *path)
{
	for (const char *s = path; *s; s++)
		if (s[0] == '/' && s[1] == '.' && s[2] == '.' && (s[3] == '/' || s[3] == '\0'))
			return true;
	return false;
}

static enum classify_class set(struct classify *c, enum classify_class cls, int root, const char *rest)
{
	c->cls = cls;
	c->root = root;
	c->rest = rest;
	return cls;
}

enum classify_class classify_path(const struct policy *p, const char *path, struct classify *c)
{
	c->procsub = NULL;
	c->procsub_len = 0;
	if (!path || path[0] != '/')
		return set(c, CLASSIFY_PASS, 0, path);

	const char *below = match_prefix(path, "/proc", 5);
	if (below) {
		const char *rend = proc_root_end(below);
		if (rend) {
			c->procsub = skip_seps(below);
			c->procsub_len = (size_t)(rend - c->procsub);
			return set(c, CLASSIFY_ROOT, CLASSIFY_ROOT_PROCPID, rend);
		}
		if (p->proc == POLICY_PROC_SAFE) {
			while (*below == '/')
				below++;
			return set(c, CLASSIFY_PROC, 0, below);
		}
	}

	int best = -1;
	size_t best_len = 0;
	const char *best_end = NULL;
	for (size_t i = 0; i < p->nroots; i++) {
		const struct policy_root *r = &p->roots[i];
		if (r->len < best_len || (best >= 0 && r->len == best_len))
			continue;
		const char *end = match_prefix(path, r->path, r->len);
		if (end) {
			best = (int)i;
			best_len = r->len;
			best_end = end;
		}
	}
	if (best >= 0)
		return set(c, CLASSIFY_ROOT, best, best_end);
	/* Any ".." may lead the kernel under /proc (always there) or a root. */
	if (has_dotdot(path))
		return set(c, CLASSIFY_CANON, 0, path);
	return set(c, CLASSIFY_PASS, 0, path);
}

const char *classify_name(enum classify_class cls)
{
	switch (cls) {
	case CLASSIFY_PASS:
		return "pass";
	case CLASSIFY_CANON:
		return "canon";
	case CLASSIFY_PROC:
		return "proc";
	case CLASSIFY_ROOT:
		return "root";
	}
	return "pass";
}
