/* SPDX-License-Identifier: Apache-2.0 */
/*
 * st-threads - many threads opening /proc/thread-self/..., /proc/self/...
 * and root-prefix paths at the same time; every thread checks it got its
 * own thread's file (comm set to a per-thread name, stat's tid, the
 * thread-self link), the process's own /proc/self, and the right file
 * under the root (content, stat size, realpath through a relative link).
 *
 *   st-threads ROOT [THREADS] [ITERATIONS]
 * ROOT must hold files tK with content "tK\n" and symlinks lK -> tK
 * (K = 0..7); tests/shim/stress.bats makes them.
 */
#include <limits.h>
#include <pthread.h>
#include <sys/stat.h>

#include "stress.h"

static const char *root;
static long iters;
static pid_t pid;

static long first_field(const char *s)
{
	return strtol(s, NULL, 10);
}

static void one(int k, pid_t tid, const char *comm)
{
	char buf[4096], path[PATH_MAX], want[PATH_MAX];
	ssize_t n;

	if ((n = stress_read("/proc/thread-self/comm", buf, sizeof(buf))) < 0 || strcmp(buf, comm))
		stress_fail("thread %d: /proc/thread-self/comm = \"%s\" (%zd), want \"%s\"", tid, n < 0 ? "" : buf, n,
		            comm);
	if ((n = stress_read("/proc/thread-self/stat", buf, sizeof(buf))) < 0 || first_field(buf) != tid)
		stress_fail("thread %d: /proc/thread-self/stat names %ld (%zd)", tid, n < 0 ? 0 : first_field(buf), n);
	if ((n = stress_read("/proc/self/stat", buf, sizeof(buf))) < 0 || first_field(buf) != pid)
		stress_fail("thread %d: /proc/self/stat names %ld, pid %d", tid, n < 0 ? 0 : first_field(buf), pid);
	snprintf(want, sizeof(want), "%d/task/%d", pid, tid);
	if ((n = readlink("/proc/thread-self", buf, sizeof(buf) - 1)) < 0 || (buf[n] = '\0', strcmp(buf, want)))
		stress_fail("thread %d: readlink /proc/thread-self = \"%s\", want \"%s\"", tid, n < 0 ? "" : buf, want);

	int f = k % 8;
	snprintf(path, sizeof(path), "%s/t%d", root, f);
	snprintf(want, sizeof(want), "t%d\n", f);
	if ((n = stress_read(path, buf, sizeof(buf))) < 0 || strcmp(buf, want))
		stress_fail("thread %d: %s read \"%s\" (%zd)", tid, path, n < 0 ? "" : buf, n);
	struct stat st;
	if (stat(path, &st) || st.st_size != (off_t)strlen(want))
		stress_fail("thread %d: stat %s: %s, size %lld", tid, path, strerror(errno), (long long)st.st_size);
	snprintf(path, sizeof(path), "%s/l%d", root, f);
	snprintf(want, sizeof(want), "%s/t%d", root, f);
	if (!realpath(path, buf) || strcmp(buf, want))
		stress_fail("thread %d: realpath %s = \"%s\" (%s)", tid, path, buf, strerror(errno));
}

static void *run(void *arg)
{
	int k = (int)(long)arg;
	pid_t tid = (pid_t)syscall(SYS_gettid);
	char comm[16];
	snprintf(comm, sizeof(comm), "st-%d", tid % 100000);
	pthread_setname_np(pthread_self(), comm);
	strcat(comm, "\n");
	for (long i = 0; i < iters; i++)
		one(k + (int)i, tid, comm);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: st-threads ROOT [THREADS] [ITERATIONS]\n");
		return 2;
	}
	root = argv[1];
	int nthreads = argc > 2 ? atoi(argv[2]) : 8;
	iters = stress_iters(argc > 3 ? atol(argv[3]) : 2000);
	pid = getpid();
	int fds0 = stress_count_fds();
	pthread_t th[64];
	if (nthreads > 64)
		nthreads = 64;
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&th[i], NULL, run, (void *)(long)i)) {
			perror("pthread_create");
			return 2;
		}
	for (int i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	if (stress_count_fds() != fds0)
		stress_fail("descriptors: %d before, %d after", fds0, stress_count_fds());
	char what[64];
	snprintf(what, sizeof(what), "st-threads: %d threads x %ld iterations", nthreads, iters);
	return stress_done(what);
}
