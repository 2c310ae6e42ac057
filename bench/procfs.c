/* SPDX-License-Identifier: Apache-2.0 */
/*
 * procfs.c - figures for the verified procfs handle (issue 2): opening
 * self/status through the cached handle and through the per-call own-view
 * route, and creating a handle of each tier, against plain open(2) of the
 * same file in the same run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "pathward.h"
#include "proc.h"


static char rbuf[8192];

static int op_plain_open(void *ctx)
{
	int fd = open((const char *)ctx, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int op_plain_read(void *ctx)
{
	int fd = open((const char *)ctx, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (read(fd, rbuf, sizeof(rbuf)) <= 0) {
		close(fd);
		return -EIO;
	}
	close(fd);
	return 0;
}

static int op_cached(void *ctx)
{
	(void)ctx;
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", O_RDONLY);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* The shim's route: the process's own /proc, verified, per call; no fd kept. */
static int op_own_view(void *ctx)
{
	bool do_read = ctx != NULL;
	int root = proc_own_root(), fd;

	if (root < 0)
		return root;
	fd = proc_open_beneath(root, "self/status", O_RDONLY | O_CLOEXEC, 0);
	close(root);
	if (fd < 0)
		return fd;
	if (do_read && read(fd, rbuf, sizeof(rbuf)) <= 0) {
		close(fd);
		return -EIO;
	}
	close(fd);
	return 0;
}

/* The same route through the public API. */
static int op_own_view_public(void *ctx)
{
	(void)ctx;
	pathward_proc_handle_t h;
	int fd, r = pathward_proc_handle_open(&h, PATHWARD_PROC_OWN_VIEW);

	if (r < 0)
		return r;
	fd = pathward_proc_open(&h, PATHWARD_PROC_SELF, "status", O_RDONLY);
	pathward_proc_handle_close(&h);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

static int self_fd_target = -1;

static int op_plain_readlink(void *ctx)
{
	(void)ctx;
	char p[64], buf[256];
	snprintf(p, sizeof(p), "/proc/self/fd/%d", self_fd_target);
	return readlink(p, buf, sizeof(buf)) < 0 ? -errno : 0;
}

static int op_pw_readlink(void *ctx)
{
	(void)ctx;
	char buf[256];
	ssize_t r = pathward_proc_self_fd_readlink(self_fd_target, buf, sizeof(buf));
	return r < 0 ? (int)r : 0;
}

static void pair(const char *name, double target, struct bench_var *a, struct bench_var *b,
                 int rounds, const char *note)
{
	struct bench_var v[2] = { *a, *b };
	bench_measure(v, 2, bench_rounds(rounds), 20);
	bench_report(name, target, &v[0], &v[1], note);
}

#define OPVAR(lbl, fn, c, bt) \
	((struct bench_var){ .label = (lbl), .kind = BENCH_OP, .op = (fn), .ctx = (c), .batch = (bt) })

void bench_procfs(void)
{
	static const char status[] = "/proc/self/status";
	struct bench_var *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));

	bench_section("procfs handle (issue 2): ratios against plain open(\"/proc/self/status\") in the same run");
	*b = OPVAR("open+close", op_plain_open, (void *)status, 20);
	*a = OPVAR("pathward_proc_open(NULL,SELF,status)+close", op_cached, NULL, 20);
	pair("procfs.cached_open", 1.1, a, b, 1000, NULL);
	*a = OPVAR("own_root+open_beneath+close x2", op_own_view, NULL, 20);
	pair("procfs.own_view_open", 2.0, a, b, 1000, NULL);
	*a = OPVAR("own view open+read+close", op_own_view, (void *)1, 20);
	*b = OPVAR("open+read+close", op_plain_read, (void *)status, 20);
	pair("procfs.own_view_read", 1.5, a, b, 1000, NULL);
	*b = OPVAR("open+close", op_plain_open, (void *)status, 20);
	*a = OPVAR("handle_open(OWN_VIEW)+proc_open+close", op_own_view_public, NULL, 20);
	pair("procfs.own_view_public", 0, a, b, 600, "public-API form of the own-view route");
	self_fd_target = open("/", O_PATH | O_CLOEXEC);
	*a = OPVAR("pathward_proc_self_fd_readlink", op_pw_readlink, NULL, 20);
	*b = OPVAR("readlink(/proc/self/fd/N)", op_plain_readlink, NULL, 20);
	pair("procfs.self_fd_readlink", 0, a, b, 600, NULL);
	close(self_fd_target);
	free(a);
	free(b);
}

/* ---- handle creation per tier ------------------------------------------- */

