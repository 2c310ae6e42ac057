/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.c - DESIGN §3: bad policy never makes the process less safe.
 * Every unknown value keeps the safer default and is reported; nothing here
 * allocates, performs I/O or touches errno.
 */
#include "policy.h"

#include <stdio.h>
#include <string.h>

static void diag_add(struct policy_diag *diags, size_t ndiags, int *n, enum policy_diag_kind kind,
                     const char *value, size_t len)
{
	if ((size_t)*n < ndiags && diags)
		diags[*n] = (struct policy_diag){ .kind = kind, .value = value, .len = len };
	(*n)++;
}

static bool is_word(const char *s, const char *word)
{
	return strcmp(s, word) == 0;
}

/*
 * Append the component run [s, s+len) to out (which holds an absolute path
 * of *olen bytes), dropping empty and "." components.  Returns false when
 * the result would not fit in PATH_MAX.
 */
static bool root_append(char *out, size_t *olen, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		while (i < len && s[i] == '/')
			i++;
		size_t start = i;
		while (i < len && s[i] != '/')
			i++;
		size_t clen = i - start;
		if (clen == 0 || (clen == 1 && s[start] == '.'))
			continue;
		size_t need = (*olen == 1 ? 0 : 1) + clen;
		if (*olen + need >= PATH_MAX)
			return false;
		if (*olen != 1)
			out[(*olen)++] = '/';
		memcpy(out + *olen, s + start, clen);
		*olen += clen;
		out[*olen] = '\0';
	}
	return true;
}

static void parse_root(struct policy *p, const char *s, size_t len, const char *cwd,
                       struct policy_diag *diags, size_t ndiags, int *n)
{
	struct policy_root r = { .path = "/", .len = 1 };

	if (s[0] != '/') {
		diag_add(diags, ndiags, n, POLICY_DIAG_RELATIVE_ROOT, s, len);
		if (!cwd || cwd[0] != '/')
			return;
		if (!root_append(r.path, &r.len, cwd, strlen(cwd))) {
			diag_add(diags, ndiags, n, POLICY_DIAG_ROOT_TOO_LONG, s, len);
			return;
		}
	}
	if (!root_append(r.path, &r.len, s, len)) {
		diag_add(diags, ndiags, n, POLICY_DIAG_ROOT_TOO_LONG, s, len);
		return;
	}
	if (p->nroots == POLICY_MAX_ROOTS) {
		diag_add(diags, ndiags, n, POLICY_DIAG_TOO_MANY_ROOTS, s, len);
		return;
	}
	p->roots[p->nroots++] = r;
}

int policy_parse(struct policy *p, const char *roots, const char *proc, const char *mode,
                 const char *log, const char *cwd, struct policy_diag *diags, size_t ndiags)
{
	int n = 0;

	p->proc = POLICY_PROC_SAFE;
	p->mode = POLICY_MODE_ENFORCE;
	p->log = POLICY_LOG_STDERR;
	p->log_path[0] = '\0';
	p->nroots = 0;

	if (proc && *proc) {
		if (is_word(proc, "off"))
			p->proc = POLICY_PROC_OFF;
		else if (!is_word(proc, "safe"))
			diag_add(diags, ndiags, &n, POLICY_DIAG_BAD_PROC, proc, strlen(proc));
	}
	if (mode && *mode) {
		if (is_word(mode, "audit"))
			p->mode = POLICY_MODE_AUDIT;
		else if (!is_word(mode, "enforce"))
			diag_add(diags, ndiags, &n, POLICY_DIAG_BAD_MODE, mode, strlen(mode));
	}
	if (log && *log) {
		size_t len = strlen(log);
		if (is_word(log, "syslog"))
			p->log = POLICY_LOG_SYSLOG;
		else if (log[0] == '/' && len < PATH_MAX) {
			p->log = POLICY_LOG_FILE;
			memcpy(p->log_path, log, len + 1);
		} else if (!is_word(log, "stderr"))
			diag_add(diags, ndiags, &n, POLICY_DIAG_BAD_LOG, log, len);
	}
	for (const char *s = roots; s && *s;) {
		const char *end = strchr(s, ':');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		if (len > 0) /* an empty entry is skipped silently */
			parse_root(p, s, len, cwd, diags, ndiags, &n);
		s += len + (end ? 1 : 0);
	}
	return n;
}

int policy_diag_format(const struct policy_diag *d, char *buf, size_t size)
{
	int len = d->len > 256 ? 256 : (int)d->len;

	switch (d->kind) {
	case POLICY_DIAG_BAD_PROC:
		return snprintf(buf, size, "PATHWARD_PROC=\"%.*s\" is not safe|off; keeping safe", len, d->value);
	case POLICY_DIAG_BAD_MODE:
		return snprintf(buf, size, "PATHWARD_MODE=\"%.*s\" is not enforce|audit; keeping enforce", len,
		                d->value);
	case POLICY_DIAG_BAD_LOG:
		return snprintf(buf, size,
		                "PATHWARD_LOG=\"%.*s\" is not stderr|syslog|an absolute path; keeping stderr", len,
		                d->value);
	case POLICY_DIAG_RELATIVE_ROOT:
		return snprintf(buf, size, "PATHWARD_ROOTS entry \"%.*s\" is relative; taken against the starting directory",
		                len, d->value);
	case POLICY_DIAG_ROOT_TOO_LONG:
		return snprintf(buf, size, "PATHWARD_ROOTS entry \"%.*s...\" is too long; skipped", len > 64 ? 64 : len,
		                d->value);
	case POLICY_DIAG_TOO_MANY_ROOTS:
		return snprintf(buf, size, "PATHWARD_ROOTS entry \"%.*s\" is beyond the %d-root limit; skipped", len,
		                d->value, POLICY_MAX_ROOTS);
	}
	return snprintf(buf, size, "unknown policy problem");
}
