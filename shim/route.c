/* SPDX-License-Identifier: Apache-2.0 */
/*
 * route.c - the slow path shared by every wrapper family: classify for real
 * (relative paths joined to their verified directory text), open through
 * the verified route, decide refusals, log, and hand the fd back the way the
 * native call would have (lowest free number, O_CLOEXEC only when asked).
 *
 * PROC: per call, the own view (proc_own_root), then proc_open_beneath; on
 * -EXDEV the runtime-mask route (procmask_open) decides between a recognised
 * container mask (behave natively) and an attack (refuse).  No descriptor is
 * held between calls.
 * ROOT: the prefix is opened O_PATH|O_DIRECTORY (a /proc/PID/root prefix
 * through the verified route, its trailing magic link followed after the
 * mount check), then pathward_root_open inside it.  A configured root
 * first tries the whole path with RESOLVE_NO_SYMLINKS (root_direct): with
 * no symlink and no ".." the textual walk is the contained one, in one
 * syscall instead of four.
 */
#include <errno.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "canon.h"
#include "fd.h"
#include "pathward.h"
#include "proc.h"
#include "procmask.h"
#include "resolve.h"
#include "shim.h"
#include "strutil.h"
#include "sys.h"


/*
 * path is a /dev/fd alias candidate: when /dev/NAME is the standard symlink
 * (read now: "/proc/self/fd" or "/proc/self/fd/N") and the operation goes
 * through it, rewrite the path to its target in x->buf.  The link itself
 * (readlink("/dev/stdin"), lstat) stays native.
 */
static bool devfd_alias(struct shim_ctx *x, const char *path, bool follow)
{
	static const char *const names[] = { "fd", "stdin", "stdout", "stderr" };
	static const char *const targets[] = { "/proc/self/fd", "/proc/self/fd/0", "/proc/self/fd/1",
		                               "/proc/self/fd/2" };
	char dev[16], text[32];
	const char *name = path + 5, *after = name;

	while (*after && *after != '/')
		after++;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t n = strlen(names[i]), tl = strlen(targets[i]);
		if ((size_t)(after - name) != n || memcmp(name, names[i], n) != 0)
			continue;
		if (!*after && !follow)
			return false;
		memcpy(dev, path, 5 + n);
		dev[5 + n] = '\0';
		ssize_t l = sys_readlinkat(AT_FDCWD, dev, text, sizeof(text));
		if (l != (ssize_t)tl || memcmp(text, targets[i], tl) != 0 || tl + strlen(after) >= sizeof(x->buf))
			return false;
		memcpy(x->buf, targets[i], tl);
		memcpy(x->buf + tl, after, strlen(after) + 1);
		x->path = x->buf;
		return true;
	}
	return false;
}

/*
 * x->c is CANON (a ".." before any prefix): walk the path for real and, if
 * the kernel's resolution enters a root or /proc, reclassify the rewritten
 * path in x->buf.  false: native (the real call on the original path gives
 * the native answer; the walk went through no prefix).
 */
static bool route_canon(struct shim_ctx *x, bool follow)
{
	if (canon_enter(&shim_policy, x->path, follow, x->buf, sizeof(x->buf)) <= 0) {
		x->c.cls = CLASSIFY_PASS;
		return false;
	}
	x->path = x->buf;
	if (classify_path(&shim_policy, x->path, &x->c) == CLASSIFY_CANON)
		x->c.cls = CLASSIFY_PASS; /* not reached: the text now starts with a prefix */
	return x->c.cls != CLASSIFY_PASS;
}

/*
 * The directory a relative path starts from could not be joined to it
 * (n: the length of its name in x->buf, or -errno).  When that directory
 * is, or may be, inside /proc or a root, the native call would resolve the
 * path unconfined (an absolute symlink leaves the root), so the call fails
 * instead (x->fail, returned by route_open and route_root_base):
 *   - a dirfd that cannot be named now: no descriptor left to ask /proc
 *     with, /proc not genuine (refused: x->why).  Only one that is not
 *     open at all (EBADF, ENOENT under fd/) is left to the native call,
 *     which says EBADF;
 *   - a dirfd or cwd named inside /proc or a root (or remembered under a
 *     /proc/PID/root), with a path too long to join in x->buf:
 *     ENAMETOOLONG.
 * A cwd that getcwd cannot name, or a name that is not a path, stays
 * native as before.
 */
