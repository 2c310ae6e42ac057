/* SPDX-License-Identifier: Apache-2.0 */
/*
 * resolver.c - figures for the contained resolver (issue 3) and how its cost
 * grows with path length and symlink count (issue 7 item 3).
 *
 * Scratch tree, built under <work>/rt (the root):
 *   p1/p2/s3 -> /q3, q3/p4/s5 -> /q5, q5/p6     the 6-component path with
 *                                               two absolute symlinks
 *   g/f, g/d/f, g/d/d/f, ... (31 levels)        n components, no symlink
 *   yS_1 -> /yS_2 -> ... -> /yS_S -> /g         S absolute symlinks, "yS_1/f"
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "pathward.h"


#ifndef SYS_openat2
#define SYS_openat2 437
#endif

#define P6 "p1/p2/s3/p4/s5/p6"

static int rootfd = -1;
static char rootpath[PATH_MAX - 64];

struct rctx {
	const char *path;
	uint64_t rflags;
};

static int mkfile(const char *p)
{
	int fd = openat(rootfd, p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, "x\n", 2) != 2) {
		close(fd);
		return -EIO;
	}
	close(fd);
	return 0;
}

static int mklink(const char *target, const char *p)
{
	return symlinkat(target, rootfd, p) < 0 && errno != EEXIST ? -errno : 0;
}

static int build_tree(void)
{
	char p[PATH_MAX], t[64], l[64];
	int r = 0;

	snprintf(rootpath, sizeof(rootpath), "%s/rt", bench_cfg.work);
	mkdir(rootpath, 0755);
	rootfd = open(rootpath, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	mkdirat(rootfd, "p1", 0755);
	mkdirat(rootfd, "p1/p2", 0755);
	r |= mklink("/q3", "p1/p2/s3");
	mkdirat(rootfd, "q3", 0755);
	mkdirat(rootfd, "q3/p4", 0755);
	r |= mklink("/q5", "q3/p4/s5");
	mkdirat(rootfd, "q5", 0755);
	r |= mkfile("q5/p6");
	strcpy(p, "g");
	for (int i = 0; i < 31; i++) {
		char f[PATH_MAX];
		mkdirat(rootfd, p, 0755);
		snprintf(f, sizeof(f), "%s/f", p);
		r |= mkfile(f);
		strcat(p, "/d");
	}
	for (int s = 1; s <= 16; s++) {
		for (int i = 1; i <= s; i++) {
			snprintf(l, sizeof(l), "y%d_%d", s, i);
			if (i < s)
				snprintf(t, sizeof(t), "/y%d_%d", s, i + 1);
			else
				snprintf(t, sizeof(t), "/g");
			r |= mklink(t, l);
		}
	}
	return r;
}

static int op_raw_openat2(void *ctx)
{
	struct rctx *c = ctx;
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	int fd = (int)syscall(SYS_openat2, rootfd, c->path, &how, sizeof(how));
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int op_root_open(void *ctx)
{
	struct rctx *c = ctx;
	int fd = pathward_root_open(rootfd, c->path, O_RDONLY, 0, c->rflags);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

static int op_resolve(void *ctx)
{
	struct rctx *c = ctx;
	char buf[PATH_MAX];
	int r = pathward_resolve(rootfd, c->path, c->rflags, buf, sizeof(buf));
	return r < 0 ? r : 0;
}

static int op_plain_open(void *ctx)
{
	int fd = open((const char *)ctx, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

#define OPVAR(lbl, fn, c) \
	((struct bench_var){ .label = (lbl), .kind = BENCH_OP, .op = (fn), .ctx = (c), .batch = 20 })

static void pair(const char *name, double target, struct bench_var a, struct bench_var b,
                 int rounds, const char *note)
{
	static struct bench_var v[2];
	v[0] = a;
	v[1] = b;
	bench_measure(v, 2, bench_rounds(rounds), 20);
	bench_report(name, target, &v[0], &v[1], note);
}

void bench_resolver(void)
{
	static struct rctx p6k = { P6, PATHWARD_RESOLVE_KERNEL }, p6u = { P6, PATHWARD_RESOLVE_USERSPACE },
	                   p6d = { P6, 0 };
	static char resolved[PATH_MAX];

	bench_section("contained resolver (issue 3): path " P6 " (6 components, 2 absolute symlinks)");
	if (build_tree() < 0) {
		bench_report_missing("resolver.kernel", 1.1, "could not build the scratch tree");
		return;
	}
	snprintf(resolved, sizeof(resolved), "%s/q5/p6", rootpath);
	pair("resolver.kernel", 1.1, OPVAR("pathward_root_open+close", op_root_open, &p6d),
	     OPVAR("openat2(RESOLVE_IN_ROOT)+close", op_raw_openat2, &p6d), 1000, NULL);
	pair("resolver.fallback", 3.5, OPVAR("pathward_root_open(USERSPACE)+close", op_root_open, &p6u),
	     OPVAR("pathward_root_open(KERNEL)+close", op_root_open, &p6k), 1000, "baseline is the kernel route");
	pair("resolver.string", 4.0, OPVAR("pathward_resolve", op_resolve, &p6d),
	     OPVAR("open(resolved)+close", op_plain_open, resolved), 1000, NULL);
}

/* Plain openat(rootfd, path) without any containment: the same number of
 * components as the contained open, so the ratio is the cost of safety. */
static int op_plain_openat(void *ctx)
{
	int fd = openat(rootfd, (const char *)ctx, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Growth: every case against one baseline, a plain openat(rootfd, "g/f")
 * (2 components, no containment), so the ratios draw the slope. */
void bench_growth(void)
{
	static const int comps[] = { 2, 8, 32 }, syms[] = { 0, 4, 16 };
	static char paths[6][PATH_MAX], names[12][48];
	static struct rctx ctx[12];
	int k = 0;

	bench_section("resolver growth (issue 7): contained open of N components / S absolute symlinks; baseline plain openat(root, \"g/f\")");
	if (rootfd < 0 && build_tree() < 0)
		return;
	for (int i = 0; i < 3; i++) {
		strcpy(paths[i], "g");
		for (int j = 0; j < comps[i] - 2; j++)
			strcat(paths[i], "/d");
		strcat(paths[i], "/f");
		if (syms[i])
			snprintf(paths[3 + i], PATH_MAX, "y%d_1/f", syms[i]);
		else
			strcpy(paths[3 + i], "g/f");
	}
	for (int route = 0; route < 2; route++) {
		const char *rn = route ? "fallback" : "kernel";
		for (int i = 0; i < 6; i++, k++) {
			ctx[k].path = paths[i];
			ctx[k].rflags = route ? PATHWARD_RESOLVE_USERSPACE : PATHWARD_RESOLVE_KERNEL;
			if (i < 3)
				snprintf(names[k], sizeof(names[k]), "growth.%s.c%d", rn, comps[i]);
			else
				snprintf(names[k], sizeof(names[k]), "growth.%s.s%d", rn, syms[i - 3]);
			pair(names[k], 0, OPVAR(route ? "fallback open+close" : "kernel open+close", op_root_open, &ctx[k]),
			     OPVAR("openat(root, g/f)+close", op_plain_openat, "g/f"), 400, NULL);
		}
	}
}
