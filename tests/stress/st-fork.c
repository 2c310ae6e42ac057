/* SPDX-License-Identifier: Apache-2.0 */
/*
 * st-fork - fork, vfork and exec storms while other threads keep calling
 * the wrappers.  Every child checks that /proc/self is itself (no pid
 * cached across fork), that a root-prefix file reads right, and, after
 * exec, that the shim is still mapped when STRESS_EXPECT_SHIM=1 (the
 * preload is inherited).  A child that hangs (a lock held across fork)
 * is killed by its own alarm and counted as a failure.
 *
 *   st-fork ROOT [ITERATIONS]      (ROOT holds t0 with "t0\n")
 */
#include <limits.h>
#include <pthread.h>
#include <spawn.h>
#include <stdbool.h>
#include <sys/wait.h>

#include "stress.h"

extern char **environ;
static const char *root;
static volatile int stop;

/* 0 when /proc/self/stat and ROOT/t0 read right, else a small code. */
static int child_checks(void)
{
	char buf[4096], path[PATH_MAX];
	if (stress_read("/proc/self/stat", buf, sizeof(buf)) < 0)
		return 10;
	if (strtol(buf, NULL, 10) != (long)syscall(SYS_getpid))
		return 11;
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);
	if (n < 0 || (buf[n] = '\0', strtol(buf, NULL, 10) != (long)syscall(SYS_getpid)))
		return 12;
	snprintf(path, sizeof(path), "%s/t0", root);
	if (stress_read(path, buf, sizeof(buf)) < 0 || strcmp(buf, "t0\n"))
		return 13;
	return 0;
}

static int exec_child(void)
{
	int r = child_checks();
	if (r)
		return r;
	const char *want = getenv("STRESS_EXPECT_SHIM");
	if (want && !strcmp(want, "1")) {
		/* Line by line: an ASan process has far more than a buffer's
		 * worth of mappings. */
		char line[4096];
		bool found = false;
		FILE *f = fopen("/proc/self/maps", "re");
		while (f && !found && fgets(line, sizeof(line), f))
			found = strstr(line, "pathward-preload") != NULL;
		if (f)
			fclose(f);
		if (!found)
			return 14;
	}
	return 0;
}

static void *busy(void *arg)
{
	char buf[4096], path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/t0", root);
	while (!stop) {
		if (stress_read("/proc/thread-self/stat", buf, sizeof(buf)) < 0 ||
		    stress_read(path, buf, sizeof(buf)) < 0)
			stress_fail("busy thread: %s", strerror(errno));
	}
	return arg;
}

static void reap(pid_t p, const char *kind, long i)
{
	int st;
	if (p < 0) {
		stress_fail("%s %ld: %s", kind, i, strerror(errno));
		return;
	}
	if (waitpid(p, &st, 0) != p)
		stress_fail("%s %ld: waitpid: %s", kind, i, strerror(errno));
	else if (!WIFEXITED(st) || WEXITSTATUS(st))
		stress_fail("%s %ld: child status %#x (exit code %d, signal %d)", kind, i, st,
		            WIFEXITED(st) ? WEXITSTATUS(st) : -1, WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--child")) {
		root = argv[2];
		return exec_child();
	}
	if (argc < 2) {
		fprintf(stderr, "usage: st-fork ROOT [ITERATIONS]\n");
		return 2;
	}
	root = argv[1];
	long n = stress_iters(argc > 2 ? atol(argv[2]) : 300);
	int fds0 = stress_count_fds();
	if (child_checks())
		stress_fail("parent checks failed before the storm");

	pthread_t th[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, busy, NULL);
	for (long i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0) {
			alarm(30);
			_exit(child_checks());
		}
		reap(p, "fork", i);

		p = vfork();
		if (p == 0)
			_exit(child_checks());
		reap(p, "vfork", i);

		if (i % 4 == 0) {
			char *args[] = { "/proc/self/exe", "--child", (char *)root, NULL };
			p = fork();
			if (p == 0) {
				alarm(30);
				execve("/proc/self/exe", args, environ);
				_exit(20);
			}
			reap(p, "fork+exec", i);
			if (posix_spawn(&p, "/proc/self/exe", NULL, NULL, args, environ))
				p = -1;
			reap(p, "posix_spawn", i);
		}
	}
	stop = 1;
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	if (stress_count_fds() != fds0)
		stress_fail("descriptors: %d before, %d after", fds0, stress_count_fds());
	char what[80];
	snprintf(what, sizeof(what), "st-fork: %ld x (fork, vfork), %ld x (exec, posix_spawn)", n, (n + 3) / 4);
	return stress_done(what);
}
