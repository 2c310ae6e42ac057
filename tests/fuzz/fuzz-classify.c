/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-classify.c - the shim's path classifier (core/classify.c), pure.
 */
/* fuzz-needs: core/classify.c */
/*
 * Input: byte 0 picks PATHWARD_PROC (bit 0) and up to three roots from a
 * small set (fed through policy_parse, as the shim does); byte 1 picks a
 * raw path (rest of the input) or a path built from tokens ("proc",
 * "self", "thread-self", pids, "task", "root", root names, ".", "..", "",
 * long names).  Checks:
 *  - the return equals c->cls, pointers point into the path;
 *  - against an independent reference (component list without "" and
 *    ".") for paths without "..", when no root lies under /proc or is "/":
 *    /proc/<pid|self|thread-self>[/task/<tid>]/root/... is ROOT(procpid),
 *    other /proc paths PROC when proc=safe, else the longest root prefix,
 *    else PASS; a ROOT's rest is "" or starts with '/'.
 * Paths with ".." before the prefix are not compared with the reference;
 * if their lexical form lies under /proc or a root they must not be PASS
 * (CLASSIFY_CANON: tests/fuzz/regress/classify/dotdot-*).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "fuzzlib.h"
#include "policy.h"

#define CHECK(c)                                                             \
	do {                                                                 \
		if (!(c)) {                                                  \
			fprintf(stderr, "fuzz-classify: check failed: %s\n  path \"%.300s\"\n", #c, path); \
			abort();                                             \
		}                                                            \
	} while (0)

static struct policy pol;
static char path[8192];

static const char *const root_set[] = { "/srv/c1", "/srv", "/srv/c1/x", "/", "/proc/sys", "/srv//c1/", "rel",
	                                "/var/lib/c2" };
static const char *const tok[] = { "proc", "self", "thread-self", "123", "task", "45", "root", "srv", "c1",
	                           "x", "..", ".", "", "c1x", "procx", "var", "lib", "c2", "sys", "0" };

#define NCOMP_MAX 64
struct comps {
	int n;
	const char *s[NCOMP_MAX];
	size_t len[NCOMP_MAX];
	bool dotdot, overflow;
};

static void split(const char *p, struct comps *c)
{
	memset(c, 0, sizeof(*c));
	while (*p) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n == 2 && !memcmp(p, "..", 2))
			c->dotdot = true;
		if (!(n == 1 && *p == '.')) {
			if (c->n == NCOMP_MAX) {
				c->overflow = true;
				return;
			}
			c->s[c->n] = p;
			c->len[c->n++] = n;
		}
		p += n;
	}
}

static bool is(const struct comps *c, int i, const char *w)
{
	return i < c->n && c->len[i] == strlen(w) && !memcmp(c->s[i], w, c->len[i]);
}

static bool digits(const struct comps *c, int i)
{
	if (i >= c->n)
		return false;
	for (size_t k = 0; k < c->len[i]; k++)
		if (c->s[i][k] < '0' || c->s[i][k] > '9')
			return false;
	return true;
}

/* Reference: -2 PASS, -3 PROC, -1 ROOT(procpid), >= 0 ROOT(index). */
static int reference(const struct comps *c, bool trailing_after_root)
{
	if (is(c, 0, "proc")) {
		int i = 1;
		if (digits(c, i) || is(c, i, "self") || is(c, i, "thread-self")) {
			i++;
			if (is(c, i, "task") && digits(c, i + 1))
				i += 2;
			if (is(c, i, "root") && (i + 1 < c->n || trailing_after_root))
				return -1;
		}
		if (pol.proc == POLICY_PROC_SAFE)
			return -3;
	}
	int best = -2;
	size_t best_len = 0;
	for (size_t r = 0; r < pol.nroots; r++) {
		struct comps rc;
		split(pol.roots[r].path, &rc);
		if (rc.n > c->n)
			continue;
		bool m = true;
		for (int i = 0; i < rc.n && m; i++)
			m = rc.len[i] == c->len[i] && !memcmp(rc.s[i], c->s[i], rc.len[i]);
		if (m && (best == -2 || pol.roots[r].len > best_len)) {
			best = (int)r;
			best_len = pol.roots[r].len;
		}
	}
	return best;
}

