/* SPDX-License-Identifier: Apache-2.0 */
/*
 * h-signal - open(PATH) from a signal handler.
 *
 *   h-signal [-r] PATH            one call from a SIGUSR1 handler running on
 *                                 a 32 KiB alternate stack
 *   h-signal stress PATH ROUNDS   two threads open+close PATH in a loop
 *                                 while SIGALRM (every 200 us) does the same
 *                                 in its handler; prints "stress ok errs=0"
 *                                 (counts of errors, not of calls, so the
 *                                 line never depends on timing)
 */
#include "helper.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/time.h>

static const char *g_path;
static int g_read;
static char g_line[PATH_MAX + 256];
static atomic_int g_errs, g_handled;

static void on_usr1(int sig)
{
	int e = errno, fd = open(g_path, O_RDONLY);
	(void)sig;
	if (fd < 0)
		snprintf(g_line, sizeof(g_line), "err=%s\n", h_errname(errno));
	else
		h_fmt_fd(g_line, sizeof(g_line), fd, g_read);
	errno = e;
}

static atomic_bool g_stop;

/* One-shot timer re-armed at the end of each handler: the next signal comes
 * 200 us after this handler finished.  A periodic timer livelocks the
 * process whenever one handler call outlasts the period (the slow /proc
 * fallback route under seccomp on a loaded machine did, for minutes). */
static void arm(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 200 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

static void on_alrm(int sig)
{
	int e = errno, fd = open(g_path, O_RDONLY | O_CLOEXEC);
	(void)sig;
	if (fd < 0)
		atomic_fetch_add(&g_errs, 1);
	else
		close(fd);
	atomic_store(&g_handled, 1);
	if (!atomic_load(&g_stop))
		arm();
	errno = e;
}

static void *loop(void *arg)
{
	long n = (long)arg;
	for (long k = 0; k < n; k++) {
		int fd = open(g_path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && errno != EINTR)
			atomic_fetch_add(&g_errs, 1);
		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

static int stress(long rounds)
{
	struct sigaction sa = { .sa_handler = on_alrm, .sa_flags = SA_RESTART };
	struct itimerval it;
	pthread_t t[2];

	sigaction(SIGALRM, &sa, NULL);
	arm();
	for (int k = 0; k < 2; k++)
		pthread_create(&t[k], NULL, loop, (void *)rounds);
	for (int k = 0; k < 2; k++)
		pthread_join(t[k], NULL);
	/* Keep the timer going until the handler has run at least once. */
	while (!atomic_load(&g_handled))
		loop((void *)1L);
	atomic_store(&g_stop, true);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	printf("stress ok errs=%d\n", atomic_load(&g_errs));
	return atomic_load(&g_errs) != 0;
}

int main(int argc, char **argv)
{
	static char altstack[32768];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_ONSTACK };
	struct hopts o;
	int i = h_opts(argc, argv, &o);

	if (argc - i >= 3 && strcmp(argv[i], "stress") == 0) {
		g_path = argv[i + 1];
		return stress(atol(argv[i + 2]));
	}
	if (argc - i < 1) {
		fprintf(stderr, "usage: h-signal [-r] PATH | h-signal stress PATH ROUNDS\n");
		return 2;
	}
	g_path = argv[i];
	g_read = o.read;
	sigaltstack(&ss, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	snprintf(g_line, sizeof(g_line), "handler-did-not-run\n");
	raise(SIGUSR1);
	fputs(g_line, stdout);
	return 0;
}
