/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-resolve-race.c - the rename race (kernel selftest rename_attack_test,
 * CVE-2019-19921's class): one thread swaps a directory inside the root with
 * one outside it, renameat2(RENAME_EXCHANGE) in a loop, while the resolver
 * walks a ".."-heavy path through it.  A resolver that follows ".." by name
 * lands next to the outside directory and opens a canary there.  Escapes are
 * counted by (st_dev, st_ino) against the canaries outside; zero allowed.
 *
 *   tmp/canary, tmp/o1/canary, tmp/o1/o2/canary   outside (the targets)
 *   tmp/o1/o2/o3/x/                               swapped with root/a/b
 *   tmp/root/canary                               inside (the right answer)
 *   tmp/root/a/b/x/
 *
 * Bounded by iterations (100000, quick mode 5000) and a wall-clock safety
 * stop that is never a pass/fail criterion.  The control (a walker that
 * takes ".." by name and checks only "am I at the root") must escape, or the
 * race is not being exercised and the test fails.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "test-resolve.h"

#define PATHS_N 3
static const char *paths[PATHS_N] = {
	"a/b/../../canary",          /* escaped: o1/canary  */
	"a/b/../../../canary",       /* escaped: tmp/canary */
	"/a/b/x/../x/../../../canary", /* escaped: o1/canary  */
};

static char top[64], root[96], inside[128], swap_out[128];
static struct stat outside_canary[3];
static atomic_bool stop;

static void mk(const char *sub, bool dir)
{
	char p[160];
	snprintf(p, sizeof(p), "%s/%s", top, sub);
	if (dir)
		cr_assert(mkdir(p, 0755) == 0, "mkdir %s: %s", p, strerror(errno));
	else
		cr_assert(close(open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644)) == 0, "create %s", p);
}

static void setup(void)
{
	snprintf(top, sizeof(top), "%s", scratch_dir());
	mk("root", true);
	mk("root/a", true);
	mk("root/a/b", true);
	mk("root/a/b/x", true);
	mk("root/canary", false);
	mk("canary", false);
	mk("o1", true);
	mk("o1/canary", false);
	mk("o1/o2", true);
	mk("o1/o2/canary", false);
	mk("o1/o2/o3", true);
	mk("o1/o2/o3/x", true);
	snprintf(root, sizeof(root), "%s/root", top);
	snprintf(inside, sizeof(inside), "%s/root/a/b", top);
	snprintf(swap_out, sizeof(swap_out), "%s/o1/o2/o3", top);
	const char *c[3] = { "canary", "o1/canary", "o1/o2/canary" };
	for (int i = 0; i < 3; i++) {
		char p[160];
		snprintf(p, sizeof(p), "%s/%s", top, c[i]);
		cr_assert(stat(p, &outside_canary[i]) == 0);
	}
}

static void teardown(void)
{
	scratch_remove(top);
}

TestSuite(resolve_race, .init = setup, .fini = teardown, .timeout = 120);

static void *swapper(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed))
		if (syscall(SYS_renameat2, AT_FDCWD, inside, AT_FDCWD, swap_out, RENAME_EXCHANGE) < 0)
			break;
	return NULL;
}

static bool is_outside(int fd)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return false;
	for (int i = 0; i < 3; i++)
		if (st.st_dev == outside_canary[i].st_dev && st.st_ino == outside_canary[i].st_ino)
			return true;
	return false;
}

/* The bug class under test: ".." taken by name, the root recognised by inode. */
static int naive_open(int rootfd, const char *path)
{
	struct stat rs, cs;
	char buf[256], *save = NULL;
	int cur = dup(rootfd);

	fstat(rootfd, &rs);
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *c = strtok_r(buf, "/", &save); c && cur >= 0; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, "..") == 0 && fstat(cur, &cs) == 0 && cs.st_ino == rs.st_ino && cs.st_dev == rs.st_dev)
			continue;
		int next = openat(cur, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		close(cur);
		cur = next < 0 ? -errno : next;
	}
	return cur;
}

typedef int (*open_fn)(int rootfd, const char *path);

