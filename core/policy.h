/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.h - the environment policy (DESIGN §3), parsed without I/O.
 *
 * Pure string module: the shim feeds it secure_getenv() values once, the
 * launcher feeds it its options and refuses to start on any diagnostic.
 * No allocation: struct policy is fixed-size and lives in the caller's
 * static storage.
 */
#ifndef PATHWARD_POLICY_H
#define PATHWARD_POLICY_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define POLICY_MAX_ROOTS 64

enum policy_proc { POLICY_PROC_SAFE = 0, POLICY_PROC_OFF };
enum policy_mode { POLICY_MODE_ENFORCE = 0, POLICY_MODE_AUDIT };
enum policy_log { POLICY_LOG_STDERR = 0, POLICY_LOG_SYSLOG, POLICY_LOG_FILE };

struct policy_root {
	char path[PATH_MAX]; /* absolute, no trailing slash, "//" collapsed ("/" stays "/") */
	size_t len;
};

struct policy {
	enum policy_proc proc;
	enum policy_mode mode;
	enum policy_log log;
	char log_path[PATH_MAX]; /* when log == POLICY_LOG_FILE */
	size_t nroots;
	struct policy_root roots[POLICY_MAX_ROOTS];
};

/* One problem found while parsing; the safer choice was kept. */
enum policy_diag_kind {
	POLICY_DIAG_BAD_PROC,      /* unknown PATHWARD_PROC value: kept "safe" */
	POLICY_DIAG_BAD_MODE,      /* unknown PATHWARD_MODE value: kept "enforce" */
	POLICY_DIAG_BAD_LOG,       /* PATHWARD_LOG not stderr/syslog/absolute: kept stderr */
	POLICY_DIAG_RELATIVE_ROOT, /* taken against the starting directory */
	POLICY_DIAG_ROOT_TOO_LONG, /* skipped: >= PATH_MAX once made absolute */
	POLICY_DIAG_TOO_MANY_ROOTS,/* entries beyond POLICY_MAX_ROOTS: skipped */
};

struct policy_diag {
	enum policy_diag_kind kind;
	const char *value; /* points into the input string */
	size_t len;
};

#define POLICY_MAX_DIAGS 8

/*
 * Parse the four variables (any may be NULL = unset) into *p.  cwd is the
 * starting directory for relative roots (NULL: relative roots are skipped
 * and reported).  Diagnostics go to diags[0..*ndiags) (at most
 * POLICY_MAX_DIAGS, further ones counted but dropped).  Never fails: bad
 * input keeps the safer default.  Returns the number of diagnostics.
 */
int policy_parse(struct policy *p, const char *roots, const char *proc, const char *mode,
                 const char *log, const char *cwd, struct policy_diag *diags, size_t ndiags);

/* A one-line human description of a diagnostic, e.g.
 * "PATHWARD_MODE=\"enforc\" is not enforce|audit; keeping enforce". */
int policy_diag_format(const struct policy_diag *d, char *buf, size_t size);

#endif