static bool relative_unroutable(struct shim_ctx *x, int dirfd, const char *path, int n)
{
	struct classify c;

	if (n > 0 && x->buf[0] == '/') {
		if (classify_path(&shim_policy, x->buf, &c) == CLASSIFY_PASS && shim_rootpid_of(dirfd) <= 0 &&
		    !shim_root_unalias(x->buf, sizeof(x->buf)))
			return false;
		x->fail = -ENAMETOOLONG;
	} else if (dirfd != AT_FDCWD && n < 0 && n != -EBADF && n != -ENOENT) {
		x->fail = n;
		x->why = n == -EXDEV ? "dirfd not named: not procfs (EXDEV)" : NULL;
	} else {
		return false;
	}
	x->path = path;
	x->c = (struct classify){ .cls = CLASSIFY_ROOT, .root = CLASSIFY_ROOT_PROCPID, .rest = "" };
	shim_busy++;
	return true;
}

bool shim_enter(struct shim_ctx *x, const char *call, int dirfd, const char *path, bool follow)
{
	x->saved_errno = errno;
	x->call = call;
	x->why = NULL;
	x->fail = 0;
	x->depth = 0;
	x->path = path;
	if (path[0] != '/') {
		if (dirfd == AT_FDCWD)
			shim_cwd_settle();
		int n = dirfd == AT_FDCWD ? shim_getcwd(x->buf, sizeof(x->buf)) - 1
		                          : route_fd_path(dirfd, x->buf, sizeof(x->buf));
		size_t plen = strlen(path);
		if (n <= 0 || x->buf[0] != '/' || (size_t)n + 1 + plen >= sizeof(x->buf)) {
			if (relative_unroutable(x, dirfd, path, n))
				return true;
			errno = x->saved_errno;
			return false;
		}
		if (x->buf[n - 1] != '/')
			x->buf[n++] = '/';
		memcpy(x->buf + n, path, plen + 1);
		x->path = x->buf;
		(void)shim_procroot_unalias(dirfd, x->buf, sizeof(x->buf));
	}
	if (path[0] == '/' && shim_devfd_candidate(path))
		(void)devfd_alias(x, path, follow);
	enum classify_class cls = classify_path(&shim_policy, x->path, &x->c);
	if ((cls == CLASSIFY_PASS || cls == CLASSIFY_CANON) && path[0] != '/' &&
	    shim_root_unalias(x->buf, sizeof(x->buf)))
		(void)classify_path(&shim_policy, x->path, &x->c);
	if (x->c.cls == CLASSIFY_CANON)
		(void)route_canon(x, follow);
	if (x->c.cls == CLASSIFY_PASS) {
		if (dirfd != AT_FDCWD && path[0] != '/')
			shim_fd_unmark(dirfd); /* a stale hint: the number was reused */
		errno = x->saved_errno;
		return false;
	}
	shim_busy++;
	return true;
}

void shim_leave(struct shim_ctx *x)
{
	(void)x;
	shim_busy--;
}

int route_flags(int flags)
{
	return (int)openat2_flags_of_open(flags);
}

/* Why proc_open_beneath/procmask refused, or NULL when r is what the native
 * open would say (ENOENT, EACCES, ENOTDIR, ...). */
static const char *proc_refusal(int r, int flags)
{
	switch (r) {
	case -EXDEV:
		return "overmounted (EXDEV)";
	case -ELOOP:
		/* O_NOFOLLOW (without O_PATH) on a symlink is ELOOP natively too. */
		return (flags & O_NOFOLLOW) && !(flags & O_PATH) ? NULL : "magic link (ELOOP)";
	case -EROFS:
		/* A write through a runtime mask: refused, with the errno a
		 * read-only mask gives natively (not an attack: no log). */
		return NULL;
	default:
		return NULL;
	}
}

/*
 * The own /proc root for this call.  A /proc that is not a genuine procfs
 * is refused (fake content could be planted there), but a /proc that does
 * not exist at all (a bare chroot) serves nothing: the native answer,
 * ENOENT, is given without a log line.
 */
static int own_root(struct shim_ctx *x)
{
	struct stat st;
	int pfd = proc_own_root();

	if (pfd == -EXDEV && sys_fstatat(AT_FDCWD, "/proc", &st, AT_SYMLINK_NOFOLLOW) == -ENOENT)
		return -ENOENT;
	if (pfd < 0)
		x->why = pfd == -EXDEV ? "not procfs (EXDEV)" : NULL;
	return pfd;
}

/*
 * A write refused by a runtime mask: a read-only mask (self-bind, tmpfs)
 * answers EROFS natively too, so that is passed on quietly; a /dev/null
 * mask would have swallowed the write natively, so refusing it is a
 * block (EACCES, logged: DESIGN §2).
 */
