/* SPDX-License-Identifier: Apache-2.0 */
/*
 * shim.h - the preload shim's internal contract (DESIGN §2).
 *
 * A wrapper is: read the varargs mode; shim_hit() (a relaxed flag load, a
 * first-byte test and prefix compares - no syscall, errno untouched); on a
 * miss tail-call the real function; on a hit one slow-path call that
 * returns the final result, or SHIM_REAL meaning "call the real function
 * now" (audit mode, or the path turned out to be PASS after all).
 *
 * Everything here is lock-free and malloc-free, so wrappers may run before
 * the constructor, in vfork children, in signal handlers, in many threads
 * and after the program closed every descriptor.  The shim reaches the
 * kernel through core/sys.h or the real-function pointers, never through
 * its own exported names.
 *
 * Oldest glibc at run time: 2.17 by the version needs (secure_getenv) for
 * a shim built on glibc < 2.34, where dlsym@GLIBC_2.2.5 binds to libdl.so.2;
 * 2.34 for one built on 2.34+, where it binds to libc.so.6 (mk/shim.mk).
 * stat & co. tolerated missing (< 2.33), statx too (< 2.28).  Built and
 * tested on 2.36 only.
 *
 * Known gaps (besides DESIGN §6: static binaries, raw syscalls, set-uid):
 *   - dirfd/cwd hints (at.c): descriptors the shim did not hand out
 *     (inherited, dup()ed, passed over sockets, >= SHIM_FDTRACK_MAX) and
 *     cwd changes the wrappers do not see are taken natively; a starting
 *     cwd under /proc/PID/root (set before exec) is not known as such; a
 *     /proc/PID/root whose tree is not visible from our root (another
 *     mount namespace) gives texts that cannot be mapped back.
 *   - user-space canonicalisers (coreutils realpath/readlink -f, Python's
 *     os.path.realpath) walk ".." lexically over the true link texts that
 *     readlink must return, so their string can leave a root; opening that
 *     string is then not contained.  glibc realpath() is contained.
 *   - descriptor exhaustion (lastslot.c): with one slot free a routed
 *     open lands on it as natively, except where the route needs a second
 *     descriptor - a trailing magic link (/proc/self/fd/N, exe, cwd), a
 *     /proc/PID/root/ prefix, a runtime mask or overmount, no openat2 (up
 *     to four slots early then), a FIFO without O_NONBLOCK, a refused
 *     clone - which gives EMFILE, nothing left open.  The stat, access,
 *     readlink and realpath families open an O_PATH descriptor on routed
 *     paths: with no slot free they give EMFILE where the native call
 *     succeeds.
 *   - a relative path through a contained dirfd that cannot be named (no
 *     slot to ask /proc with, /proc refused), or through a contained dirfd
 *     or cwd whose name joined to it exceeds PATH_MAX, fails (EMFILE,
 *     EACCES, ENAMETOOLONG) instead of resolving natively, unconfined.
 *   - fopen ",ccs=" is not applied on routed paths (fdopen ignores it);
 *     a routed freopen that fails leaves the stream open.
 *   - the slow path uses up to three PATH_MAX buffers here (realpath with
 *     a NULL buffer, or a mid-path magic link), plus what core uses.
 */
#ifndef PATHWARD_SHIM_H
#define PATHWARD_SHIM_H

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "classify.h"
#include "policy.h"

#define SHIM_EXPORT __attribute__((visibility("default")))

/* A slow path's "not mine after all: call the real function". */
#define SHIM_REAL INT_MIN

/* glibc's __OPEN_NEEDS_MODE: O_TMPFILE contains O_DIRECTORY, test it whole. */
#define SHIM_NEEDS_MODE(f) (((f) & O_CREAT) != 0 || ((f) & O_TMPFILE) == O_TMPFILE)

/* Read open's variadic mode, only when the flags say there is one (musl's
 * rule: reading a mode that was not passed is undefined), always va_end.
 * Use in a function whose last named parameter is flags. */
