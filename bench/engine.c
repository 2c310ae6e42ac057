/* SPDX-License-Identifier: Apache-2.0 */
/*
 * engine.c - interleaved measurement, statistics, child processes and the
 * three output forms (terminal lines, Markdown table, TSV for the plot).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

struct bench_cfg bench_cfg;

static FILE *out_md;
static FILE *out_tsv;

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/*
 * Rounds for a figure: base x PATHWARD_BENCH_SCALE, cut down once the run
 * has used most of its time budget (PATHWARD_BENCH_BUDGET seconds, default
 * 180), so that a machine crowded by other work still finishes well under
 * five minutes.  A cut figure shows it in its sample count.
 */
static double budget_start;

void bench_budget_start(void)
{
	budget_start = now_ns();
}

int bench_rounds(int base)
{
	const char *s = getenv("PATHWARD_BENCH_SCALE"), *b = getenv("PATHWARD_BENCH_BUDGET");
	double f = s ? strtod(s, NULL) : 1.0, budget = b ? strtod(b, NULL) : 180.0, used;
	int r;

	if (!budget_start)
		bench_budget_start();
	if (!(f > 0.0))
		f = 1.0;
	if (!(budget > 0.0))
		budget = 180.0;
	used = (now_ns() - budget_start) / 1e9 / budget;
	if (used > 0.85)
		f *= 0.25;
	else if (used > 0.6)
		f *= 0.5;
	r = (int)(base * f + 0.5);
	if (r < 5)
		r = 5;
	return r > BENCH_MAX_SAMPLES ? BENCH_MAX_SAMPLES : r;
}

/* ---- child processes ---------------------------------------------------- */

extern char **environ;

char **bench_env(const char *const *extra)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	for (const char *const *e = extra; e && *e; e++)
		k++;
	env = calloc(n + k + 1, sizeof(*env));
	if (!env)
		abort();
	k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!strncmp(environ[i], "LD_PRELOAD=", 11) || !strncmp(environ[i], "PATHWARD_", 9))
			continue;
		env[k++] = environ[i];
	}
	for (const char *const *e = extra; e && *e; e++)
		env[k++] = (char *)*e;
	env[k] = NULL;
	return env;
}

