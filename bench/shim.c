/* SPDX-License-Identifier: Apache-2.0 */
/*
 * shim.c - figures for the preload shim (issue 4).  A process cannot take
 * LD_PRELOAD on and off, so each round execs pw-child once with the shim
 * preloaded and once without (A B A B); each run reports its own median per
 * call, and the ratio is the median over rounds of with/without (engine.c).
 * Process start-ups are timed as fork+exec+wait, a few runs per round,
 * alternating.  Before timing, the child proves the shim is live: open()
 * resolves to the shim (dladdr), and for the contained open, a path through
 * two absolute symlinks inside the root opens only if the shim contains it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

static char env_preload[PATH_MAX + 16], env_pass[PATH_MAX + 16], env_roots[PATH_MAX + 32];
static char rootdir[PATH_MAX], regfile[PATH_MAX + 8], inroot[PATH_MAX + 16], escape[PATH_MAX + 32];

/* Run pw-child once with envp and return its first output line, or NULL. */
static const char *child_says(char **envp, char *const argv[])
{
	static char out[PATH_MAX];
	int p[2];
	double ns;
	ssize_t r;

	if (pipe2(p, O_CLOEXEC) < 0)
		return NULL;
	int rc = bench_spawn(argv, envp, p[1], &ns);
	close(p[1]);
	r = read(p[0], out, sizeof(out) - 1);
	close(p[0]);
	if (rc != 0 || r <= 0)
		return NULL;
	out[r] = '\0';
	out[strcspn(out, "\n")] = '\0';
	return out;
}

/* Is the shim there, and does it wrap open()?  Returns NULL or why not. */
static const char *shim_missing(char **with)
{
	char *argv[] = { (char *)bench_cfg.child, "whose-open", NULL };
	const char *who;

	if (!bench_cfg.shim)
		return "pathward-preload.so not built yet";
	who = child_says(with, argv);
	if (!who)
		return "a program does not start with the shim preloaded";
	if (!strstr(who, "pathward-preload"))
		return "the shim does not wrap open() yet";
	return NULL;
}

/*
 * The variants of one shim figure, measured in the same rounds: with the
 * shim, without any preload, and (when `pass` is set) with the do-nothing
 * pass-through preload, reported as a second, informational figure, so the
 * cost of loading any preload is told apart from what pathward adds.
 */
struct shim_set {
	char **with, **without, **pass;
};

static void run_and_report(const char *name, double target, struct bench_var *v, const struct shim_set *e,
                           int rounds, int warmup, const char *note)
{
	char pname[96];
	int k = e->pass ? 3 : 2;

	v[0].label = "with shim";
	v[0].envp = e->with;
	v[1].label = "without";
	v[1].envp = e->without;
	v[2].label = "pass-through preload";
	v[2].envp = e->pass;
	bench_measure(v, k, bench_rounds(rounds), warmup);
	bench_report(name, target, &v[0], &v[1], note);
	if (k == 3) {
		snprintf(pname, sizeof(pname), "%s.passthrough", name);
		bench_report(pname, 0, &v[2], &v[1], "reference: a preload that wraps open() and does nothing");
	}
}

static void child_pair(const char *name, double target, const struct shim_set *e, const char *kind,
                       const char *path, const char *why_missing)
{
	static struct bench_var v[3];
	char *argv[] = { (char *)bench_cfg.child, "loop", (char *)kind, (char *)path, "20", "41", NULL };

	if (why_missing) {
		bench_report_missing(name, target, why_missing);
		return;
	}
	for (int i = 0; i < 3; i++)
		v[i] = (struct bench_var){ .kind = BENCH_CHILD, .argv = argv };
	run_and_report(name, target, v, e, 201, 4, "median of per-process medians (41 batches x 20 calls each)");
}

static void spawn_pair(const char *name, double target, const struct shim_set *e, char *const argv[],
                       int per_round, int rounds, const char *why_missing)
{
	static struct bench_var v[3];

	if (why_missing) {
		bench_report_missing(name, target, why_missing);
		return;
	}
	for (int i = 0; i < 3; i++)
		v[i] = (struct bench_var){ .kind = BENCH_SPAWN, .argv = argv, .batch = per_round };
	run_and_report(name, target, v, e, rounds, 1, "fork+exec+wait, median of the runs in a round");
}

/* <work>/rt is the resolver's tree (p1/p2/s3 -> /q3 ...); files used here:
 * <work>/reg (outside any root), <root>/g/d/d/f (no symlink). */
static int prepare(void)
{
	int fd;

	snprintf(rootdir, sizeof(rootdir), "%s/rt", bench_cfg.work);
	snprintf(regfile, sizeof(regfile), "%s/reg", bench_cfg.work);
	snprintf(inroot, sizeof(inroot), "%s/g/d/d/f", rootdir);
	snprintf(escape, sizeof(escape), "%s/p1/p2/s3/p4/s5/p6", rootdir);
	fd = open(regfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	snprintf(env_preload, sizeof(env_preload), "LD_PRELOAD=%s", bench_cfg.shim ? bench_cfg.shim : "");
	snprintf(env_roots, sizeof(env_roots), "PATHWARD_ROOTS=%s", rootdir);
	snprintf(env_pass, sizeof(env_pass), "LD_PRELOAD=%s", bench_cfg.passthrough ? bench_cfg.passthrough : "");
	return access(inroot, R_OK) == 0 ? 0 : -ENOENT;
}

/* With PATHWARD_ROOTS set, an open through two absolute symlinks inside the
 * root only succeeds if the shim contains it (/q3 does not exist on the
 * host).  Proves the contained route is live before timing it. */
static const char *root_missing(char **with)
{
	char *argv[] = { (char *)bench_cfg.child, "loop", "openclose", escape, "1", "1", NULL };
	return child_says(with, argv) ? NULL : "the shim does not contain paths under PATHWARD_ROOTS yet";
}

void bench_shim(void)
{
	const char *with_extra[] = { env_preload, env_roots, NULL }, *without_extra[] = { env_roots, NULL };
	const char *pass_extra[] = { env_pass, env_roots, NULL };
	struct shim_set all, two;
	const char *miss, *ps = bench_which("ps");
	char *true_argv[] = { "/bin/true", NULL };
	char *ps_argv[] = { (char *)(ps ? ps : "/bin/ps"), "-ef", NULL };

	bench_section("preload shim (issue 4): the same program with and without LD_PRELOAD, alternating");
	if (prepare() < 0) {
		bench_report_missing("shim.fastpath_open", 1.03, "could not prepare the scratch files");
		return;
	}
	all.with = two.with = bench_env(with_extra);
	all.without = two.without = bench_env(without_extra);
	all.pass = bench_cfg.passthrough ? bench_env(pass_extra) : NULL;
	two.pass = NULL;
	miss = shim_missing(all.with);
	child_pair("shim.fastpath_open", 1.03, &all, "openclose", regfile, miss);
	child_pair("shim.proc_status_read", 1.6, &two, "openreadclose", "/proc/self/status", miss);
	child_pair("shim.root_open", 2.0, &two, "openclose", inroot, miss ? miss : root_missing(all.with));
	spawn_pair("shim.startup_true", 1.10, &all, true_argv, 15, 61,
	           bench_cfg.shim ? NULL : "pathward-preload.so not built yet");
	spawn_pair("shim.ps_ef", 1.3, &two, ps_argv, 3, 61, miss);
}
