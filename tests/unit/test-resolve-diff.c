/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-resolve-diff.c - differential check of the fd walker against the
 * kernel: random trees (directories, files, absolute / relative / dangling /
 * looping symlinks, trailing slashes in bodies) and random paths ("..", ".",
 * "//", leading and trailing slashes), each opened by
 * pathward_root_open(PATHWARD_RESOLVE_USERSPACE) and by
 * openat2(RESOLVE_IN_ROOT) with the same flags.  Same errno, or the same
 * (st_dev, st_ino).  A sample is also compared in the string form (walker
 * names vs the kernel route's /proc names).
 *
 * 100000 pairs (quick mode 5000), zero divergences.  Seed: PATHWARD_TEST_SEED
 * or the clock; it is printed with every divergence so a run can be replayed.
 */
#include <time.h>

#include "test-resolve.h"

static const char *names[] = { "a", "b", "c", "d" };
#define NNAMES 4
#define TREE_ENTRIES 16
#define PATHS_PER_TREE 500

static uint64_t rng_state;
static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* A random relative path of 1..max components; may be ".." and "." heavy. */
static void random_rel(char *out, size_t size, unsigned max)
{
	unsigned n = 1 + rnd(max);
	out[0] = '\0';
	for (unsigned i = 0; i < n; i++) {
		unsigned k = rnd(10);
		const char *c = k < 6 ? names[rnd(NNAMES)] : k < 8 ? ".." : k < 9 ? "." : "";
		if (i)
			strncat(out, rnd(8) ? "/" : "//", size - strlen(out) - 1);
		strncat(out, c, size - strlen(out) - 1);
	}
	if (!*out)
		snprintf(out, size, "%s", names[rnd(NNAMES)]);
}

static void random_path(char *out, size_t size)
{
	char rel[128];
	random_rel(rel, sizeof(rel), 6);
	snprintf(out, size, "%s%s%s", rnd(5) == 0 ? "/" : "", rel, rnd(7) == 0 ? "/" : "");
}

static void random_body(char *out, size_t size)
{
	char rel[96];
	switch (rnd(12)) {
	case 0:
		snprintf(out, size, "/");
		return;
	case 1:
		snprintf(out, size, ".");
		return;
	case 2:
		snprintf(out, size, "..");
		return;
	default:
		break;
	}
	random_rel(rel, sizeof(rel), 3);
	snprintf(out, size, "%s%s%s", rnd(2) ? "/" : "", rel, rnd(8) == 0 ? "/" : "");
}

/* Up to TREE_ENTRIES entries under dirs already made; returns nothing, a
 * failed create (name taken, parent a file) is simply skipped. */
static void random_tree(const char *root)
{
	char dirs[TREE_ENTRIES + 1][64], p[256], body[128];
	unsigned ndirs = 1;
	snprintf(dirs[0], sizeof(dirs[0]), ".");
	for (unsigned i = 0; i < TREE_ENTRIES; i++) {
		const char *parent = dirs[rnd(ndirs)];
		char rel[64];
		snprintf(rel, sizeof(rel), "%s/%s", parent, names[rnd(NNAMES)]);
		snprintf(p, sizeof(p), "%s/%s", root, rel);
		unsigned kind = rnd(20);
		if (kind < 7) {
			if (mkdir(p, 0755) == 0 && strlen(rel) < sizeof(dirs[0]))
				snprintf(dirs[ndirs++], sizeof(dirs[0]), "%s", rel);
		} else if (kind < 10) {
			int fd = open(p, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
			if (fd >= 0)
				close(fd);
		} else {
			random_body(body, sizeof(body));
			(void)!symlink(body, p);
		}
	}
}

static const int flag_set[] = {
	O_PATH, O_PATH | O_NOFOLLOW, O_RDONLY, O_RDONLY | O_DIRECTORY, O_RDONLY | O_NOFOLLOW,
	O_PATH | O_DIRECTORY,
};

static bool same_answer(int a, int b)
{
	if (a < 0 || b < 0)
		return a == b;
	return test_same_file(a, b);
}

static const char *show(int r)
{
	return r < 0 ? strerror(-r) : "fd";
}

Test(resolve_diff, walker_matches_openat2, .timeout = 120)
{
	long pairs = test_quick() ? 5000 : 100000, done = 0, diverged = 0, strings = 0;
	const char *env = getenv("PATHWARD_TEST_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid();
	int refusal = openat2_refusal();
	const char *top;
	char root[128], path[160];

	if (refusal)
		cr_skip_test("openat2 refused (%s): no kernel to compare the walker with", strerror(refusal));
	rng_state = seed ? seed : 1;
	top = scratch_dir();
	for (int tree = 0; done < pairs; tree++) {
		snprintf(root, sizeof(root), "%s/t%d", top, tree);
		cr_assert(mkdir(root, 0755) == 0);
		random_tree(root);
		int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		cr_assert(rootfd >= 0);
		for (int i = 0; i < PATHS_PER_TREE && done < pairs; i++, done++) {
			int flags = flag_set[rnd(sizeof(flag_set) / sizeof(flag_set[0]))];
			random_path(path, sizeof(path));
			int w = pathward_root_open(rootfd, path, flags, 0, PATHWARD_RESOLVE_USERSPACE);
			int k = oracle_open(rootfd, path, flags, 0);
			if (!same_answer(w, k)) {
				diverged++;
				cr_log_error("seed %#llx tree %d: \"%s\" flags %#x: walker %s, openat2 %s",
				             (unsigned long long)seed, tree, path, flags, show(w), show(k));
			}
			if (w >= 0)
				close(w);
			if (k >= 0)
				close(k);
			if ((done & 7) == 0) {
				char ws[PATH_MAX], ks[PATH_MAX];
				uint64_t m = rnd(2) ? PATHWARD_RESOLVE_EXCEPT_LAST : 0;
				int a = pathward_resolve(rootfd, path, m | PATHWARD_RESOLVE_USERSPACE, ws, sizeof(ws));
				int b;
				KERNEL_SETTLE(b, pathward_resolve(rootfd, path, m | PATHWARD_RESOLVE_KERNEL, ks, sizeof(ks)));
				strings++;
				if (a != b || (a >= 0 && strcmp(ws, ks) != 0)) {
					diverged++;
					cr_log_error("seed %#llx tree %d: \"%s\" mode %s: walker \"%s\", kernel \"%s\"",
					             (unsigned long long)seed, tree, path, m ? "except-last" : "full",
					             a < 0 ? strerror(-a) : ws, b < 0 ? strerror(-b) : ks);
				}
			}
		}
		close(rootfd);
	}
	scratch_remove(top);
	cr_log_info("seed %#llx: %ld fd pairs, %ld string pairs, %ld divergences", (unsigned long long)seed, done,
	            strings, diverged);
	cr_assert_eq(diverged, 0, "%ld divergences (seed %#llx; replay with PATHWARD_TEST_SEED)", diverged,
	             (unsigned long long)seed);
}
