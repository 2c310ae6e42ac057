/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - pw-bench: run figure groups and write the report.
 *
 *   pw-bench --out DIR --work DIR --child PATH [--shim PATH] [--cli PATH]
 *            [--enosys PATH] [--readroot DIR] [--passthrough SO] [--append] GROUP...
 *
 * GROUP: procfs, tiers, resolver, growth, shim, compare, or all.
 * scripts/bench.sh is the normal way in (it builds the 1,000-file root and
 * draws the plot); `make bench` calls it.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/* A path given for a part that may not be built yet: NULL unless usable. */
static const char *opt_path(const char *p, int mode)
{
	return p && *p && access(p, mode) == 0 ? p : NULL;
}

/*
 * Pin this process, and so every child, to one CPU.  The CPUs of a shared VM
 * differ (here one ran open+close at 3.6 us, the other at 2.5 us, steadily):
 * a variant that happened to land on the other CPU more often would win or
 * lose by that alone.  PATHWARD_BENCH_CPU=N picks the CPU, -1 disables;
 * the default is the highest CPU we may use (the first usually takes more
 * interrupts).
 */
static int pin_cpu(void)
{
	const char *s = getenv("PATHWARD_BENCH_CPU");
	cpu_set_t set;
	int cpu = -1;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return -1;
	if (s && *s) {
		cpu = atoi(s);
		if (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &set))
			return -1;
	} else {
		for (int i = 0; i < CPU_SETSIZE; i++)
			if (CPU_ISSET(i, &set))
				cpu = i;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) < 0 ? -1 : cpu;
}

static void run_group(const char *g)
{
	bool all = !strcmp(g, "all");

	if (all || !strcmp(g, "procfs"))
		bench_procfs();
	if (all || !strcmp(g, "tiers"))
		bench_procfs_tiers();
	if (all || !strcmp(g, "resolver"))
		bench_resolver();
	if (all || !strcmp(g, "growth"))
		bench_growth();
	if (all || !strcmp(g, "shim"))
		bench_shim();
	if (all || !strcmp(g, "compare"))
		bench_compare();
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },    { "work", required_argument, NULL, 'w' },
		{ "child", required_argument, NULL, 'c' },  { "shim", required_argument, NULL, 's' },
		{ "cli", required_argument, NULL, 'l' },    { "enosys", required_argument, NULL, 'e' },
		{ "readroot", required_argument, NULL, 'r' }, { "append", no_argument, NULL, 'a' },
		{ "tier", required_argument, NULL, 't' },   { "passthrough", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	static char self[PATH_MAX];
	const char *out = NULL, *tier = NULL;
	bool append = false;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'w': bench_cfg.work = optarg; break;
		case 'c': bench_cfg.child = optarg; break;
		case 's': bench_cfg.shim = opt_path(optarg, R_OK); break;
		case 'l': bench_cfg.cli = opt_path(optarg, X_OK); break;
		case 'e': bench_cfg.enosys = opt_path(optarg, X_OK); break;
		case 'r': bench_cfg.readroot = opt_path(optarg, R_OK); break;
		case 'a': append = true; break;
		case 't': tier = optarg; break;
		case 'p': bench_cfg.passthrough = opt_path(optarg, R_OK); break;
		default: return 2;
		}
	}
	if (!out || !bench_cfg.work || !bench_cfg.child || (optind >= argc && !tier)) {
		fprintf(stderr, "usage: pw-bench --out DIR --work DIR --child PATH [--shim P] [--cli P] "
		                "[--enosys P] [--readroot DIR] [--append] GROUP...\n");
		return 2;
	}
	bench_budget_start();
	if (!realpath("/proc/self/exe", self))
		return 1;
	bench_cfg.self = self;
	bench_cfg.out = out;
	if (bench_output_open(out, append) < 0) {
		fprintf(stderr, "pw-bench: cannot write to %s: %s\n", out, strerror(errno));
		return 1;
	}
	if (tier) {
		/* Inherits the parent's pinning. */
		bench_procfs_tier(tier);
		return 0;
	}
	int cpu = pin_cpu();
	if (cpu >= 0)
		printf("# pinned to CPU %d (PATHWARD_BENCH_CPU to choose, -1 for none)\n", cpu);
	else
		printf("# not pinned to a CPU\n");
	for (int i = optind; i < argc; i++)
		run_group(argv[i]);
	return 0;
}
