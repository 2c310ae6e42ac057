/* SPDX-License-Identifier: Apache-2.0 */
/*
 * st-lastslot - the last free descriptor slot, entry point by entry point.
 * RLIMIT_NOFILE is set with soft == hard (so nothing can be gained by
 * raising the soft limit), the table is filled but for one slot in its
 * middle, and each routed call must behave as a plain program's:
 *   - one slot free: success on exactly that number, the right object
 *     (a /proc/thread-self file names the calling thread, also from a
 *     second thread), FD_CLOEXEC as asked, no O_NOFOLLOW in F_GETFL;
 *   - no slot free: EMFILE (an O_CREAT creates nothing);
 *   - afterwards: as many descriptors as before, the same cwd;
 *   - two threads racing for the one slot: exactly one wins it.
 * Cases cover both route families (/proc, a PATHWARD_ROOTS root reached
 * through a symlink so that the full route runs) through open, openat,
 * fopen, opendir and a contained dirfd.
 *
 * The "limit" cases are the shapes the shim cannot finish with one slot
 * (see shim/lastslot.c): with the shim they must give EMFILE and leak
 * nothing; without it (the control) they succeed, which is what makes the
 * difference stated rather than hidden.  The "escape" case is the attack
 * this slot used to open: a symlink to an absolute path outside the root,
 * opened relative to a directory descriptor inside it.  Without the shim
 * it reaches the outside file; with the shim it must be ENOENT.
 *
 *   st-lastslot ROOT OUTSIDE      (ROOT holds t0 "t0\n", l0 -> t0, d/x,
 *                                 ld -> d, fifo, lfifo -> fifo, esc ->
 *                                 OUTSIDE/secret; OUTSIDE/secret "OUT\n")
 * STRESS_EXPECT_SHIM=1 when the shim is preloaded.
 */
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "stress.h"

#define LIMIT 32

static const char *root;
static bool shimmed;
static int rootfd = -1, procfd = -1;
static FILE *cur_file;
static DIR *cur_dir;

static void rpath(char *buf, const char *name)
{
	snprintf(buf, PATH_MAX, "%s/%s", root, name);
}

/* ---- the calls ------------------------------------------------------ */
static int o_self_stat(void)
{
	return open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
}

static int o_thread_stat(void)
{
	return openat(AT_FDCWD, "/proc/thread-self/stat", O_RDONLY);
}

static int o_dot_thread_stat(void)
{
	return open("/proc/./thread-self/stat", O_RDONLY | O_CLOEXEC);
}

static int o_fopen_status(void)
{
	cur_file = fopen("/proc/self/status", "re");
	return cur_file ? fileno(cur_file) : -1;
}

static int o_opendir_fd(void)
{
	cur_dir = opendir("/proc/self/fd");
	return cur_dir ? dirfd(cur_dir) : -1;
}

static int o_procfd_stat(void)
{
	return openat(procfd, "self/stat", O_RDONLY | O_CLOEXEC);
}

static int o_root_link(void)
{
	char p[PATH_MAX];
	rpath(p, "l0");
	return open(p, O_RDONLY | O_CLOEXEC);
}

static int o_root_link_at(void)
{
	char p[PATH_MAX];
	rpath(p, "l0");
	return openat(AT_FDCWD, p, O_RDONLY);
}

static int o_root_fopen(void)
{
	char p[PATH_MAX];
	rpath(p, "l0");
	cur_file = fopen(p, "r");
	return cur_file ? fileno(cur_file) : -1;
}

static int o_root_opendir(void)
{
	char p[PATH_MAX];
	rpath(p, "ld");
	cur_dir = opendir(p);
	return cur_dir ? dirfd(cur_dir) : -1;
}

static int o_root_creat(void)
{
	char p[PATH_MAX];
	rpath(p, "ld/new");
	return open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
}

static int o_rootfd_link(void)
{
	return openat(rootfd, "l0", O_RDONLY | O_CLOEXEC);
}