/*
 * A tier is reached by making the better ones fail: this program re-runs
 * itself (--tier NAME) under the enosys tool with fsopen, or fsopen and
 * open_tree, answering ENOSYS; for the recursive clone, in a user namespace
 * (fsopen of procfs refused) whose /proc carries a mask mount, which the
 * kernel refuses to clone without AT_RECURSIVE (locked submounts).  The
 * figure is creating and closing an UNMASKED handle (never cached, so every
 * call builds one, including the failed attempts above it on the ladder),
 * checked to be of the expected tier.
 */
static const char rec_script[] =
	"for f in kcore keys timer_list sched_debug loadavg; do [ -e /proc/$f ] && break; done; "
	"mount --bind /dev/null /proc/$f && exec unshare -U -r -m \"$0\" \"$@\"";

static const struct {
	const char *name;
	pathward_proc_tier_t tier;
	const char *enosys; /* syscalls to fail, or NULL */
	bool userns;        /* run in a user namespace with a masked /proc */
} tiers[] = {
	{ "fsopen", PATHWARD_PROC_TIER_FSOPEN, NULL, false },
	{ "open_tree", PATHWARD_PROC_TIER_OPEN_TREE, "fsopen", false },
	{ "open_tree_rec", PATHWARD_PROC_TIER_OPEN_TREE_REC, NULL, true },
	{ "host", PATHWARD_PROC_TIER_HOST, "fsopen,open_tree", false },
};

static pathward_proc_tier_t want_tier;

static int op_handle(void *ctx)
{
	(void)ctx;
	pathward_proc_handle_t h;
	int r = pathward_proc_handle_open(&h, PATHWARD_PROC_UNMASKED);

	if (r < 0)
		return r;
	r = h.tier == want_tier ? 0 : -ENOTSUP;
	pathward_proc_handle_close(&h);
	return r;
}

void bench_procfs_tier(const char *name)
{
	static const char status[] = "/proc/self/status";
	static struct bench_var v[2];
	char fig[64];

	for (size_t i = 0; i < sizeof(tiers) / sizeof(tiers[0]); i++) {
		if (strcmp(tiers[i].name, name))
			continue;
		snprintf(fig, sizeof(fig), "procfs.handle.%s", name);
		want_tier = tiers[i].tier;
		v[0] = OPVAR("handle_open(UNMASKED)+close", op_handle, NULL, 5);
		v[1] = OPVAR("open+close", op_plain_open, (void *)status, 5);
		bench_measure(v, 2, bench_rounds(250), 4);
		if (v[0].err == -ENOTSUP)
			snprintf(v[0].errmsg, sizeof(v[0].errmsg), "the ladder did not stop at tier %s here", name);
		bench_report(fig, 0, &v[0], &v[1], "a fresh handle per call: the ladder down to this tier, verify, close");
		return;
	}
}

/* The command that re-runs this program for tier i, with whatever makes
 * the better tiers fail in front of it; NULL and *why set when it cannot. */
static char **tier_command(size_t i, char **argv, const char **why)
{
	const char *unshare = bench_which("unshare"), *sh = bench_which("sh");
	int k = 0;

	if (tiers[i].userns && (!unshare || !sh || geteuid() != 0)) {
		*why = "needs root and unshare(1) to set up a user namespace";
		return NULL;
	}
	if (tiers[i].enosys && !bench_cfg.enosys) {
		*why = "enosys tool not built";
		return NULL;
	}
	if (tiers[i].userns) {
		const char *pre[] = { unshare, "-m", "--propagation", "private", sh, "-c", rec_script };
		for (size_t j = 0; j < sizeof(pre) / sizeof(pre[0]); j++)
			argv[k++] = (char *)pre[j];
	}
	if (tiers[i].enosys) {
		const char *pre[] = { bench_cfg.enosys, "-s", tiers[i].enosys, "--" };
		for (size_t j = 0; j < sizeof(pre) / sizeof(pre[0]); j++)
			argv[k++] = (char *)pre[j];
	}
	const char *self[] = { bench_cfg.self, "--out", bench_cfg.out, "--work", bench_cfg.work,
		                   "--child", bench_cfg.child, "--append", "--tier", tiers[i].name };
	for (size_t j = 0; j < sizeof(self) / sizeof(self[0]); j++)
		argv[k++] = (char *)self[j];
	argv[k] = NULL;
	return argv;
}

void bench_procfs_tiers(void)
{
	bench_section("procfs handle creation per tier (issue 2): against plain open+close");
	for (size_t i = 0; i < sizeof(tiers) / sizeof(tiers[0]); i++) {
		char fig[64], *argv[24];
		const char *why = NULL;
		double ns;

		snprintf(fig, sizeof(fig), "procfs.handle.%s", tiers[i].name);
		if (!tier_command(i, argv, &why)) {
			bench_report_missing(fig, 0, why);
			continue;
		}
		/* The sub-process prints and appends its own row. */
		if (bench_spawn(argv, bench_env(NULL), 1, &ns) != 0)
			bench_report_missing(fig, 0, "the tier sub-process failed");
	}
}
