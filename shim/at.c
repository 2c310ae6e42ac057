/* SPDX-License-Identifier: Apache-2.0 */
/*
 * at.c - relative paths whose dirfd or cwd lies inside /proc or a root
 * (DESIGN §2 "Dirfd and cwd"), with nothing on the fast path but a bit test.
 *
 * Two hints, both "possibly contained", both re-checked for real on the slow
 * path (the verified /proc/thread-self/fd/N text, or getcwd), so a stale
 * hint costs a syscall, never a wrong answer:
 *   - a bitmap of descriptors the shim itself handed out for PROC/ROOT
 *     objects (open/openat/opendir), set with an atomic OR;
 *   - a cwd flag, set at start-up and by the chdir/fchdir wrappers when the
 *     new cwd classifies PROC/ROOT.  It is sticky (never cleared): a vfork
 *     child's chdir runs in the parent's memory, so clearing it there would
 *     blind the parent.
 *
 * What this misses (documented gaps): descriptors the shim did not hand
 * out - inherited, dup()ed, received over a socket, opened by raw syscalls or
 * glibc internals, or numbered >= SHIM_FDTRACK_MAX - and cwd changes the
 * wrappers do not see (raw syscalls, glibc's internal fchdir in fts/nftw,
 * posix_spawn chdir actions) unless the cwd was already contained.  Relative
 * paths through such descriptors behave natively.  A root configured
 * through a symlink is recognised in descriptor/cwd texts by its kernel
 * name (shim_root_unalias).
 */
#include <string.h>

#include "shim.h"
#include "sys.h"

#define BITS (8 * sizeof(unsigned long))

_Atomic unsigned long shim_fdbits[SHIM_FDTRACK_MAX / BITS];
_Atomic int shim_cwd_contained;

void shim_fd_mark(int fd)
{
	if (fd >= 0 && fd < SHIM_FDTRACK_MAX)
		atomic_fetch_or_explicit(&shim_fdbits[fd / BITS], 1UL << (fd % BITS), memory_order_relaxed);
}

static _Atomic int fd_rootpid[SHIM_FDTRACK_MAX];

void shim_fd_unmark(int fd)
{
	if (fd >= 0 && fd < SHIM_FDTRACK_MAX) {
		atomic_fetch_and_explicit(&shim_fdbits[fd / BITS], ~(1UL << (fd % BITS)), memory_order_relaxed);
		atomic_store_explicit(&fd_rootpid[fd], 0, memory_order_relaxed);
	}
}

/*
 * Roots whose configured spelling is not their kernel name (a symlinked
 * prefix: /var/lib/x -> /data/x).  A descriptor's /proc text and getcwd
 * give the kernel name, so for these the text is mapped back to the
 * spelling.  Computed once, on first use (each costs an open and a
 * verified /proc readlink: not worth paying at start-up for programs that
 * never need it); a root missing then is checked on use.  Racing threads
 * compute the same answer: plain stores, then the release flag.
 */
static bool root_plain[POLICY_MAX_ROOTS];
static _Atomic int roots_checked;

