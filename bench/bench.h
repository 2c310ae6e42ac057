/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench.h - the measurement engine behind `make bench`.
 *
 * Method (the same for every figure):
 *   - a figure compares variants measured side by side in one run: every
 *     round takes one sample of each variant in turn (A B A B ...), after
 *     warm-up rounds that are thrown away, so load from other processes
 *     falls on all variants alike;
 *   - a sample is the cost of one operation in ns: the mean of a short batch
 *     timed with CLOCK_MONOTONIC (in-process operations; the batch shrinks
 *     so that a sample stays under ~100 us), the median of a
 *     few fork+exec+wait runs (process start-ups), or the number a child
 *     process reports (the child's own batch median, for figures that need
 *     a fresh process with or without LD_PRELOAD);
 *   - a variant's figure is the median of its samples with their
 *     inter-quartile range; the ratio is median(A) / median(baseline) (the
 *     contract's ratio of medians), and the paired form, the median over
 *     rounds of A[i] / baseline[i], is printed beside it (engine.c says why).
 */
#ifndef PATHWARD_BENCH_H
#define PATHWARD_BENCH_H

#include <stdbool.h>
#include <stddef.h>

#define BENCH_MAX_SAMPLES 4096

enum bench_kind {
	BENCH_OP,    /* in-process: op(ctx) run `batch` times per sample   */
	BENCH_SPAWN, /* fork+exec+wait of argv, `batch` runs per sample     */
	BENCH_CHILD, /* run argv once per sample, sample = number it prints */
};

struct bench_var {
	const char *label;
	enum bench_kind kind;
	int (*op)(void *ctx); /* BENCH_OP: 0 or -errno */
	void *ctx;
	int batch;
	char *const *argv;    /* BENCH_SPAWN / BENCH_CHILD */
	char *const *envp;
	/* filled by bench_measure */
	double samples[BENCH_MAX_SAMPLES];
	int n;
	int err;              /* first failure (-errno, or -EPROTO: bad output) */
	char errmsg[160];
	double aux;           /* BENCH_CHILD: second number printed (e.g. files read) */
};

struct bench_stats {
	double med, p25, p75;
	int n;
};

/* Run `rounds` interleaved rounds (after `warmup` discarded ones) over k
 * variants.  Returns 0, or the first variant's error (the figure is then
 * reported as failed). */
int bench_measure(struct bench_var *v, int k, int rounds, int warmup);
struct bench_stats bench_stats(const struct bench_var *v);

/* Rounds for a figure: base scaled by PATHWARD_BENCH_SCALE (default 1) and
 * cut when the run nears PATHWARD_BENCH_BUDGET seconds (default 180),
 * counted from bench_budget_start(). */
int bench_rounds(int base);
void bench_budget_start(void);

/* Output: one stdout line per figure plus an indented detail line, one
 * Markdown row, one TSV row (for the plot). target <= 0: informational. */
void bench_report(const char *name, double target, const struct bench_var *a,
                  const struct bench_var *base, const char *note);
void bench_report_missing(const char *name, double target, const char *why);
void bench_report_wrong(const char *name, double target, const struct bench_var *a,
                        const struct bench_var *base, const char *why);
void bench_section(const char *title);
int bench_output_open(const char *dir, bool append);

/* Environment for child processes: ours minus LD_PRELOAD and PATHWARD_*,
 * plus up to four extra "NAME=value" strings (NULL-terminated list). */
char **bench_env(const char *const *extra);

/* fork+exec+wait; stdout goes to outfd (or /dev/null when < 0), stderr to
 * /dev/null.  Returns the exit status (>= 0) or -errno; *ns = wall time. */
int bench_spawn(char *const argv[], char *const envp[], int outfd, double *ns);

/* Absolute path of an executable found in PATH, or NULL. */
const char *bench_which(const char *name);

/* Configuration handed over by scripts/bench.sh. */
struct bench_cfg {
	const char *build;    /* build dir (absolute) */
	const char *work;     /* scratch dir (absolute) */
	const char *shim;     /* pathward-preload.so, or NULL when not built */
	const char *cli;      /* pathward, or NULL */
	const char *child;    /* pw-child */
	const char *enosys;   /* enosys tool, or NULL */
	const char *self;     /* this program */
	const char *readroot; /* root for the 1,000-file comparison, or NULL */
	const char *out;      /* report directory */
	const char *passthrough; /* the do-nothing preload, or NULL */
};
extern struct bench_cfg bench_cfg;

void bench_procfs(void);
void bench_procfs_tiers(void);
void bench_procfs_tier(const char *tier); /* sub-process entry (--tier) */
void bench_resolver(void);
void bench_growth(void);
void bench_shim(void);
void bench_compare(void);

#endif