/* The reference on the lexically normalised path ("x/.." dropped). */
static int lexical_ref(const struct comps *c)
{
	struct comps l = { 0 };
	for (int i = 0; i < c->n; i++) {
		if (c->len[i] == 2 && !memcmp(c->s[i], "..", 2)) {
			if (l.n > 0)
				l.n--;
			continue;
		}
		l.s[l.n] = c->s[i];
		l.len[l.n++] = c->len[i];
	}
	return reference(&l, false);
}

static void build_path(struct fz_in *in)
{
	size_t len = 0;
	uint8_t b = fz_u8(in);
	if (b & 1) { /* raw */
		size_t n = in->n < sizeof(path) - 1 ? in->n : sizeof(path) - 1;
		memcpy(path, in->p, n);
		path[n] = '\0';
		in->n = 0;
		return;
	}
	int ncomp = (b >> 1) % 9;
	path[0] = '\0';
	for (int i = 0; i < ncomp && len + 300 < sizeof(path); i++) {
		uint8_t t = fz_u8(in);
		len += (size_t)snprintf(path + len, sizeof(path) - len, "%s%s", (t & 0x80) ? "//" : "/",
		                        tok[t % (sizeof(tok) / sizeof(tok[0]))]);
	}
	if (b & 0x80)
		len += (size_t)snprintf(path + len, sizeof(path) - len, "/");
	if (len == 0 && (b & 0x40))
		snprintf(path, sizeof(path), "/");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	uint8_t b0 = fz_u8(&in);
	char roots[256] = "";
	size_t rl = 0;
	for (int i = 0; i < (b0 >> 1) % 4; i++)
		rl += (size_t)snprintf(roots + rl, sizeof(roots) - rl, "%s%s", i ? ":" : "",
		                       root_set[fz_u8(&in) % (sizeof(root_set) / sizeof(root_set[0]))]);
	policy_parse(&pol, roots, (b0 & 1) ? "off" : "safe", NULL, NULL, "/cwd", NULL, 0);
	build_path(&in);

	struct classify c;
	enum classify_class cls = classify_path(&pol, path, &c);
	fz_cases++;
	CHECK(cls == c.cls && cls <= CLASSIFY_ROOT && classify_name(cls));
	CHECK(classify_path(&pol, NULL, &c) == CLASSIFY_PASS);
	cls = classify_path(&pol, path, &c);
	size_t plen = strlen(path);
	if (cls != CLASSIFY_PASS)
		CHECK(c.rest >= path && c.rest <= path + plen);
	if (cls == CLASSIFY_ROOT) {
		CHECK(c.rest[0] == '\0' || c.rest[0] == '/');
		CHECK(c.root == CLASSIFY_ROOT_PROCPID || (c.root >= 0 && (size_t)c.root < pol.nroots));
		if (c.root == CLASSIFY_ROOT_PROCPID)
			CHECK(c.procsub >= path && c.procsub + c.procsub_len <= path + plen && c.procsub_len > 0);
	}
	if (path[0] != '/') {
		CHECK(cls == CLASSIFY_PASS);
		return 0;
	}

	struct comps pc;
	split(path, &pc);
	for (size_t r = 0; r < pol.nroots; r++)
		if (pol.roots[r].len == 1 || !strncmp(pol.roots[r].path, "/proc", 5))
			return 0;
	if (pc.overflow)
		return 0;
	if (pc.dotdot) {
		/* A path whose lexical form lies under /proc or a root must
		 * not be PASS (the host would resolve it unprotected): it is
		 * CANON at least, walked for real by canon_enter. */
		if (lexical_ref(&pc) != -2)
			CHECK(cls != CLASSIFY_PASS);
		return 0;
	}
	/* After "root": a trailing '/' (or "/." etc.) still counts as below it. */
	bool trailing = plen > 0 && (path[plen - 1] == '/' || (plen > 1 && !strcmp(path + plen - 2, "/.")));
	int ref = reference(&pc, trailing);
	if (ref == -2)
		CHECK(cls == CLASSIFY_PASS);
	else if (ref == -3)
		CHECK(cls == CLASSIFY_PROC);
	else
		CHECK(cls == CLASSIFY_ROOT && c.root == ref);
	return 0;
}
