/* SPDX-License-Identifier: Apache-2.0 */
/*
 * st-emfile - descriptor exhaustion under a low RLIMIT_NOFILE: opening
 * /proc/self/stat, a root-prefix file and fopen() until the table is full
 * must fail with EMFILE (not EACCES or anything else), fill exactly the
 * free slots a program without the shim gets (the shim may not need a
 * spare descriptor of its own), hand out the lowest free number, and leave
 * nothing behind.
 *
 *   st-emfile [-s SLACK] ROOT [ROUNDS]     (ROOT holds t0 with "t0\n")
 * SLACK: how many fewer slots than a plain program are tolerated (0 is
 * full transparency, what the shim gives with openat2; without it the
 * routes' walks hold up to four temporaries: README "Limits").
 * st-lastslot.c looks at the last slot call by call.
 */
#include <limits.h>
#include <sys/resource.h>

#include "stress.h"

#define LIMIT 48

static int fds[LIMIT + 8];

/* Open with fn until it fails; check the errno; return how many opened. */
static int fill(const char *what, int (*fn)(const char *), const char *path)
{
	int n = 0;
	for (;;) {
		errno = 0;
		int fd = fn(path);
		if (fd < 0) {
			if (errno != EMFILE)
				stress_fail("%s %s: failed with %s, want EMFILE", what, path, strerror(errno));
			break;
		}
		if (n == LIMIT + 8) {
			stress_fail("%s: more descriptors than RLIMIT_NOFILE allows", what);
			close(fd);
			break;
		}
		fds[n++] = fd;
	}
	return n;
}

static void drain(int n)
{
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

static int by_open(const char *p)
{
	return open(p, O_RDONLY | O_CLOEXEC);
}

static int by_fopen(const char *p)
{
	FILE *f = fopen(p, "re");
	/* The FILE is leaked on purpose: its fd is closed by drain(). */
	return f ? fileno(f) : -1;
}

static int by_opendir(const char *p)
{
	int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd;
}

int main(int argc, char **argv)
{
	int slack = 0;
	if (argc > 2 && !strcmp(argv[1], "-s")) {
		slack = atoi(argv[2]);
		argc -= 2;
		argv += 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: st-emfile ROOT [ROUNDS]\n");
		return 2;
	}
	char rootfile[PATH_MAX];
	snprintf(rootfile, sizeof(rootfile), "%s/t0", argv[1]);
	long rounds = stress_iters(argc > 2 ? atol(argv[2]) : 50);
	struct rlimit rl = { LIMIT, LIMIT };
	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		perror("setrlimit");
		return 2;
	}
	int fds0 = stress_count_fds();
	int free_slots = LIMIT - stress_count_fds_below(LIMIT);

	for (long r = 0; r < rounds; r++) {
		static const struct {
			const char *what;
			int (*fn)(const char *);
			const char *path;
		} cases[] = {
			{ "open", by_open, "/proc/self/stat" },
			{ "open", by_open, "/proc/thread-self/comm" },
			{ "open", by_open, NULL },
			{ "opendir", by_opendir, "/proc/self/fd" },
			{ "fopen", by_fopen, "/proc/self/status" },
			{ "fopen", by_fopen, NULL },
		};
		for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			const char *p = cases[c].path ? cases[c].path : rootfile;
			int n = fill(cases[c].what, cases[c].fn, p);
			/* fopen needs no extra descriptor either. */
			if (n > free_slots || n < free_slots - slack)
				stress_fail("%s %s: %d descriptors before EMFILE, a plain program gets %d", cases[c].what,
				            p, n, free_slots);
			/* The lowest free number comes back. */
			if (n > 4) {
				int hole = fds[n / 2];
				close(hole);
				int again = cases[c].fn(p);
				if (again != hole)
					stress_fail("%s %s: got fd %d, lowest free is %d (%s)", cases[c].what, p, again,
					            hole, strerror(errno));
				fds[n / 2] = again;
			}
			drain(n);
			if (stress_count_fds() != fds0)
				stress_fail("%s %s: %d descriptors open after closing all, %d before", cases[c].what, p,
				            stress_count_fds(), fds0);
		}
	}
	char what[96];
	snprintf(what, sizeof(what), "st-emfile: %ld rounds, %d free slots each (slack %d)", rounds, free_slots,
	         slack);
	return stress_done(what);
}
