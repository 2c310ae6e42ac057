/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-canon.c - canon_enter and the CLASSIFY_CANON class: a ".." before
 * any prefix is resolved the way the kernel resolves it, so a path that
 * lands in a root by its real walk is rewritten under that root.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canon.h"
#include "classify.h"
#include "common.h"
#include "policy.h"

static char X[64];       /* scratch dir, e.g. /tmp/canon.XXXXXX */
static char ROOT[128];   /* X/root, the configured root */
static struct policy pol;

static void mk(void)
{
	char p[PATH_MAX];

	strcpy(X, "/tmp/canon.XXXXXX");
	cr_assert_not_null(mkdtemp(X));
	snprintf(ROOT, sizeof(ROOT), "%s/root", X);
	cr_assert_eq(mkdir(ROOT, 0755), 0);
	snprintf(p, sizeof(p), "%s/a", ROOT);
	cr_assert_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/alias", X);
	cr_assert_eq(symlink(ROOT, p), 0);        /* host alias of the root */
	snprintf(p, sizeof(p), "%s/loop1", X);
	cr_assert_eq(symlink("loop2", p), 0);
	snprintf(p, sizeof(p), "%s/loop2", X);
	cr_assert_eq(symlink("loop1", p), 0);
	snprintf(p, sizeof(p), "%s/up", X);
	cr_assert_eq(symlink("..", p), 0);        /* relative body with ".." */
	policy_parse(&pol, ROOT, "off", NULL, NULL, "/", NULL, 0);
	cr_assert_eq(pol.nroots, 1);
}

static void rm(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", X);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", X);
}

TestSuite(canon, .init = mk, .fini = rm);

/* X without its leading "/tmp/": the last component. */
static const char *xname(void)
{
	return strrchr(X, '/') + 1;
}

static void expect_in(const char *path, const char *want)
{
	char out[PATH_MAX];
	struct classify c;

	cr_assert_eq(classify_path(&pol, path, &c), CLASSIFY_CANON, "%s: not CANON", path);
	cr_assert_eq(canon_enter(&pol, path, true, out, sizeof(out)), 1, "%s: native", path);
	cr_assert_str_eq(out, want, "%s", path);
	cr_assert_eq(classify_path(&pol, out, &c), CLASSIFY_ROOT, "%s -> %s", path, out);
}

static void expect_native(const char *path)
{
	char out[PATH_MAX];
	cr_assert_eq(canon_enter(&pol, path, true, out, sizeof(out)), 0, "%s: entered %s", path, out);
}

Test(canon, dotdot_before_prefix)
{
	char p[PATH_MAX], w[PATH_MAX];
	snprintf(p, sizeof(p), "/tmp/../tmp/%s/root/a", xname());
	snprintf(w, sizeof(w), "%s/a", ROOT);
	expect_in(p, w);
	/* the rest stays raw: its ".." is the ROOT route's business */
	snprintf(p, sizeof(p), "%s/../%s/root/a/../../x", X, xname());
	snprintf(w, sizeof(w), "%s/a/../../x", ROOT);
	expect_in(p, w);
}

Test(canon, slashes_and_dots)
{
	char p[PATH_MAX], w[PATH_MAX];
	struct classify c;
	/* classify already reads "//" and "/./" as the same component list */
	snprintf(p, sizeof(p), "/tmp//%s/./root//a", xname());
	cr_assert_eq(classify_path(&pol, p, &c), CLASSIFY_ROOT);
	snprintf(p, sizeof(p), "//tmp/./..//tmp//%s/./root//a", xname());
	snprintf(w, sizeof(w), "%s//a", ROOT);
	expect_in(p, w);
}

Test(canon, host_alias_with_unclean_spelling)
{
	char p[PATH_MAX], w[PATH_MAX];
	snprintf(p, sizeof(p), "%s/../%s/alias/a", X, xname());
	snprintf(w, sizeof(w), "%s/a", ROOT);
	expect_in(p, w);
	/* a relative ".." body walks back into the root */
	snprintf(p, sizeof(p), "%s/root/../up/%s/root/a", X, xname());
	/* X/root is entered before "..": the walk stops at the prefix */
	struct classify c;
	cr_assert_eq(classify_path(&pol, p, &c), CLASSIFY_ROOT);
	snprintf(p, sizeof(p), "/tmp/../%s/up/%s/root", X + 1, xname());
	expect_in(p, ROOT);
}

Test(canon, dotdot_above_slash)
{
	char p[PATH_MAX], w[PATH_MAX];
	snprintf(p, sizeof(p), "/../../..%s/root/a", X);
	snprintf(w, sizeof(w), "%s/a", ROOT);
	expect_in(p, w);
}

Test(canon, loop_and_outside_are_native)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "/tmp/../%s/loop1/x", X + 1);
	expect_native(p);
	snprintf(p, sizeof(p), "/tmp/../%s/nothere/../root/a", X + 1);
	expect_native(p); /* the kernel says ENOENT: so does the real call */
	expect_native("/etc/../etc/hostname");
	expect_native("/tmp/..");
}

Test(canon, last_symlink_not_followed)
{
	char p[PATH_MAX], out[PATH_MAX];
	snprintf(p, sizeof(p), "/tmp/../%s/alias", X + 1);
	/* lstat-like: the alias itself, on the host */
	cr_assert_eq(canon_enter(&pol, p, false, out, sizeof(out)), 0);
	cr_assert_eq(canon_enter(&pol, p, true, out, sizeof(out)), 1);
	cr_assert_str_eq(out, ROOT);
}

Test(canon, proc_pid_root)
{
	char p[PATH_MAX], w[PATH_MAX];
	struct classify c;
	int pid = (int)getpid();

	snprintf(p, sizeof(p), "/proc/self/../%d/root/etc/hostname", pid);
	cr_assert_eq(classify_path(&pol, p, &c), CLASSIFY_CANON);
	snprintf(w, sizeof(w), "/proc/%d/root/etc/hostname", pid);
	expect_in(p, w);
	cr_assert_eq(c.cls, CLASSIFY_CANON);
	/* "self" itself resolves to the pid on the way */
	snprintf(p, sizeof(p), "/tmp/../proc/self/root/etc/hostname");
	expect_in(p, w);
	cr_assert_eq(classify_path(&pol, w, &c), CLASSIFY_ROOT);
	cr_assert_eq(c.root, CLASSIFY_ROOT_PROCPID);
}

Test(canon, proc_safe_stops_at_proc)
{
	char out[PATH_MAX];
	struct classify c;
	policy_parse(&pol, ROOT, "safe", NULL, NULL, "/", NULL, 0);
	cr_assert_eq(classify_path(&pol, "/tmp/../proc/self/status", &c), CLASSIFY_CANON);
	cr_assert_eq(canon_enter(&pol, "/tmp/../proc/self/status", true, out, sizeof(out)), 1);
	cr_assert_str_eq(out, "/proc/self/status");
	cr_assert_eq(classify_path(&pol, out, &c), CLASSIFY_PROC);
}

Test(canon, out_may_alias_path)
{
	char p[PATH_MAX], w[PATH_MAX];
	snprintf(p, sizeof(p), "/tmp/../tmp/%s/root/a", xname());
	snprintf(w, sizeof(w), "%s/a", ROOT);
	cr_assert_eq(canon_enter(&pol, p, true, p, sizeof(p)), 1);
	cr_assert_str_eq(p, w);
}