static bool devnull_mask(int pfd, const char *rest)
{
	struct stat st;
	_cleanup_close_ int fd = procmask_open(pfd, rest, O_PATH | O_CLOEXEC, 0);
	return fd >= 0 && sys_fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3);
}

/* A trailing slash makes the kernel follow the last component and want a
 * directory, O_NOFOLLOW or not (lstat("/proc/self/exe/")). */
static int proc_slash_flags(const char *rest, int flags)
{
	size_t rlen = strlen(rest);
	if (rlen > 0 && rest[rlen - 1] == '/')
		flags = (flags & ~O_NOFOLLOW) | O_DIRECTORY;
	return flags;
}

/* The PROC route beneath the verified own root pfd.  *retry_last_slot:
 * the answer is EMFILE from the one step of a path that neither climbs
 * with ".." nor passes a magic link (procvia would need more descriptors),
 * which proc_last_slot may take again. */
static int route_proc_at(struct shim_ctx *x, int pfd, int flags, mode_t mode, bool *retry_last_slot)
{
	const char *end = procvia_dotdot_end(x->c.rest);
	*retry_last_slot = false;
	if (end)
		return procvia_open(x, pfd, end, true, flags, mode);
	flags = proc_slash_flags(x->c.rest, flags);
	int r = proc_open_beneath(pfd, x->c.rest, flags, mode);
	if (r == -EMFILE) {
		*retry_last_slot = !procvia_magic_end(x->c.rest);
		return r;
	}
	/* procfs never checks NAME_MAX: an over-long name is just absent. */
	if (r == -ENAMETOOLONG && strlen(x->path) < PATH_MAX)
		r = -ENOENT;
	if (r == -ELOOP && (end = procvia_magic_end(x->c.rest)))
		return procvia_open(x, pfd, end, false, flags, mode);
	if (r == -EXDEV) {
		r = procmask_open(pfd, x->c.rest, flags, mode);
		x->why = r >= 0 ? "mask" : NULL;
	}
	if (r < 0)
		x->why = proc_refusal(r, flags);
	if (r == -EROFS && devnull_mask(pfd, x->c.rest))
		x->why = "write through a mask (EROFS)";
	return r;
}

/*
 * route_proc_at got EMFILE while pfd (taken) held the last slot: its first
 * step, proc_open_beneath, again with pfd parked in lastslot.c's helper.
 * The answers on which proc_resolve or route_proc_at would go on with more
 * descriptors (the walk without openat2, a trailing magic link, an
 * overmount or a runtime mask) stay EMFILE; the others are what the route
 * makes of them.  Kept to its own frame: two PATH_MAX buffers here.
 */
__attribute__((noinline)) static int proc_last_slot(struct shim_ctx *x, int take_pfd, int flags, mode_t mode)
{
	_cleanup_close_ int pfd = take_pfd;
	char sub[PATH_MAX];

	if (x->c.rest[0] == '/' || lastslot_proc_sub(pfd, x->c.rest[0] ? x->c.rest : ".", sub, sizeof(sub)) < 0)
		return -EMFILE;
	flags = proc_slash_flags(x->c.rest, flags);
	int r = lastslot_open(TAKE_FD(pfd), sub, flags, mode, true);
	if (r == -ENOSYS || r == -EPERM || r == -EXDEV || (r == -ELOOP && !(flags & O_NOFOLLOW)))
		return -EMFILE;
	if (r == -ENAMETOOLONG && strlen(x->path) < PATH_MAX)
		r = -ENOENT;
	if (r < 0)
		x->why = proc_refusal(r, flags);
	return r;
}

/* On success the root fd is handed out in *tmp (fd_settle reuses its slot). */
static int route_proc(struct shim_ctx *x, int flags, mode_t mode, int *tmp)
{
	bool retry_last_slot;
	_cleanup_close_ int pfd = own_root(x);
	if (pfd < 0)
		return pfd;
	int r = route_proc_at(x, pfd, flags, mode, &retry_last_slot);
	if (retry_last_slot)
		return proc_last_slot(x, TAKE_FD(pfd), flags, mode);
	if (r >= 0)
		*tmp = TAKE_FD(pfd);
	return r;
}