static int o_root_fifo_nonblock(void)
{
	char p[PATH_MAX];
	rpath(p, "lfifo");
	return open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

static int o_escape(void)
{
	return openat(rootfd, "esc", O_RDONLY | O_CLOEXEC);
}

/* limits */
static int o_magic_fd(void)
{
	char p[64];
	snprintf(p, sizeof(p), "/proc/self/fd/%d", rootfd);
	return open(p, O_RDONLY | O_CLOEXEC);
}

static int o_procpid_root(void)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "/proc/self/root%s/l0", root);
	return open(p, O_RDONLY | O_CLOEXEC);
}

static int o_root_fifo(void)
{
	char p[PATH_MAX];
	rpath(p, "lfifo");
	return open(p, O_RDONLY | O_CLOEXEC);
}

/* ---- what the descriptor must be ----------------------------------- */
static bool read_all(int fd, char *buf, size_t size)
{
	ssize_t n = pread(fd, buf, size - 1, 0);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return true;
}

static bool is_stat_of(int fd, long id)
{
	char b[512];
	return read_all(fd, b, sizeof(b)) && atol(b) == id;
}

static bool c_self_stat(int fd)
{
	return is_stat_of(fd, getpid());
}

static bool c_thread_stat(int fd)
{
	return is_stat_of(fd, gettid());
}

static bool c_status(int fd)
{
	char b[2048], want[32];
	(void)fd;
	size_t n = fread(b, 1, sizeof(b) - 1, cur_file);
	b[n] = '\0';
	snprintf(want, sizeof(want), "\nPid:\t%d\n", (int)getpid());
	return strstr(b, want) != NULL;
}

/* The fd directory lists the directory's own descriptor. */
static bool c_fd_dir(int fd)
{
	char want[16];
	struct dirent *e;
	snprintf(want, sizeof(want), "%d", fd);
	while ((e = readdir(cur_dir)))
		if (!strcmp(e->d_name, want))
			return true;
	return false;
}

static bool c_t0(int fd)
{
	char b[16];
	return read_all(fd, b, sizeof(b)) && !strcmp(b, "t0\n");
}

static bool c_t0_file(int fd)
{
	char b[16];
	(void)fd;
	return fgets(b, sizeof(b), cur_file) && !strcmp(b, "t0\n");
}

static bool c_d_dir(int fd)
{
	struct dirent *e;
	(void)fd;
	while ((e = readdir(cur_dir)))
		if (!strcmp(e->d_name, "x"))
			return true;
	return false;
}

static bool c_created(int fd)
{
	char p[PATH_MAX];
	struct stat a, b;
	rpath(p, "d/new");
	/* Raw: a routed stat needs a descriptor itself, and none is free. */
	return fstat(fd, &a) == 0 && syscall(SYS_newfstatat, AT_FDCWD, p, &b, 0) == 0 && a.st_ino == b.st_ino &&
	       a.st_dev == b.st_dev;
}