#define SHIM_VA_MODE(flags, mode)                       \
	do {                                            \
		if (SHIM_NEEDS_MODE(flags)) {           \
			va_list ap_;                    \
			va_start(ap_, flags);           \
			mode = va_arg(ap_, mode_t);     \
			va_end(ap_);                    \
		}                                       \
	} while (0)

/* ---- real.c: the next definitions, resolved once, eagerly ---------- */
struct shim_real {
	int (*open)(const char *, int, ...);
	int (*open64)(const char *, int, ...);
	int (*open_2)(const char *, int);
	int (*open64_2)(const char *, int);
	int (*creat)(const char *, mode_t);
	int (*creat64)(const char *, mode_t);
	int (*openat)(int, const char *, int, ...);
	int (*openat64)(int, const char *, int, ...);
	int (*openat_2)(int, const char *, int);
	int (*openat64_2)(int, const char *, int);
	FILE *(*fopen)(const char *, const char *);
	FILE *(*fopen64)(const char *, const char *);
	FILE *(*freopen)(const char *, const char *, FILE *);
	FILE *(*freopen64)(const char *, const char *, FILE *);
	DIR *(*opendir)(const char *);
	int (*stat)(const char *, struct stat *);
	int (*stat64)(const char *, struct stat *);
	int (*lstat)(const char *, struct stat *);
	int (*lstat64)(const char *, struct stat *);
	int (*fstatat)(int, const char *, struct stat *, int);
	int (*fstatat64)(int, const char *, struct stat *, int);
	int (*xstat)(int, const char *, struct stat *);
	int (*xstat64)(int, const char *, struct stat *);
	int (*lxstat)(int, const char *, struct stat *);
	int (*lxstat64)(int, const char *, struct stat *);
	int (*fxstatat)(int, int, const char *, struct stat *, int);
	int (*fxstatat64)(int, int, const char *, struct stat *, int);
	int (*statx)(int, const char *, int, unsigned, struct statx *);
	int (*access)(const char *, int);
	int (*faccessat)(int, const char *, int, int);
	int (*eaccess)(const char *, int);
	int (*euidaccess)(const char *, int);
	ssize_t (*readlink)(const char *, char *, size_t);
	ssize_t (*readlinkat)(int, const char *, char *, size_t);
	ssize_t (*readlink_chk)(const char *, char *, size_t, size_t);
	ssize_t (*readlinkat_chk)(int, const char *, char *, size_t, size_t);
	char *(*realpath)(const char *, char *);
	char *(*realpath_chk)(const char *, char *, size_t);
	char *(*canonicalize_file_name)(const char *);
	int (*chdir)(const char *);
	int (*fchdir)(int);
};

extern struct shim_real shim_real;
void shim_real_resolve(void);

/* ---- init.c: one atomic once-init, the policy snapshot ------------- */
enum { SHIM_UNINIT = 0, SHIM_INITIALISING, SHIM_READY };
extern _Atomic int shim_state;
extern struct policy shim_policy;
/* Thread-local "inside the shim": nested wrapper calls pass straight
 * through (initial-exec TLS: no allocation on first touch). */
extern __thread int shim_busy __attribute__((tls_model("initial-exec")));
void shim_init(void);

/* ---- at.c: dirfd and cwd tracking ---------------------------------- */
#define SHIM_FDTRACK_MAX 65536
extern _Atomic unsigned long shim_fdbits[SHIM_FDTRACK_MAX / (8 * sizeof(unsigned long))];
/* 0: the cwd is not contained; 1: it may be (sticky); PENDING: the
 * starting cwd's symlinked-root check is still to be done (at.c). */
#define SHIM_CWD_PENDING 2
extern _Atomic int shim_cwd_contained;
void shim_fd_mark(int fd);
void shim_fd_unmark(int fd);
/* Re-derive the cwd flag after chdir/fchdir (sticky: see at.c). */
void shim_cwd_recheck(void);
/* /proc/<pid>/root descriptors and cwd (at.c): pid of a classified
 * /proc/<digits>/root path (0 otherwise), remembered per descriptor and
 * for the cwd, and the text -> "/proc/<pid>/root/..." mapping. */
