/* SPDX-License-Identifier: Apache-2.0 */
/*
 * run.c - `pathward run`: check the policy, put the shim in front of
 * LD_PRELOAD, export the policy and exec the program.
 *
 * The whole policy is validated before anything runs, so a typo refuses to
 * start (exit 2) instead of running the program unprotected.  pathward then
 * execs: no process stays behind, signals and the exit status are the
 * program's own, and no shell is needed (a container ENTRYPOINT works).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "exe.h"
#include "fd.h"
#include "pathward.h"
#include "policy.h"
#include "shimpath.h"

struct run_plan {
	const char *roots[POLICY_MAX_ROOTS];
	size_t nroots;
	bool no_proc;
	bool audit;
	const char *log;  /* NULL: stderr */
	char **cmd;       /* NULL-terminated, cmd[0] is the program */
};

static void run_usage(FILE *f)
{
	fputs("Usage: pathward run [--root DIR]... [--no-proc] [--audit] [--log DEST] -- CMD [ARG]...\n\n"
	      "Run CMD with the pathward shim preloaded: its /proc accesses go through a\n"
	      "verified procfs handle, and paths under each DIR resolve inside DIR.\n\n"
	      "  --root DIR   contain paths under the absolute directory DIR (repeatable)\n"
	      "  --no-proc    leave /proc accesses alone (PATHWARD_PROC=off)\n"
	      "  --audit      log what would be refused, then behave as without pathward\n"
	      "  --log DEST   stderr (default), syslog, or an absolute file path\n"
	      "  -h, --help   show this help\n\n"
	      "Exit status: CMD's own; 2 for a bad option or policy, 1 when the shim\n"
	      "cannot be found, 126/127 when CMD cannot be executed / is not found.\n",
	      f);
}

/*
 * Match "--name VALUE" or "--name=VALUE" at argv[*i].  Returns false when
 * argv[*i] is another option; otherwise true with *val set (NULL when the
 * value is missing) and *i advanced past a separate value.
 */
static bool opt_value(const char *name, int argc, char **argv, int *i, const char **val)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) != 0)
		return false;
	if (a[n] == '=') {
		*val = a[n + 1] ? a + n + 1 : NULL;
		return true;
	}
	if (a[n] != '\0')
		return false;
	*val = *i + 1 < argc ? argv[++*i] : NULL;
	return true;
}

/* Returns 0 (plan filled), EXIT_USAGE, or -1 for --help (already printed). */
static int run_parse(int argc, char **argv, struct run_plan *plan)
{
	int i;
	const char *v;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break; /* the program: "--" is recommended, not required */
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			run_usage(stdout);
			return -1;
		} else if (strcmp(a, "--no-proc") == 0) {
			plan->no_proc = true;
		} else if (strcmp(a, "--audit") == 0) {
			plan->audit = true;
		} else if (opt_value("--root", argc, argv, &i, &v)) {
			if (!v) {
				fputs("pathward: run: --root needs a directory\n", stderr);
				return EXIT_USAGE;
			}
			if (plan->nroots == POLICY_MAX_ROOTS) {
				fprintf(stderr, "pathward: run: more than %d --root options\n", POLICY_MAX_ROOTS);
				return EXIT_USAGE;
			}
			plan->roots[plan->nroots++] = v;
		} else if (opt_value("--log", argc, argv, &i, &v)) {
			if (!v) {
				fputs("pathward: run: --log needs stderr, syslog or an absolute file path\n", stderr);
				return EXIT_USAGE;
			}
			plan->log = v;
		} else {
			fprintf(stderr, "pathward: run: unknown option '%s' (try 'pathward run --help')\n", a);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		fputs("pathward: run: no program given (usage: pathward run [OPTION]... -- CMD [ARG]...)\n", stderr);
		return EXIT_USAGE;
	}
	plan->cmd = argv + i;
	return 0;
}

/* A root must be an existing directory named by an absolute path that
 * PATHWARD_ROOTS can carry.  The shim itself tolerates less (DESIGN §3);
 * the launcher is where a person can still fix the typo. */
static int root_check(const char *root)
{
	struct stat st;

	if (root[0] != '/') {
		fprintf(stderr, "pathward: run: --root %s: not an absolute path\n", root);
		return EXIT_USAGE;
	}
	if (strchr(root, ':')) {
		fprintf(stderr, "pathward: run: --root %s: contains ':', which PATHWARD_ROOTS cannot carry\n", root);
		return EXIT_USAGE;
	}
	if (stat(root, &st) < 0) {
		fprintf(stderr, "pathward: run: --root %s: %s\n", root, strerror(errno));
		return EXIT_USAGE;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "pathward: run: --root %s: %s\n", root, strerror(ENOTDIR));
		return EXIT_USAGE;
	}
	return 0;
}