static bool c_fifo(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

static bool c_outside(int fd)
{
	char b[16];
	return read_all(fd, b, sizeof(b)) && !strcmp(b, "OUT\n");
}

static bool c_any(int fd)
{
	(void)fd;
	return true;
}

static void done_fd(int fd)
{
	close(fd);
}

static void done_file(int fd)
{
	(void)fd;
	fclose(cur_file);
}

static void done_dir(int fd)
{
	(void)fd;
	closedir(cur_dir);
}

static void done_created(int fd)
{
	char p[PATH_MAX];
	close(fd);
	rpath(p, "d/new");
	unlink(p);
}

/* With the shim: 0 = transparent (the fd on the free slot); otherwise the
 * errno the shim must give with one slot free (the control still opens). */
struct kase {
	const char *name;
	int (*open)(void);
	bool (*check)(int fd);
	void (*done)(int fd);
	int cloexec;  /* FD_CLOEXEC expected */
	int shim_err; /* see above */
	bool blocks;  /* the plain open would wait (control skipped) */
};

static const struct kase cases[] = {
	{ "open /proc/self/stat", o_self_stat, c_self_stat, done_fd, 1, 0, false },
	{ "openat /proc/thread-self/stat", o_thread_stat, c_thread_stat, done_fd, 0, 0, false },
	{ "open /proc/./thread-self/stat", o_dot_thread_stat, c_thread_stat, done_fd, 1, 0, false },
	{ "fopen /proc/self/status", o_fopen_status, c_status, done_file, 1, 0, false },
	{ "opendir /proc/self/fd", o_opendir_fd, c_fd_dir, done_dir, 1, 0, false },
	{ "openat(/proc fd, self/stat)", o_procfd_stat, c_self_stat, done_fd, 1, 0, false },
	{ "open ROOT/l0", o_root_link, c_t0, done_fd, 1, 0, false },
	{ "openat ROOT/l0", o_root_link_at, c_t0, done_fd, 0, 0, false },
	{ "fopen ROOT/l0", o_root_fopen, c_t0_file, done_file, 0, 0, false },
	{ "opendir ROOT/ld", o_root_opendir, c_d_dir, done_dir, 1, 0, false },
	{ "open ROOT/ld/new O_CREAT|O_EXCL", o_root_creat, c_created, done_created, 1, 0, false },
	{ "openat(ROOT fd, l0)", o_rootfd_link, c_t0, done_fd, 1, 0, false },
	{ "open ROOT/lfifo O_NONBLOCK", o_root_fifo_nonblock, c_fifo, done_fd, 1, 0, false },
	{ "escape: openat(ROOT fd, esc -> OUTSIDE/secret)", o_escape, c_outside, done_fd, 1, ENOENT, false },
	{ "limit: open /proc/self/fd/N (magic link)", o_magic_fd, c_any, done_fd, 1, EMFILE, false },
	{ "limit: open /proc/self/root/ROOT/l0", o_procpid_root, c_t0, done_fd, 1, EMFILE, false },
	{ "limit: open ROOT/lfifo (would wait)", o_root_fifo, c_fifo, done_fd, 1, EMFILE, true },
};

static int fill[LIMIT + 8];

/* Open /dev/null until EMFILE; returns how many. */
static int fill_up(void)
{
	int n = 0, fd;
	while ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0 && n < LIMIT + 8)
		fill[n++] = fd;
	if (fd >= 0)
		close(fd);
	return n;
}

static void one_case(const struct kase *k)
{
	char cwd0[PATH_MAX], cwd1[PATH_MAX], p[PATH_MAX];
	int before = stress_count_fds(), fd, err;
	int want = shimmed ? k->shim_err : 0;

	if (!shimmed && k->blocks)
		return;
	if (!getcwd(cwd0, sizeof(cwd0)))
		stress_fail("getcwd: %s", strerror(errno));
	int n = fill_up();
	if (n < 4) {
		stress_fail("%s: only %d descriptors to fill", k->name, n);
		return;
	}
	int hole = fill[n / 2];
	close(hole);

	errno = 0;
	fd = k->open();
	err = errno;
	if (want) {
		if (fd >= 0 || err != want)
			stress_fail("%s: one slot free: want %s, got fd %d (%s)", k->name, strerror(want), fd,
			            strerror(err));
		if (fd >= 0)
			k->done(fd);
	} else if (fd != hole) {
		stress_fail("%s: one slot free: got fd %d (%s), the free slot is %d", k->name, fd, strerror(err),
		            hole);
		if (fd >= 0)
			k->done(fd);
	} else {
		int fdfl = fcntl(fd, F_GETFD), fl = fcntl(fd, F_GETFL);
		if (!k->check(fd))
			stress_fail("%s: fd %d is not the object asked for", k->name, fd);
		if (((fdfl & FD_CLOEXEC) != 0) != k->cloexec)
			stress_fail("%s: FD_CLOEXEC %d, asked %d", k->name, fdfl & FD_CLOEXEC, k->cloexec);
		if (fl & O_NOFOLLOW)
			stress_fail("%s: F_GETFL shows O_NOFOLLOW", k->name);
		if (err != 0)
			stress_fail("%s: errno %s after a success", k->name, strerror(err));
		k->done(fd);
	}

	/* No slot free. */
	fill[n / 2] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fill[n / 2] != hole)
		stress_fail("%s: the slot %d was not free again (got %d)", k->name, hole, fill[n / 2]);
	errno = 0;
	fd = k->open();
	err = errno;
	if (fd >= 0 || err != EMFILE)
		stress_fail("%s: no slot free: want EMFILE, got fd %d (%s)", k->name, fd, strerror(err));
	if (fd >= 0)
		k->done(fd);
	for (int i = 0; i < n; i++)
		close(fill[i]);

	rpath(p, "d/new");
	if (access(p, F_OK) == 0) {
		stress_fail("%s: d/new exists after the case", k->name);
		unlink(p);
	}
	if (stress_count_fds() != before)
		stress_fail("%s: %d descriptors open after the case, %d before", k->name, stress_count_fds(), before);
	if (!getcwd(cwd1, sizeof(cwd1)) || strcmp(cwd0, cwd1))
		stress_fail("%s: cwd changed", k->name);
}