int shim_procpid_of(const struct classify *c);
void shim_fd_set_rootpid(int fd, int pid);
/* The pid remembered for dirfd (AT_FDCWD: the cwd), 0 if none. */
int shim_rootpid_of(int dirfd);
void shim_cwd_set_rootpid(int fd_or_pid, bool from_fd);
bool shim_procroot_unalias(int dirfd, char *path, size_t size);
/* getcwd, with a cwd under a remembered /proc/<pid>/root made readable. */
int shim_getcwd(char *buf, size_t size);

/* At start-up: the starting cwd's class (text kept by the caller). */
void shim_cwd_start(const char *cwd);
/* Finish a SHIM_CWD_PENDING starting-cwd check (slow path only). */
void shim_cwd_settle(void);
/* path (a kernel name from /proc or getcwd) under a symlinked root's real
 * location: rewrite it in place to the configured spelling.  */
bool shim_root_unalias(char *path, size_t size);

static inline bool shim_fd_marked(int fd)
{
	const unsigned bits = 8 * sizeof(unsigned long);
	if (fd < 0 || fd >= SHIM_FDTRACK_MAX)
		return false;
	return (atomic_load_explicit(&shim_fdbits[fd / bits], memory_order_relaxed) >> (fd % bits)) & 1;
}

/* Audit mode calls the real function for PROC/ROOT paths: its descriptor
 * is still marked, so relative calls through it are audited too. */
static inline void shim_audit_mark(int fd)
{
	if (fd >= 0 && shim_policy.mode == POLICY_MODE_AUDIT)
		shim_fd_mark(fd);
}

/* "/dev/fd[/...]" and "/dev/std{in,out,err}[...]": symlinks into
 * /proc/self/fd on every Linux system, so the same overmounts reach them
 * (verified on the slow path, route.c). */
static inline bool shim_devfd_candidate(const char *path)
{
	if (path[1] != 'd' || path[2] != 'e' || path[3] != 'v' || path[4] != '/' ||
	    shim_policy.proc != POLICY_PROC_SAFE)
		return false;
	return (path[5] == 'f' && path[6] == 'd' && (path[7] == '/' || !path[7])) ||
	       (path[5] == 's' && path[6] == 't' && path[7] == 'd');
}

/*
 * The fast path.  True when (dirfd, path) may need the slow path: an
 * absolute path classified PROC/ROOT, or a relative one whose dirfd was
 * handed out by the shim for a contained object / whose cwd may be
 * contained.  No syscall, errno untouched.
 */
static inline bool shim_hit(int dirfd, const char *path)
{
	if (!path || !path[0] || shim_busy)
		return false;
	if (atomic_load_explicit(&shim_state, memory_order_acquire) != SHIM_READY) {
		shim_init();
		if (atomic_load_explicit(&shim_state, memory_order_acquire) != SHIM_READY)
			return false; /* re-entered from our own initialisation */
	}
	if (path[0] == '/') {
		struct classify c;
		return classify_path(&shim_policy, path, &c) != CLASSIFY_PASS || shim_devfd_candidate(path);
	}
	if (dirfd == AT_FDCWD)
		return atomic_load_explicit(&shim_cwd_contained, memory_order_relaxed) != 0;
	return shim_fd_marked(dirfd);
}

/* ---- route.c: the slow path ---------------------------------------- */
struct shim_ctx {
	const char *call;  /* libc name, for the log */
	const char *path;  /* absolute path classified: the caller's or buf */
	struct classify c;
	int saved_errno;
	const char *why;   /* set by route_open when it refused for safety */
	int fail;          /* -errno: the dirfd could not be named (shim_enter) */
	int depth;         /* procvia re-routing level */
	char buf[PATH_MAX];
};

/* Classify for real (builds the absolute form of a relative path from the
 * verified dirfd/cwd text; follows the /dev/fd aliases of /proc/self/fd
 * when the operation follows them - follow says whether it follows a
 * symlink in the last component).  false: PASS, call the real function (errno
 * restored).  true: x is ready and shim_busy is set; finish with
 * shim_leave(). */
bool shim_enter(struct shim_ctx *x, const char *call, int dirfd, const char *path, bool follow);

/* Does an open with these flags follow a symlink in the last component? */
static inline bool shim_open_follows(int flags)
{
	return !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
}
void shim_leave(struct shim_ctx *x);