static int walker_open(int rootfd, const char *path)
{
	return pathward_root_open(rootfd, path, O_PATH, 0, PATHWARD_RESOLVE_USERSPACE);
}

static int kernel_open(int rootfd, const char *path)
{
	return pathward_root_open(rootfd, path, O_PATH, 0, PATHWARD_RESOLVE_KERNEL);
}

struct tally {
	long iterations, escapes, inside, errors;
};

/* Run n walks; until = stop after that many escapes (the control), 0 = run them all */
static struct tally race(open_fn fn, long n, long until)
{
	struct tally t = { 0 };
	struct timespec t0, now;
	pthread_t th;
	int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);

	cr_assert(rootfd >= 0);
	atomic_store(&stop, false);
	cr_assert(pthread_create(&th, NULL, swapper, NULL) == 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (t.iterations = 0; t.iterations < n; t.iterations++) {
		int fd = fn(rootfd, paths[t.iterations % PATHS_N]);
		if (fd < 0) {
			t.errors++;
		} else {
			bool out = is_outside(fd);
			close(fd);
			if (!out)
				t.inside++;
			else if (++t.escapes == until)
				break;
		}
		if ((t.iterations & 1023) == 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - t0.tv_sec > 60) { /* safety stop, not a verdict */
				cr_log_warn("wall-clock safety stop after %ld iterations", t.iterations);
				break;
			}
		}
	}
	atomic_store(&stop, true);
	pthread_join(th, NULL);
	close(rootfd);
	return t;
}

static void report(const char *label, struct tally t)
{
	cr_log_info("%s: %ld iterations, %ld inside, %ld errors, %ld escapes", label, t.iterations, t.inside,
	            t.errors, t.escapes);
}

Test(resolve_race, control_naive_walker_escapes)
{
	/* The control runs until the attack shows (not a fixed small count, which
	 * made it flaky in quick mode under load); it stops at 20 escapes. */
	struct tally t = race(naive_open, 1000000, 20);
	report("naive control", t);
	cr_assert(t.escapes > 0, "the control never escaped in %ld iterations: the race is not exercised",
	          t.iterations);
}

Test(resolve_race, walker_never_escapes)
{
	struct tally t = race(walker_open, test_quick() ? 5000 : 100000, 0);
	report("walker", t);
	cr_assert(t.iterations >= (test_quick() ? 5000 : 100000) || t.escapes == 0);
	cr_assert_eq(t.escapes, 0, "walker escaped %ld times in %ld", t.escapes, t.iterations);
	cr_assert(t.inside > 0, "the walker never reached the inside canary");
}

Test(resolve_race, kernel_never_escapes)
{
	int refusal = openat2_refusal();
	if (refusal) {
		teardown(); /* Criterion skips .fini with the test */
		cr_skip_test("openat2 refused (%s): the kernel route has nothing to race", strerror(refusal));
	}
	struct tally t = race(kernel_open, test_quick() ? 5000 : 100000, 0);
	report("kernel", t);
	cr_assert_eq(t.escapes, 0, "kernel route escaped %ld times in %ld", t.escapes, t.iterations);
	cr_assert(t.inside > 0);
}

Test(resolve_race, string_form_stays_inside)
{
	char buf[PATH_MAX];
	long n = test_quick() ? 1000 : 10000, bad = 0, ok = 0;
	pthread_t th;
	int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);

	atomic_store(&stop, false);
	cr_assert(pthread_create(&th, NULL, swapper, NULL) == 0);
	for (long i = 0; i < n; i++) {
		uint64_t route = (i & 1) ? PATHWARD_RESOLVE_USERSPACE : 0;
		int r = pathward_resolve(rootfd, paths[i % PATHS_N], route, buf, sizeof(buf));
		if (r >= 0 && strcmp(buf, "/canary") != 0)
			bad++;
		else if (r >= 0)
			ok++;
	}
	atomic_store(&stop, true);
	pthread_join(th, NULL);
	close(rootfd);
	cr_log_info("string form: %ld calls, %ld \"/canary\", %ld other answers", n, ok, bad);
	cr_assert_eq(bad, 0);
}
