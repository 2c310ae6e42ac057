/* SPDX-License-Identifier: Apache-2.0 */
/*
 * standalone.c - a plain driver for the fuzz targets: feeds N inputs of
 * pseudo-random bytes (xorshift64*, from a seed) to LLVMFuzzerTestOneInput,
 * or replays the files named on the command line.  No coverage feedback,
 * no sanitizers: it exists for raw throughput in long differential runs,
 * where the target's structure-aware decoder makes every byte meaningful.
 *
 *   fast-NAME [-n INPUTS] [-s SEED] [-l MAXLEN] [FILE...]
 *
 * Prints inputs, compared cases (fz_cases) and rates at the end and every
 * 2^20 inputs.  A target reports a divergence by aborting; the input is then
 * written to fast-crash-SEED-INDEX before the abort completes.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fuzzlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static uint8_t cur[4096];
static size_t cur_len;
static unsigned long long cur_seed, cur_index;

static void on_abort(int sig)
{
	char name[96];
	snprintf(name, sizeof(name), "fast-crash-%llu-%llu", cur_seed, cur_index);
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (write(fd, cur, cur_len) < 0) {
		}
		close(fd);
	}
	static const char msg[] = "standalone: divergence, input saved as fast-crash-*\n";
	if (write(2, msg, sizeof(msg) - 1) < 0) {
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static uint64_t rng;
static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int replay(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 2;
		}
		cur_len = fread(cur, 1, sizeof(cur), f);
		fclose(f);
		LLVMFuzzerTestOneInput(cur, cur_len);
		printf("replayed %s (%zu bytes)\n", argv[i], cur_len);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long n = 100000, maxlen = 256;
	int opt;
	cur_seed = 1;
	while ((opt = getopt(argc, argv, "n:s:l:")) != -1) {
		switch (opt) {
		case 'n': n = strtoull(optarg, NULL, 0); break;
		case 's': cur_seed = strtoull(optarg, NULL, 0); break;
		case 'l': maxlen = strtoull(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: %s [-n INPUTS] [-s SEED] [-l MAXLEN] [FILE...]\n", argv[0]);
			return 2;
		}
	}
	if (maxlen == 0 || maxlen > sizeof(cur))
		maxlen = sizeof(cur);
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	signal(SIGABRT, on_abort);
	if (optind < argc)
		return replay(argc - optind, argv + optind);

	rng = cur_seed * 0x9E3779B97F4A7C15ULL + 1;
	double t0 = now();
	for (cur_index = 0; cur_index < n; cur_index++) {
		cur_len = next() % (maxlen + 1);
		for (size_t i = 0; i < cur_len; i += 8) {
			uint64_t r = next();
			memcpy(cur + i, &r, cur_len - i < 8 ? cur_len - i : 8);
		}
		LLVMFuzzerTestOneInput(cur, cur_len);
		if ((cur_index & ((1u << 20) - 1)) == (1u << 20) - 1) {
			double t = now() - t0;
			printf("progress: %llu inputs, %llu cases, %.0f s, %.0f cases/s\n", cur_index + 1,
			       (unsigned long long)fz_cases, t, fz_cases / t);
			fflush(stdout);
		}
	}
	double t = now() - t0;
	printf("done: seed %llu, %llu inputs, %llu cases, 0 divergences, %llu oracle-busy, "
	       "%.1f s, %.0f inputs/s, %.0f cases/s\n",
	       cur_seed, n, (unsigned long long)fz_cases,
	       (unsigned long long)fz_oracle_busy, t, n / t, fz_cases / t);
	return 0;
}