/*
 * One routed step: open x's path with flags/mode through the safe route.
 * Enforce mode: returns the fd (lowest free number, O_CLOEXEC only when
 * flags say so), -errno as the native call would give it, or -EACCES after
 * logging a refusal.  Audit mode: probes with O_PATH, logs the decision
 * and returns SHIM_REAL.
 */
int route_step(struct shim_ctx *x, int flags, mode_t mode);

/* The directory a ROOT path resolves in (x->c.cls == CLASSIFY_ROOT),
 * opened O_PATH for this call.  -errno, x->why set for a refusal. */
int route_root_base(struct shim_ctx *x);

/* Log a refusal (enforce) for x and return -EACCES. */
int route_refuse(struct shim_ctx *x, const char *why);

/* Open sub (relative, below /proc) O_PATH|O_DIRECTORY through the
 * verified own root.  fd or -errno. */
int route_proc_path(const char *sub);

/* Verified text of /proc/thread-self/fd/<fd>.  Length or -errno. */
int route_fd_path(int fd, char *buf, size_t size);

/* buf = prefix + decimal fd (no stdio). */
void shim_fd_name(char *buf, size_t size, const char *prefix, int fd);

/* The open(2) flags the core passes to openat2 (unknown bits dropped,
 * as open(2) ignores them). */
int route_flags(int flags);

/* Open x's (classified PROC/ROOT) path through its route: fd settled for
 * the caller (lowest number, O_CLOEXEC per flags) or -errno, x->why set
 * when the refusal is a safety one.  No logging. */
int route_open(struct shim_ctx *x, int flags, mode_t mode);

/* ---- procvia.c: ".." and magic links in the middle of /proc paths --- */
const char *procvia_dotdot_end(const char *rest);
const char *procvia_magic_end(const char *rest);
/* Open through the directory rest[0..end) (dotdot: it holds ".."). */
int procvia_open(struct shim_ctx *x, int procfd, const char *end, bool dotdot, int flags, mode_t mode);

/* ---- lastslot.c: the route's last step at the last free slot -------- */
/*
 * Open path (relative; a root's rest may start with '/') with openat2 and
 * flags/mode beneath take_dirfd (owned, taken: the verified directory the
 * route resolves in, the /proc root when proc - RESOLVE_BENEATH|NO_XDEV|
 * NO_MAGICLINKS - else a configured root - RESOLVE_IN_ROOT), with that
 * directory held as a helper thread's cwd instead of a descriptor.
 * Returns the fd (lowest free number, flags as given), the open's -errno,
 * or -EMFILE when the helper cannot be had or the open could block (a
 * FIFO).  For a route that got EMFILE while it held take_dirfd.
 */
int lastslot_open(int take_dirfd, const char *path, int flags, mode_t mode, bool proc);
/* readlinkat(O_PATH|O_NOFOLLOW open of sub beneath the /proc root, "")
 * the same way: the length (not terminated) or -errno. */
ssize_t lastslot_proc_readlink(int take_procfd, const char *sub, char *buf, size_t size);
/* sub with a leading "thread-self" replaced by procfd's link text (the
 * helper has a thread-self of its own), into buf.  0 or -errno. */
int lastslot_proc_sub(int procfd, const char *sub, char *buf, size_t size);

/* Shared slow paths for the families that reach one another. */
int shim_openat_slow(const char *call, int dirfd, const char *path, int flags, mode_t mode);

/* ---- ret.c: the one place -errno becomes -1 + errno ---------------- */
int shim_ret(struct shim_ctx *x, int r);
ssize_t shim_ret_ssize(struct shim_ctx *x, ssize_t r);
void *shim_ret_ptr(struct shim_ctx *x, void *p, int err);
/* For pass-through fallbacks without a shim_ctx. */
long shim_sys_ret(long r);

/* ---- log.c ---------------------------------------------------------- */
void shim_log_blocked(const char *call, const char *path, const char *why);
void shim_log_audit(const char *call, const char *path, enum classify_class cls, const char *decision,
                    const char *why);
void shim_log_note(const char *text);

#endif