int route_root_base(struct shim_ctx *x)
{
	char sub[128];

	if (x->fail)
		return x->fail;

	if (x->c.root != CLASSIFY_ROOT_PROCPID)
		return sys_openat(AT_FDCWD, shim_policy.roots[x->c.root].path, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (x->c.procsub_len >= sizeof(sub))
		return -ENAMETOOLONG;
	memcpy(sub, x->c.procsub, x->c.procsub_len);
	sub[x->c.procsub_len] = '\0';
	_cleanup_close_ int pfd = own_root(x);
	if (pfd < 0)
		return pfd;
	int r = proc_open_beneath(pfd, sub, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (r < 0) {
		x->why = proc_refusal(r, O_PATH);
		return r;
	}
	/* The root takes the /proc fd's slot (the lowest we hold), so that the
	 * result can take it in turn (fd_settle). */
	if (pfd < r && sys_dup3(r, pfd, O_CLOEXEC) == pfd) {
		sys_close(r);
		return TAKE_FD(pfd);
	}
	return r;
}

/*
 * resolve_root_open_exact got EMFILE while base (taken) held the last
 * slot: its kernel route, openat2(RESOLVE_IN_ROOT), again with base parked
 * in lastslot.c's helper.  What would take the walker (openat2 missing or
 * refused, EAGAIN outlasting the retries) needs more descriptors: EMFILE.
 */
static int root_last_slot(int take_base, const char *rest, int flags, mode_t mode)
{
	int r = lastslot_open(take_base, rest, flags, mode, false);
	return r == -ENOSYS || r == -EPERM || r == -EAGAIN ? -EMFILE : r;
}

static int route_root(struct shim_ctx *x, int flags, mode_t mode, int *tmp)
{
	_cleanup_close_ int base = route_root_base(x);
	if (base < 0)
		return base;
	const char *rest = x->c.rest[0] ? x->c.rest : ".";
	int r = resolve_root_open_exact(base, rest, flags, mode, 0);
	/* A /proc/PID/root base took two descriptors to find: not here. */
	if (r == -EMFILE && x->c.root != CLASSIFY_ROOT_PROCPID)
		r = root_last_slot(TAKE_FD(base), rest, flags, mode);
	if (r == -EXDEV)
		x->why = "magic link in root (EXDEV)";
	if (r >= 0)
		*tmp = TAKE_FD(base);
	return r;
}

/*
 * Give fd the number the native call would have.  tmp (owned, taken) is
 * the route's first descriptor: it took the lowest free slot, the one the
 * native open would have returned, so the result is dup3'ed onto it - one
 * atomic step that also closes tmp and sets the caller's close-on-exec
 * choice (the core's fds are O_CLOEXEC); no other thread can take the slot
 * in between.
 */
static int fd_settle(int fd, int tmp, bool cloexec)
{
	if (tmp >= 0 && tmp < fd && sys_dup3(fd, tmp, cloexec ? O_CLOEXEC : 0) == tmp) {
		sys_close(fd);
		return tmp;
	}
	safe_close(tmp);
	if (!cloexec)
		(void)sys_fcntl(fd, F_SETFD, 0);
	return fd;
}

/* Does the part below the root prefix hold a ".." component? */
static bool has_dotdot(const char *rest)
{
	for (const char *s = rest; *s; s++) {
		if (s[0] == '.' && s[1] == '.' && (s[2] == '/' || !s[2]) && (s == rest || s[-1] == '/'))
			return true;
	}
	return false;
}

/*
 * A configured root, the shortcut: the caller's absolute path opened with
 * RESOLVE_NO_SYMLINKS.  Without a symlink anywhere on the way (prefix
 * included) and without "..", the kernel's walk is the textual one, which
 * stays under the prefix: the very object the contained route would give,
 * in one syscall, already on the lowest free slot with the caller's
 * O_CLOEXEC.  Its errors are trusted only when no symlink can have been
 * reached yet (ENOENT, ENOTDIR, EACCES, EEXIST, EISDIR: the walk failed
 * on a plain component); anything else (ELOOP for a symlink, ENOSYS or
 * EPERM without openat2, ...) takes the full route.
 */
static int root_direct(struct shim_ctx *x, int flags, mode_t mode)
{
	if (x->c.root < 0 || has_dotdot(x->c.rest))
		return SHIM_REAL;
	int r = sys_openat2(AT_FDCWD, x->path, (uint64_t)flags, mode, RESOLVE_NO_SYMLINKS);
	if (r >= 0 || r == -ENOENT || r == -ENOTDIR || r == -EACCES || r == -EEXIST || r == -EISDIR)
		return r;
	return SHIM_REAL;
}

int route_open(struct shim_ctx *x, int flags, mode_t mode)
{
	int tmp = -1, r;

	if (x->fail)
		return x->fail;

	/* procvia re-routes a path that left /proc; it may read CANON. */
	if (x->c.cls == CLASSIFY_CANON && !route_canon(x, shim_open_follows(flags)))
		return sys_openat(AT_FDCWD, x->path, flags, mode);
	flags = route_flags(flags);
	if (!SHIM_NEEDS_MODE(flags))
		mode = 0;
	x->why = NULL;
	if (x->c.cls == CLASSIFY_ROOT && (r = root_direct(x, flags, mode)) != SHIM_REAL)
		return r;
	if (x->c.cls == CLASSIFY_PROC)
		r = route_proc(x, flags | O_CLOEXEC, mode, &tmp);
	else
		r = route_root(x, flags | O_CLOEXEC, mode, &tmp);
	if (r < 0)
		return r;
	return fd_settle(r, tmp, (flags & O_CLOEXEC) != 0);
}

int route_refuse(struct shim_ctx *x, const char *why)
{
	shim_log_blocked(x->call, x->path, why);
	return -EACCES;
}

int route_step(struct shim_ctx *x, int flags, mode_t mode)
{
	if (shim_policy.mode == POLICY_MODE_AUDIT) {
		int probe = route_open(x, O_PATH | O_CLOEXEC | (flags & (O_NOFOLLOW | O_DIRECTORY)), 0);
		bool refused = probe < 0 && x->why;
		shim_log_audit(x->call, x->path, x->c.cls, refused ? "would-block" : "rerouted",
		               refused ? x->why : (x->why ? x->why : "verified"));
		safe_close(probe);
		return SHIM_REAL;
	}
	int r = route_open(x, flags, mode);
	if (r < 0 && x->why)
		return route_refuse(x, x->why);
	return r;
}

void shim_fd_name(char *buf, size_t size, const char *prefix, int fd)
{
	char num[21];
	size_t n = 0;

	str_utoa(num, (unsigned)fd);
	while (*prefix && n + 1 < size)
		buf[n++] = *prefix++;
	for (const char *d = num; *d && n + 1 < size; d++)
		buf[n++] = *d;
	buf[n] = '\0';
}

int route_proc_path(const char *sub)
{
	_cleanup_close_ int pfd = proc_own_root();
	if (pfd < 0)
		return pfd;
	return proc_open_beneath(pfd, sub, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
}

static ssize_t fd_path_last_slot(int take_pfd, const char *sub, char *buf, size_t size)
{
	_cleanup_close_ int pfd = take_pfd;
	char own[64];

	if (lastslot_proc_sub(pfd, sub, own, sizeof(own)) < 0)
		return -EMFILE;
	ssize_t r = lastslot_proc_readlink(TAKE_FD(pfd), own, buf, size);
	/* Not a link at all, or something to walk or cross: as route_fd_path
	 * cannot go on with one slot, the caller hears EMFILE. */
	return r == -ENOSYS || r == -EPERM || r == -EXDEV || r == -ELOOP ? -EMFILE : r;
}

int route_fd_path(int fd, char *buf, size_t size)
{
	char sub[48];

	if (fd < 0)
		return -EBADF;
	shim_fd_name(sub, sizeof(sub), "thread-self/fd/", fd);

	_cleanup_close_ int pfd = proc_own_root();
	if (pfd < 0)
		return pfd;
	_cleanup_close_ int lfd = proc_open_beneath(pfd, sub, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
	ssize_t len;
	if (lfd == -EMFILE) /* pfd took the last slot: read the link from lastslot.c's helper */
		len = fd_path_last_slot(TAKE_FD(pfd), sub, buf, size - 1);
	else if (lfd < 0)
		return lfd;
	else
		len = sys_readlinkat(lfd, "", buf, size - 1);
	if (len < 0)
		return (int)len;
	if ((size_t)len >= size - 1)
		return -ENAMETOOLONG;
	buf[len] = '\0';
	return (int)len;
}

int shim_openat_slow(const char *call, int dirfd, const char *path, int flags, mode_t mode)
{
	struct shim_ctx x;

	if (!shim_enter(&x, call, dirfd, path, shim_open_follows(flags)))
		return SHIM_REAL;
	int r = route_step(&x, flags, mode);
	if (r >= 0 && r != SHIM_REAL) {
		shim_fd_mark(r);
		shim_fd_set_rootpid(r, shim_procpid_of(&x.c));
	}
	return shim_ret(&x, r);
}