/*
 * Two threads race for the one free slot, through /proc and through the
 * root: as natively, exactly one wins it and the other hears EMFILE (the
 * shim's helper frees the route's slot before its open, so the other
 * thread may take it meanwhile: then that one must win).
 */
static pthread_barrier_t race_bar;
static int race_fd[2], race_err[2];

static void *racer(void *arg)
{
	int i = (int)(long)arg;
	pthread_barrier_wait(&race_bar);
	errno = 0;
	race_fd[i] = i ? o_root_link() : o_self_stat();
	race_err[i] = errno;
	return NULL;
}

static void race(long rounds)
{
	int before = stress_count_fds();
	for (long r = 0; r < rounds; r++) {
		pthread_t t[2];
		pthread_barrier_init(&race_bar, NULL, 2);
		int n = fill_up();
		int hole = fill[n / 2];
		close(hole);
		for (long i = 0; i < 2; i++)
			if (pthread_create(&t[i], NULL, racer, (void *)i) != 0)
				stress_fail("race: pthread_create failed");
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&race_bar);
		int wins = (race_fd[0] >= 0) + (race_fd[1] >= 0);
		for (int i = 0; i < 2; i++) {
			if (race_fd[i] >= 0 && race_fd[i] != hole)
				stress_fail("race: fd %d, the free slot was %d", race_fd[i], hole);
			if (race_fd[i] < 0 && race_err[i] != EMFILE)
				stress_fail("race: the loser heard %s, want EMFILE", strerror(race_err[i]));
			if (race_fd[i] >= 0)
				close(race_fd[i]);
		}
		if (wins != 1)
			stress_fail("race: %d winners for one slot", wins);
		for (int i = 0; i < n; i++)
			if (i != n / 2)
				close(fill[i]);
	}
	if (stress_count_fds() != before)
		stress_fail("race: %d descriptors open after, %d before", stress_count_fds(), before);
}

static void *all_cases(void *arg)
{
	(void)arg;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		one_case(&cases[c]);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: st-lastslot ROOT OUTSIDE\n");
		return 2;
	}
	root = argv[1];
	const char *e = getenv("STRESS_EXPECT_SHIM");
	shimmed = e && !strcmp(e, "1");
	struct rlimit rl = { LIMIT, LIMIT };
	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		perror("setrlimit");
		return 2;
	}
	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0 || procfd < 0) {
		perror("open ROOT or /proc");
		return 2;
	}
	long rounds = stress_iters(10);
	for (long r = 0; r < rounds; r++) {
		all_cases(NULL);
		/* thread-self must name this thread, not the main one (nor a
		 * helper of the shim's). */
		pthread_t t;
		if (pthread_create(&t, NULL, all_cases, NULL) != 0 || pthread_join(t, NULL) != 0)
			stress_fail("pthread_create/join failed");
	}
	long races = stress_iters(200);
	race(races);
	char what[160];
	snprintf(what, sizeof(what),
	         "st-lastslot: %ld rounds x %zu cases, main thread and a second one, %ld races (%s)", rounds,
	         sizeof(cases) / sizeof(cases[0]), races, shimmed ? "shim" : "plain");
	return stress_done(what);
}
