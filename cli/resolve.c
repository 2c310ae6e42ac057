/* SPDX-License-Identifier: Apache-2.0 */
/*
 * resolve.c - `pathward resolve --root ROOT [--except-last] PATH`
 * (resolver.md §5.1): print PATH's canonical path inside ROOT, procfsroot's
 * EvalSymlinks with the kernel's semantics.
 *
 * stdout carries the answer and a newline, nothing else; on error stdout
 * stays empty and stderr gets one line naming the errno and its text:
 *   pathward: resolve: ELOOP: Too many levels of symbolic links
 * Exit 0 success, 1 the resolution (or ROOT) failed, 2 usage.
 * ROOT is trusted and opened once, following symlinks in it; PATH is taken
 * relative to ROOT whether or not it starts with "/"; its bytes are opaque.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "pathward.h"

static const char usage_text[] =
	"Usage: pathward resolve --root ROOT [--except-last] [--] PATH\n\n"
	"Print PATH resolved inside the directory ROOT: every symlink (absolute\n"
	"or relative) and every \"..\" stays inside ROOT, as with\n"
	"openat2(RESOLVE_IN_ROOT).  The answer is absolute within ROOT.\n\n"
	"  --root ROOT     the directory that acts as \"/\" (opened once, trusted)\n"
	"  --except-last   do not follow the last component; it may be missing\n"
	"                  when its parent is an existing directory\n"
	"  --help          show this text\n\n"
	"The printed path is stale as soon as it is printed: do not hand ROOT+PATH\n"
	"to another program that may follow symlinks in it.\n";

static int fail(const char *what, const char *arg, int err)
{
	if (what)
		fprintf(stderr, "pathward: resolve: %s%s: %s: %s\n", what, arg ? arg : "", cli_errno_name(err),
		        strerror(err));
	else
		fprintf(stderr, "pathward: resolve: %s: %s\n", cli_errno_name(err), strerror(err));
	return 1;
}

static int usage_error(const char *msg, const char *arg)
{
	if (arg)
		fprintf(stderr, "pathward: resolve: %s '%s' (try 'pathward resolve --help')\n", msg, arg);
	else
		fprintf(stderr, "pathward: resolve: %s (try 'pathward resolve --help')\n", msg);
	return EXIT_USAGE;
}

/* All of buf, or -errno (a closed or full stdout is a failure, not a success). */
static int write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

struct resolve_args {
	const char *root, *path;
	bool except_last, help;
};

static int parse(int argc, char **argv, struct resolve_args *a)
{
	bool opts = true;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (opts && strcmp(arg, "--") == 0) {
			opts = false;
		} else if (opts && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
			a->help = true;
		} else if (opts && strcmp(arg, "--except-last") == 0) {
			a->except_last = true;
		} else if (opts && strcmp(arg, "--root") == 0) {
			if (++i >= argc)
				return usage_error("--root needs a directory", NULL);
			a->root = argv[i];
		} else if (opts && strncmp(arg, "--root=", 7) == 0) {
			a->root = arg + 7;
		} else if (opts && arg[0] == '-' && arg[1] != '\0') {
			return usage_error("unknown option", arg);
		} else if (a->path) {
			return usage_error("unexpected argument", arg);
		} else {
			a->path = arg;
		}
	}
	if (a->help)
		return 0;
	if (!a->root)
		return usage_error("missing --root ROOT", NULL);
	if (!*a->root)
		return usage_error("empty --root", NULL);
	if (!a->path)
		return usage_error("missing PATH", NULL);
	return 0;
}

int cmd_resolve(int argc, char **argv)
{
	struct resolve_args a = { 0 };
	char buf[PATH_MAX + 1];
	int rootfd, r;

	r = parse(argc, argv, &a);
	if (r != 0)
		return r;
	if (a.help)
		return write_all(STDOUT_FILENO, usage_text, sizeof(usage_text) - 1) < 0 ? 1 : 0;

	rootfd = open(a.root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return fail("--root ", a.root, errno);
	r = pathward_resolve(rootfd, a.path, a.except_last ? PATHWARD_RESOLVE_EXCEPT_LAST : 0, buf, PATH_MAX);
	close(rootfd);
	if (r == -ERANGE)
		r = -ENAMETOOLONG; /* the answer itself would not fit in PATH_MAX */
	if (r < 0)
		return fail(NULL, NULL, -r);
	buf[r] = '\n';
	r = write_all(STDOUT_FILENO, buf, (size_t)r + 1);
	if (r < 0)
		return fail("stdout", NULL, -r);
	return 0;
}
