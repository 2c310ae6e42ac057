/* SPDX-License-Identifier: Apache-2.0 */
/*
 * st-signal - wrappers called from signal handlers while the interrupted
 * thread is itself inside wrappers (POSIX makes open, stat, readlink,
 * access, ... async-signal-safe, so the shim's versions must be: no lock,
 * no malloc, no lazy init on that path).  A second thread sends SIGUSR1
 * to the main thread SIGNALS times; the handler opens /proc/self/stat and
 * a root-prefix file, stats and readlinks, checks every answer and keeps
 * errno.  The main thread keeps calling open/stat/readlink/fopen/realpath
 * on the same kinds of paths until the sender is done, checking every
 * answer too.
 *
 *   st-signal ROOT [SIGNALS]       (ROOT holds t0 with "t0\n", l0 -> t0)
 */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include "stress.h"

static const char *root;
static char rootfile[PATH_MAX], rootlink[PATH_MAX];
static pid_t pid;
static volatile sig_atomic_t handled, bad_in_handler, sender_done;

static int check_all(char *buf, size_t size)
{
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return 2;
	buf[n] = '\0';
	long v = 0;
	for (char *p = buf; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	if (v != pid)
		return 3;
	fd = open(rootfile, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 4;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n != 3 || memcmp(buf, "t0\n", 3))
		return 5;
	struct stat st;
	if (stat(rootlink, &st) || st.st_size != 3)
		return 6;
	n = readlink(rootlink, buf, size);
	if (n != 2 || memcmp(buf, "t0", 2))
		return 7;
	if (access("/proc/self/status", R_OK))
		return 8;
	return 0;
}

static void on_usr1(int sig)
{
	char buf[512];
	int saved = errno;
	errno = 12345;
	int r = check_all(buf, sizeof(buf));
	if (r)
		bad_in_handler = r;
	errno = saved;
	handled++;
	(void)sig;
}

static void *sender(void *arg)
{
	pthread_t main_thread = *(pthread_t *)arg;
	long n = stress_iters(20000);
	for (long i = 0; i < n; i++) {
		pthread_kill(main_thread, SIGUSR1);
		if (i % 64 == 0)
			sched_yield();
	}
	sender_done = 1;
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: st-signal ROOT\n");
		return 2;
	}
	root = argv[1];
	pid = getpid();
	snprintf(rootfile, sizeof(rootfile), "%s/t0", root);
	snprintf(rootlink, sizeof(rootlink), "%s/l0", root);
	int fds0 = stress_count_fds();

	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	pthread_t self = pthread_self(), th;
	pthread_create(&th, NULL, sender, &self);

	long loops = 0;
	char buf[4096], want[PATH_MAX];
	snprintf(want, sizeof(want), "%s/t0", root);
	/* Until the sender has sent everything (each pass checks everything). */
	while (!sender_done) {
		int r = check_all(buf, sizeof(buf));
		if (r)
			stress_fail("main thread check %d failed: %s", r, strerror(errno));
		FILE *f = fopen(rootfile, "re");
		if (!f || !fgets(buf, sizeof(buf), f) || strcmp(buf, "t0\n"))
			stress_fail("fopen %s: %s", rootfile, strerror(errno));
		if (f)
			fclose(f);
		char *rp = realpath(rootlink, NULL);
		if (!rp || strcmp(rp, want))
			stress_fail("realpath %s = %s", rootlink, rp ? rp : strerror(errno));
		free(rp);
		loops++;
	}
	pthread_join(th, NULL);
	if (bad_in_handler)
		stress_fail("a wrapper called in the handler failed (check %d)", (int)bad_in_handler);
	if (handled == 0)
		stress_fail("no signal was handled");
	if (stress_count_fds() != fds0)
		stress_fail("descriptors: %d before, %d after", fds0, stress_count_fds());
	snprintf(buf, sizeof(buf), "st-signal: %ld main-thread passes, %d handler runs", loops, (int)handled);
	return stress_done(buf);
}