int bench_spawn(char *const argv[], char *const envp[], int outfd, double *ns)
{
	int st, null = open("/dev/null", O_RDWR | O_CLOEXEC);
	double t0 = now_ns();
	pid_t pid;

	if (null < 0)
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(null);
		return -errno;
	}
	if (pid == 0) {
		dup2(null, 0);
		dup2(outfd >= 0 ? outfd : null, 1);
		dup2(null, 2);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	close(null);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	*ns = now_ns() - t0;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

const char *bench_which(const char *name)
{
	static char buf[8][4096];
	static int slot;
	const char *path = getenv("PATH");
	char *b = buf[slot++ % 8];

	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? name : NULL;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
	while (*path) {
		size_t len = strcspn(path, ":");
		snprintf(b, sizeof(buf[0]), "%.*s/%s", (int)len, path, name);
		if (len && access(b, X_OK) == 0)
			return b;
		path += len + (path[len] == ':');
	}
	return NULL;
}

/* Run argv with stdout on a pipe; the child prints "<ns> [aux]". */
static int child_sample(struct bench_var *v, double *ns)
{
	char out[256];
	size_t len = 0;
	ssize_t r;
	double wall;
	int p[2], rc;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	/* The pipe's capacity (64 KiB) is far above what a child prints, so
	 * waiting first and reading afterwards cannot deadlock. */
	rc = bench_spawn(v->argv, v->envp, p[1], &wall);
	close(p[1]);
	while (len < sizeof(out) - 1 && (r = read(p[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += (size_t)r;
	close(p[0]);
	out[len] = '\0';
	if (rc != 0) {
		snprintf(v->errmsg, sizeof(v->errmsg), "%s exited %d: %.80s", v->argv[0], rc, out);
		return rc < 0 ? rc : -ECHILD;
	}
	char *end;
	*ns = strtod(out, &end);
	if (end == out || !(*ns > 0)) {
		snprintf(v->errmsg, sizeof(v->errmsg), "unexpected output from %s: %.80s", v->argv[0], out);
		return -EPROTO;
	}
	v->aux = strtod(end, NULL);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median_of(double *x, int n)
{
	qsort(x, (size_t)n, sizeof(*x), cmp_double);
	return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

static int take_sample(struct bench_var *v, double *ns)
{
	double t0, runs[64];
	int r, n;

	switch (v->kind) {
	case BENCH_OP:
		t0 = now_ns();
		for (int i = 0; i < v->batch; i++) {
			r = v->op(v->ctx);
			if (r < 0) {
				if (!v->errmsg[0])
					snprintf(v->errmsg, sizeof(v->errmsg), "%s", strerror(-r));
				return r;
			}
		}
		*ns = (now_ns() - t0) / v->batch;
		return 0;
	case BENCH_SPAWN:
		n = v->batch < 64 ? v->batch : 64;
		for (int i = 0; i < n; i++) {
			r = bench_spawn(v->argv, v->envp, -1, &runs[i]);
			if (r < 0 || r == 127) {
				snprintf(v->errmsg, sizeof(v->errmsg), "%s: %s", v->argv[0],
				         r < 0 ? strerror(-r) : "exec failed");
				return r < 0 ? r : -ENOEXEC;
			}
		}
		*ns = median_of(runs, n);
		return 0;
	case BENCH_CHILD:
		return child_sample(v, ns);
	}
	return -EINVAL;
}

/*
 * Keep an in-process sample under ~100 us.  On a crowded machine a process
 * is preempted every few milliseconds; a 2 ms batch (20 calls of a 100 us
 * walk) is hit far more often than the 60 us batch of its baseline, and
 * pairing cannot cancel a hit that falls on one side only.  Decided from
 * the last warm-up sample.
 */
static void shorten_batch(struct bench_var *v, double per_op)
{
	if (v->kind != BENCH_OP || per_op <= 0)
		return;
	if (per_op * v->batch > 100e3) {
		int b = (int)(100e3 / per_op);
		v->batch = b < 1 ? 1 : b;
	}
}

int bench_measure(struct bench_var *v, int k, int rounds, int warmup)
{
	double ns;

	for (int i = 0; i < k; i++) {
		v[i].n = 0;
		v[i].err = 0;
		v[i].errmsg[0] = '\0';
	}
	if (rounds > BENCH_MAX_SAMPLES)
		rounds = BENCH_MAX_SAMPLES;
	for (int r = -warmup; r < rounds; r++) {
		for (int i = 0; i < k; i++) {
			if (v[i].err)
				continue;
			int e = take_sample(&v[i], &ns);
			if (e < 0) {
				v[i].err = e;
				continue;
			}
			if (r >= 0)
				v[i].samples[v[i].n++] = ns;
			else if (r == -1)
				shorten_batch(&v[i], ns);
		}
	}
	for (int i = 0; i < k; i++)
		if (v[i].err)
			return v[i].err;
	return 0;
}

static double quantile(const double *sorted, int n, double q)
{
	double pos = q * (n - 1);
	int lo = (int)pos;
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + (pos - lo) * (sorted[lo + 1] - sorted[lo]);
}

struct bench_stats bench_stats(const struct bench_var *v)
{
	static double tmp[BENCH_MAX_SAMPLES];
	struct bench_stats s = { 0 };

	if (v->n <= 0)
		return s;
	memcpy(tmp, v->samples, sizeof(double) * (size_t)v->n);
	qsort(tmp, (size_t)v->n, sizeof(double), cmp_double);
	s.n = v->n;
	s.med = quantile(tmp, v->n, 0.5);
	s.p25 = quantile(tmp, v->n, 0.25);
	s.p75 = quantile(tmp, v->n, 0.75);
	return s;
}

/* ---- output --------------------------------------------------------------- */

int bench_output_open(const char *dir, bool append)
{
	char p[4096];

	/* Always O_APPEND: sub-processes (the per-tier figures) add rows to
	 * the same files while this process has them open. */
	snprintf(p, sizeof(p), "%s/bench.md", dir);
	if (!append && truncate(p, 0) < 0 && errno != ENOENT)
		return -errno;
	out_md = fopen(p, "a");
	snprintf(p, sizeof(p), "%s/bench.tsv", dir);
	if (!append && truncate(p, 0) < 0 && errno != ENOENT)
		return -errno;
	out_tsv = fopen(p, "a");
	if (!out_md || !out_tsv)
		return -errno;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!append) {
		fprintf(out_md, "| figure | ratio | target | verdict | measured: median [IQR] | baseline: median [IQR] | samples | notes |\n");
		fprintf(out_md, "| --- | ---: | ---: | --- | --- | --- | ---: | --- |\n");
		fprintf(out_tsv, "# name\tratio\ttarget\tverdict\n");
	}
	fflush(NULL);
	return 0;
}

void bench_section(const char *title)
{
	printf("# %s\n", title);
	if (out_md)
		fprintf(out_md, "| **%s** | | | | | | | |\n", title);
	fflush(NULL);
}

/* "3.61 us" / "412 ns" / "12.3 ms", short and unit-scaled. */
static const char *fmt_ns(char *b, size_t n, double ns)
{
	if (ns >= 1e6)
		snprintf(b, n, "%.2f ms", ns / 1e6);
	else if (ns >= 1e4)
		snprintf(b, n, "%.1f us", ns / 1e3);
	else if (ns >= 1e3)
		snprintf(b, n, "%.2f us", ns / 1e3);
	else
		snprintf(b, n, "%.0f ns", ns);
	return b;
}

static void describe(char *b, size_t n, const struct bench_var *v, struct bench_stats s)
{
	char m[32], lo[32], hi[32];
	snprintf(b, n, "%s %s [%s..%s]", v->label, fmt_ns(m, sizeof(m), s.med),
	         fmt_ns(lo, sizeof(lo), s.p25), fmt_ns(hi, sizeof(hi), s.p75));
}

static void target_text(char *b, size_t n, double target)
{
	if (target > 0)
		snprintf(b, n, "<=%gx", target);
	else
		snprintf(b, n, "none");
}

static void emit(const char *name, const char *ratio, double ratio_num, double target,
                 const char *verdict, const char *da, const char *db, int n, const char *note)
{
	char t[32];

	target_text(t, sizeof(t), target);
	printf("bench %s %s target %s %s\n", name, ratio, t, verdict);
	if (da && db)
		printf("      %s vs %s; %d samples%s%s\n", da, db, n, note ? "; " : "", note ? note : "");
	else if (note)
		printf("      %s\n", note);
	if (out_md)
		fprintf(out_md, "| `%s` | %s | %s | %s | %s | %s | %d | %s |\n", name, ratio,
		        target > 0 ? t : "-", verdict, da ? da : "-", db ? db : "-", n, note ? note : "");
	if (out_tsv)
		fprintf(out_tsv, "%s\t%.4f\t%g\t%s\n", name, ratio_num, target > 0 ? target : 0.0, verdict);
	fflush(NULL);
}

/*
 * The headline ratio is the ratio of medians, median(A) / median(B), as the
 * make-bench contract says (DESIGN §5).  Beside it the detail line prints the
 * paired form, the median over rounds of a[i] / b[i] with its IQR: on a
 * shared machine the load drifts between rounds and makes per-variant samples
 * bimodal, so a ratio of medians can move by +-0.1x from run to run where the
 * paired ratio stays within +-0.01x; a reader who sees the two disagree
 * knows the run was noisy.
 */
static struct bench_stats paired(const struct bench_var *a, const struct bench_var *base)
{
	static struct bench_var r;
	int k = a->n < base->n ? a->n : base->n;

	r.n = 0;
	for (int i = 0; i < k; i++)
		if (base->samples[i] > 0)
			r.samples[r.n++] = a->samples[i] / base->samples[i];
	return bench_stats(&r);
}

void bench_report(const char *name, double target, const struct bench_var *a,
                  const struct bench_var *base, const char *note)
{
	struct bench_stats sa = bench_stats(a), sb = bench_stats(base), sr;
	char ratio[32], da[128], db[128], full[400];
	const char *verdict;

	if (a->err || base->err || sa.n == 0 || sb.n == 0 || !(sb.med > 0)) {
		const struct bench_var *bad = a->err ? a : base;
		char why[256];
		snprintf(why, sizeof(why), "failed: %s: %s", bad->label,
		         bad->errmsg[0] ? bad->errmsg : strerror(bad->err ? -bad->err : EIO));
		bench_report_missing(name, target, why);
		return;
	}
	double rm = sa.med / sb.med;
	sr = paired(a, base);
	snprintf(ratio, sizeof(ratio), "%.2fx", rm);
	if (target > 0)
		verdict = rm <= target + 1e-9 ? "ok" : "over";
	else
		verdict = "info";
	describe(da, sizeof(da), a, sa);
	describe(db, sizeof(db), base, sb);
	snprintf(full, sizeof(full), "paired per-round ratio %.2fx IQR [%.2f..%.2f]%s%s", sr.med, sr.p25,
	         sr.p75, note ? "; " : "", note ? note : "");
	emit(name, ratio, rm, target, verdict, da, db, sa.n, full);
}

void bench_report_wrong(const char *name, double target, const struct bench_var *a,
                        const struct bench_var *base, const char *why)
{
	struct bench_stats sa = bench_stats(a), sb = bench_stats(base);
	char da[128], db[128], note[320];

	describe(da, sizeof(da), a, sa);
	describe(db, sizeof(db), base, sb);
	snprintf(note, sizeof(note), "WRONG RESULT, not ranked: %s", why);
	emit(name, "n/a", 0.0, target, "wrong", da, db, sa.n, note);
}

void bench_report_missing(const char *name, double target, const char *why)
{
	emit(name, "n/a", 0.0, target, "missing", NULL, NULL, 0, why);
}