/* A log file must be writable now: the shim opens it later, in the
 * program, where a failure could only be silent.  Creating it here (0600:
 * audit lines name the program's files) is what the shim would do.
 * O_NONBLOCK: a FIFO without a reader must not hang the launcher. */
static int log_check(const char *log)
{
	if (strcmp(log, "stderr") == 0 || strcmp(log, "syslog") == 0)
		return 0;
	if (log[0] != '/') {
		fprintf(stderr, "pathward: run: --log %s: not stderr, syslog or an absolute file path\n", log);
		return EXIT_USAGE;
	}
	_cleanup_close_ int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "pathward: run: --log %s: %s\n", log, strerror(errno));
		return EXIT_USAGE;
	}
	return 0;
}

/* Colon-join the roots (malloc'd; the process execs soon after). */
static char *roots_join(const struct run_plan *plan)
{
	size_t len = 1;
	for (size_t i = 0; i < plan->nroots; i++)
		len += strlen(plan->roots[i]) + 1;
	char *s = calloc(1, len);
	if (!s)
		return NULL;
	for (size_t i = 0; i < plan->nroots; i++) {
		if (i)
			strcat(s, ":");
		strcat(s, plan->roots[i]);
	}
	return s;
}

/* Run the joined policy through the parser the shim uses, so the launcher
 * refuses exactly what the shim would complain about. */
static int policy_check(const char *roots, const char *proc, const char *mode, const char *log)
{
	static struct policy p;
	struct policy_diag diags[POLICY_MAX_DIAGS];
	char msg[512];

	int n = policy_parse(&p, roots, proc, mode, log, NULL, diags, POLICY_MAX_DIAGS);
	for (int i = 0; i < n && i < POLICY_MAX_DIAGS; i++) {
		policy_diag_format(&diags[i], msg, sizeof(msg));
		fprintf(stderr, "pathward: run: %s\n", msg);
	}
	return n > 0 ? EXIT_USAGE : 0;
}

static int env_set(const char *name, const char *value)
{
	if (setenv(name, value, 1) < 0) {
		fprintf(stderr, "pathward: run: setting %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
}

/* Check everything, then export the policy.  0 or the exit status. */
static int run_prepare(const struct run_plan *plan)
{
	const char *proc = plan->no_proc ? "off" : "safe";
	const char *mode = plan->audit ? "audit" : "enforce";
	const char *log = plan->log ? plan->log : "stderr";
	char shim[PATH_MAX];
	int r;

	for (size_t i = 0; i < plan->nroots; i++)
		if ((r = root_check(plan->roots[i])))
			return r;
	if ((r = log_check(log)))
		return r;
	char *roots = roots_join(plan);
	if (!roots) {
		fputs("pathward: run: out of memory\n", stderr);
		return 1;
	}
	if ((r = policy_check(roots, proc, mode, log)))
		return r;
	if ((r = shim_find(shim, sizeof(shim))))
		return r;

	char *preload = preload_compose(shim, getenv("LD_PRELOAD"));
	if (!preload) {
		fputs("pathward: run: out of memory\n", stderr);
		return 1;
	}
	if (env_set("LD_PRELOAD", preload) || env_set("PATHWARD_PROC", proc) ||
	    env_set("PATHWARD_MODE", mode) || env_set("PATHWARD_LOG", log))
		return 1;
	/* The options are the whole policy: an inherited PATHWARD_ROOTS must not
	 * add roots the command line did not name. */
	if (plan->nroots ? env_set("PATHWARD_ROOTS", roots) : unsetenv("PATHWARD_ROOTS"))
		return 1;
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_plan plan = { 0 };
	int r = run_parse(argc, argv, &plan);

	if (r)
		return r < 0 ? 0 : r;
	if ((r = run_prepare(&plan)))
		return r;

	exe_warn_uncovered(plan.cmd[0]);
	execvp(plan.cmd[0], plan.cmd);
	/* What a shell answers: 127 not found, 126 found but not executable. */
	int err = errno;
	fprintf(stderr, "pathward: run: %s: %s\n", plan.cmd[0], strerror(err));
	return err == ENOENT || err == ENOTDIR ? 127 : 126;
}
