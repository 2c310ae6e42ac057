/* SPDX-License-Identifier: Apache-2.0 */
/*
 * compare.c - pathward against the tools a user would reach for instead
 * (issue 7 item 2): fakechroot (LD_PRELOAD, rewrites paths) and proot
 * (ptrace, rewrites every syscall).  Informational: no targets.
 *
 * The 1,000-file root (<readroot>, made by scripts/bench.sh) holds
 * links/lNNNN -> /data/fNNNN (absolute symlinks), data/fNNNN containing
 * NNNN, and a copy of pw-child with the libraries it needs at the paths its
 * ELF interpreter asks for, so the same reader runs on the host (pathward,
 * openat2 floor) and inside the root (proot -r, fakechroot chroot).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

static bool cli_works(char **env)
{
	char *argv[] = { (char *)bench_cfg.cli, "run", "--", "/bin/true", NULL };
	double ns;
	return bench_cfg.cli && bench_spawn(argv, env, -1, &ns) == 0;
}

static void report_vs(const char *name, struct bench_var *v, struct bench_var *base, const char *why)
{
	if (why)
		bench_report_missing(name, 0, why);
	else
		bench_report(name, 0, v, base, NULL);
}

/* Variants measured together must all be runnable; a missing tool is
 * dropped from the set (and reported) instead of failing the others. */
static int run_set(struct bench_var *v, const char **why, int k, int rounds, int warmup)
{
	struct bench_var *tmp = calloc((size_t)k, sizeof(*tmp));
	int idx[8], m = 0;

	for (int i = 0; i < k; i++)
		if (!why[i]) {
			idx[m] = i;
			tmp[m++] = v[i];
		}
	bench_measure(tmp, m, rounds, warmup);
	for (int j = 0; j < m; j++)
		v[idx[j]] = tmp[j];
	free(tmp);
	return 0;
}

static void compare_true(char **env, bool cli_ok)
{
	const char *fakechroot = bench_which("fakechroot"), *proot = bench_which("proot");
	char *plain[] = { "/bin/true", NULL };
	char *pw[] = { (char *)bench_cfg.cli, "run", "--", "/bin/true", NULL };
	char *fk[] = { (char *)fakechroot, "/bin/true", NULL };
	char *pr[] = { (char *)proot, "/bin/true", NULL };
	static struct bench_var v[4];
	const char *why[4] = { NULL, cli_ok ? NULL : "pathward run does not work yet",
		                   fakechroot ? NULL : "fakechroot not installed",
		                   proot ? NULL : "proot not installed" };
	char *const *argvs[4] = { plain, pw, fk, pr };
	const char *labels[4] = { "/bin/true", "pathward run", "fakechroot", "proot" };

	for (int i = 0; i < 4; i++)
		v[i] = (struct bench_var){ .label = labels[i], .kind = BENCH_SPAWN, .argv = argvs[i],
		                           .envp = env, .batch = 5 };
	run_set(v, why, 4, bench_rounds(31), 1);
	report_vs("cmp.true.pathward_run", &v[1], &v[0], why[1]);
	report_vs("cmp.true.fakechroot", &v[2], &v[0], why[2]);
	report_vs("cmp.true.proot", &v[3], &v[0], why[3]);
}

static void compare_read(char **env, bool cli_ok)
{
	const char *fakechroot = bench_which("fakechroot"), *proot = bench_which("proot");
	const char *chroot = bench_which("chroot");
	const char *R = bench_cfg.readroot;
	char *floor[] = { (char *)bench_cfg.child, "read1000-openat2", (char *)R, "1000", NULL };
	char *pw[] = { (char *)bench_cfg.cli, "run", "--root", (char *)R, "--", (char *)bench_cfg.child,
		           "read1000", (char *)R, "1000", NULL };
	char *pr[] = { (char *)proot, "-r", (char *)R, "-w", "/", "/pw-child", "read1000", "", "1000", NULL };
	char *fk[] = { (char *)fakechroot, (char *)chroot, (char *)R, "/pw-child", "read1000", "", "1000", NULL };
	static struct bench_var v[4];
	const char *why[4] = { NULL, cli_ok ? NULL : "pathward run does not work yet",
		                   proot ? NULL : "proot not installed",
		                   fakechroot && chroot ? NULL : "fakechroot not installed" };
	char *const *argvs[4] = { floor, pw, pr, fk };
	const char *labels[4] = { "openat2 floor", "pathward run --root", "proot -r", "fakechroot chroot" };
	const char *names[4] = { NULL, "cmp.read1000.pathward_run", "cmp.read1000.proot", "cmp.read1000.fakechroot" };

	if (!R) {
		for (int i = 1; i < 4; i++)
			bench_report_missing(names[i], 0, "the 1,000-file root was not prepared");
		return;
	}
	for (int i = 0; i < 4; i++)
		v[i] = (struct bench_var){ .label = labels[i], .kind = BENCH_CHILD, .argv = argvs[i], .envp = env };
	run_set(v, why, 4, bench_rounds(21), 1);
	if (v[0].err || v[0].aux != 1000) {
		for (int i = 1; i < 4; i++)
			bench_report_missing(names[i], 0, "the openat2 floor did not read the 1,000 files");
		return;
	}
	for (int i = 1; i < 4; i++) {
		char msg[160];
		if (!why[i] && !v[i].err && v[i].aux != 1000) {
			snprintf(msg, sizeof(msg), "%.0f of 1000 files read with the in-root content "
			         "(absolute symlinks followed outside the root)", v[i].aux);
			bench_report_wrong(names[i], 0, &v[i], &v[0], msg);
			continue;
		}
		report_vs(names[i], &v[i], &v[0], why[i]);
	}
}

static void compare_proc_tools(char **env, bool cli_ok)
{
	const char *ps = bench_which("ps"), *find = bench_which("find");
	char *ps_plain[] = { (char *)ps, "-ef", NULL };
	char *ps_pw[] = { (char *)bench_cfg.cli, "run", "--", (char *)ps, "-ef", NULL };
	char *find_plain[] = { (char *)find, "/proc/self", "-maxdepth", "2", NULL };
	char *find_pw[] = { (char *)bench_cfg.cli, "run", "--", (char *)find, "/proc/self", "-maxdepth", "2", NULL };
	static struct bench_var v[4];
	const char *why[4] = { NULL, cli_ok ? NULL : "pathward run does not work yet", NULL,
		                   cli_ok ? NULL : "pathward run does not work yet" };
	char *const *argvs[4] = { ps_plain, ps_pw, find_plain, find_pw };
	const char *labels[4] = { "ps -ef", "pathward run ps -ef", "find /proc/self", "pathward run find" };

	for (int i = 0; i < 4; i++)
		v[i] = (struct bench_var){ .label = labels[i], .kind = BENCH_SPAWN, .argv = argvs[i],
		                           .envp = env, .batch = 3 };
	run_set(v, why, 4, bench_rounds(31), 1);
	report_vs("cmp.ps_ef.pathward_run", &v[1], &v[0], why[1]);
	report_vs("cmp.find_proc.pathward_run", &v[3], &v[2], why[3]);
}

void bench_compare(void)
{
	char **env = bench_env(NULL);
	bool cli_ok = cli_works(env);

	bench_section("comparisons (issue 7): pathward run against fakechroot, proot and the kernel floor");
	compare_true(env, cli_ok);
	compare_read(env, cli_ok);
	compare_proc_tools(env, cli_ok);
}