static int root_text(size_t i, char *buf, size_t size)
{
	int fd = sys_openat(AT_FDCWD, shim_policy.roots[i].path, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	int n = route_fd_path(fd, buf, size);
	sys_close(fd);
	return n;
}

static void roots_check(void)
{
	char t[PATH_MAX];

	if (atomic_load_explicit(&roots_checked, memory_order_acquire))
		return;
	for (size_t i = 0; i < shim_policy.nroots; i++) {
		int n = root_text(i, t, sizeof(t));
		root_plain[i] = n >= 0 && (size_t)n == shim_policy.roots[i].len &&
		                memcmp(t, shim_policy.roots[i].path, (size_t)n) == 0;
	}
	atomic_store_explicit(&roots_checked, 1, memory_order_release);
}

bool shim_root_unalias(char *path, size_t size)
{
	char t[PATH_MAX];
	size_t plen = strlen(path);

	roots_check();
	for (size_t i = 0; i < shim_policy.nroots; i++) {
		const struct policy_root *r = &shim_policy.roots[i];
		if (root_plain[i])
			continue;
		int n = root_text(i, t, sizeof(t));
		if (n <= 1 || (size_t)n > plen || memcmp(path, t, (size_t)n) != 0 ||
		    (path[n] != '/' && path[n] != '\0') || plen - (size_t)n + r->len >= size)
			continue;
		memmove(path + r->len, path + n, plen - (size_t)n + 1);
		memcpy(path, r->path, r->len);
		return true;
	}
	return false;
}

/*
 * Descriptors opened under /proc/<pid>/root (and a cwd reached that way):
 * the pid, so that relative paths through them resolve in that root again.
 * The descriptor's text is a path in our view of that process's tree; it is
 * mapped back under /proc/<pid>/root through the text of the root itself.
 * self/thread-self need nothing: our own root is "/".  A stale pid (the
 * number reused natively) maps only when that process is alive and the
 * text lies under its root, i.e. names the same file.
 */
static _Atomic int cwd_rootpid;

/* The leading decimal component of s (0 if none or not all digits). */
static int lead_pid(const char *s, size_t len, size_t *used)
{
	int pid = 0;
	size_t i = 0;
	for (; i < len && s[i] != '/'; i++) {
		if (s[i] < '0' || s[i] > '9' || pid > 4194304)
			return 0;
		pid = pid * 10 + (s[i] - '0');
	}
	*used = i;
	return pid;
}

/*
 * "/proc/<pid>/root" itself (nothing after "root", so classify.c reads it
 * as a /proc magic link): the descriptor or cwd it gives is that root, so
 * it is remembered under the pid like any path below the root (F8).
 */
static int procroot_link_pid(const char *rest)
{
	size_t n, len = strlen(rest);
	int pid = lead_pid(rest, len, &n);
	const char *s = rest + n;

	if (pid <= 0 || *s != '/')
		return 0;
	while (*s == '/')
		s++;
	if (strncmp(s, "task/", 5) == 0) {
		size_t m;
		s += 5;
		if (lead_pid(s, strlen(s), &m) <= 0)
			return 0;
		for (s += m; *s == '/'; s++)
			;
	}
	if (strncmp(s, "root", 4) != 0)
		return 0;
	for (s += 4; *s == '/'; s++)
		;
	return *s ? 0 : pid;
}

int shim_procpid_of(const struct classify *c)
{
	size_t n;
	if (c->cls == CLASSIFY_PROC && c->rest)
		return procroot_link_pid(c->rest);
	if (c->cls != CLASSIFY_ROOT || c->root != CLASSIFY_ROOT_PROCPID)
		return 0;
	return lead_pid(c->procsub, c->procsub_len, &n);
}

void shim_fd_set_rootpid(int fd, int pid)
{
	if (fd >= 0 && fd < SHIM_FDTRACK_MAX)
		atomic_store_explicit(&fd_rootpid[fd], pid, memory_order_relaxed);
}

int shim_rootpid_of(int dirfd)
{
	if (dirfd == AT_FDCWD)
		return atomic_load_explicit(&cwd_rootpid, memory_order_relaxed);
	if (dirfd < 0 || dirfd >= SHIM_FDTRACK_MAX)
		return 0;
	return atomic_load_explicit(&fd_rootpid[dirfd], memory_order_relaxed);
}

void shim_cwd_set_rootpid(int fd_or_pid, bool from_fd)
{
	int pid = from_fd ? shim_rootpid_of(fd_or_pid) : fd_or_pid;
	atomic_store_explicit(&cwd_rootpid, pid, memory_order_relaxed);
}

bool shim_procroot_unalias(int dirfd, char *path, size_t size)
{
	char rt[PATH_MAX], pre[48];
	int pid = shim_rootpid_of(dirfd);

	if (pid <= 0)
		return false;
	shim_fd_name(pre, sizeof(pre), "", pid);
	size_t pl = strlen(pre);
	memcpy(pre + pl, "/root", 6);
	int rfd = route_proc_path(pre);
	if (rfd < 0)
		return false;
	int n = route_fd_path(rfd, rt, sizeof(rt));
	sys_close(rfd);
	size_t plen = strlen(path);
	if (n <= 0 || rt[0] != '/')
		return false;
	if (n == 1) /* that root is ours: the whole text lies under it */
		n = 0;
	else if ((size_t)n > plen || memcmp(path, rt, (size_t)n) != 0 || (path[n] != '/' && path[n] != '\0'))
		return false;
	shim_fd_name(pre, sizeof(pre), "/proc/", pid);
	pl = strlen(pre);
	memcpy(pre + pl, "/root", 6);
	pl += 5;
	if (plen - (size_t)n + pl >= size)
		return false;
	memmove(path + pl, path + n, plen - (size_t)n + 1);
	memcpy(path, pre, pl);
	return true;
}

static void cwd_classify(char *cwd, size_t size)
{
	struct classify c;

	if (classify_path(&shim_policy, cwd, &c) != CLASSIFY_PASS || shim_root_unalias(cwd, size) ||
	    atomic_load_explicit(&cwd_rootpid, memory_order_relaxed) > 0)
		atomic_store_explicit(&shim_cwd_contained, 1, memory_order_relaxed);
}

/*
 * getcwd's text.  A cwd under another mount namespace's root is outside
 * our tree: the kernel prefixes "(unreachable)" to the same text the
 * /proc links give; with a remembered /proc/<pid>/root that prefix is
 * dropped, so the text maps back under that root (shim_procroot_unalias).
 * Returns the length with the NUL, or -errno.
 */
int shim_getcwd(char *buf, size_t size)
{
	static const char unreach[] = "(unreachable)/";
	const size_t ul = sizeof(unreach) - 2; /* keep the '/' */
	int n = sys_getcwd(buf, size);

	if (n > (int)ul && memcmp(buf, unreach, ul + 1) == 0 && shim_rootpid_of(AT_FDCWD) > 0) {
		memmove(buf, buf + ul, (size_t)n - ul);
		n -= (int)ul;
	}
	return n;
}

void shim_cwd_recheck(void)
{
	char cwd[PATH_MAX];

	if (shim_getcwd(cwd, sizeof(cwd)) < 0 || cwd[0] != '/')
		return;
	cwd_classify(cwd, sizeof(cwd));
}

/*
 * The starting cwd (init.c's getcwd text, kept).  Its textual class is
 * known at once; whether it lies under a symlinked root's real location
 * needs the roots' kernel names, so with roots configured that part waits
 * for the first relative path (SHIM_CWD_PENDING reads as "possibly
 * contained" on the fast path, which sends that call to shim_enter, which
 * settles it).  The answer depends only on the saved text, not on the cwd
 * at settling time, so it is the one start-up would have given.
 */
static const char *start_cwd;

void shim_cwd_start(const char *cwd)
{
	struct classify c;

	if (!cwd || cwd[0] != '/')
		return;
	if (classify_path(&shim_policy, cwd, &c) != CLASSIFY_PASS) {
		atomic_store_explicit(&shim_cwd_contained, 1, memory_order_relaxed);
		return;
	}
	if (shim_policy.nroots == 0)
		return;
	start_cwd = cwd;
	atomic_store_explicit(&shim_cwd_contained, SHIM_CWD_PENDING, memory_order_release);
}

void shim_cwd_settle(void)
{
	char cwd[PATH_MAX];
	int expect = SHIM_CWD_PENDING;
	size_t n;

	if (atomic_load_explicit(&shim_cwd_contained, memory_order_acquire) != SHIM_CWD_PENDING)
		return;
	n = strlen(start_cwd);
	if (n >= sizeof(cwd))
		return;
	memcpy(cwd, start_cwd, n + 1);
	bool contained = shim_root_unalias(cwd, sizeof(cwd));
	/* A chdir wrapper may have set 1 meanwhile: only PENDING moves. */
	atomic_compare_exchange_strong(&shim_cwd_contained, &expect, contained ? 1 : 0);
}
