/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pathward.h - safe access to /proc and to paths inside a container root.
 *
 * Conventions for every function here:
 *   - returns >= 0 on success and -errno on failure; errno is not a channel
 *     (it may be clobbered by the syscalls made, never relied upon);
 *   - every descriptor returned is new, owned by the caller, and O_CLOEXEC;
 *   - descriptors passed in are borrowed, never closed;
 *   - no function allocates memory, takes a lock or writes output, so all of
 *     them may be called from signal handlers and vfork children.
 *
 * Only the pathward_* names are exported from libpathward.a.
 */
#ifndef PATHWARD_H
#define PATHWARD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PATHWARD_API __attribute__((visibility("default")))
#else
#define PATHWARD_API
#endif

#define PATHWARD_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* The verified procfs handle (DESIGN §1.1)                            */
/* ------------------------------------------------------------------ */

/*
 * Where a subpath starts.  An encoded integer, not a string: the tag lives in
 * the top 32 bits so that a PID can never be confused with a named base.
 * Unknown values, PID 0 and PIDs above PATHWARD_PROC_PID_MAX give -EINVAL.
 */
typedef uint64_t pathward_proc_base_t;

#define PATHWARD_PROC_ROOT        ((pathward_proc_base_t)0xFFFFFFFE00000000ULL)
#define PATHWARD_PROC_SELF        ((pathward_proc_base_t)0xFFFFFFFE00000001ULL)
#define PATHWARD_PROC_THREAD_SELF ((pathward_proc_base_t)0xFFFFFFFE00000002ULL)
#define PATHWARD_PROC_PID(n)      ((pathward_proc_base_t)(0x8000000000000000ULL | (uint32_t)(n)))
/* The kernel's PID_MAX_LIMIT (4 * 1024 * 1024 on 64-bit). */
#define PATHWARD_PROC_PID_MAX     4194304U

/* How the handle's procfs root was obtained, best first. */
typedef enum pathward_proc_tier {
	PATHWARD_PROC_TIER_NONE = 0,
	PATHWARD_PROC_TIER_FSOPEN,        /* fresh instance: fsopen + fsmount      */
	PATHWARD_PROC_TIER_OPEN_TREE,     /* open_tree(/proc, OPEN_TREE_CLONE)     */
	PATHWARD_PROC_TIER_OPEN_TREE_REC, /* same with AT_RECURSIVE (keeps masks)  */
	PATHWARD_PROC_TIER_HOST,          /* open("/proc"): the process's own view */
} pathward_proc_tier_t;

/* Properties of a handle (pathward_proc_handle_t.flags). */
#define PATHWARD_PROC_F_SUBSET     0x01u /* subset=pid: no global files        */
#define PATHWARD_PROC_F_DETACHED   0x02u /* a detached tree: ".." stays inside  */
#define PATHWARD_PROC_F_CACHED     0x04u /* the process-wide cached handle     */
#define PATHWARD_PROC_F_OWN_PIDNS  0x08u /* "self" is getpid() in this procfs  */
#define PATHWARD_PROC_F_MNT_UNIQUE 0x10u /* mnt_id is STATX_MNT_ID_UNIQUE      */

/*
 * A handle.  The caller owns the storage; fd is owned by the handle unless
 * PATHWARD_PROC_F_CACHED is set, and pathward_proc_handle_close() knows which.
 */
typedef struct pathward_proc_handle {
	int fd;                   /* O_PATH directory fd on the procfs root */
	pathward_proc_tier_t tier;
	unsigned flags;           /* PATHWARD_PROC_F_* */
	uint64_t mnt_id;          /* mount id of the root, recorded at verification */
} pathward_proc_handle_t;

/* How to build a handle (pathward_proc_handle_open's how). */
#define PATHWARD_PROC_DEFAULT  0x0u /* restricted (subset=pid), cached if detached */
#define PATHWARD_PROC_UNMASKED 0x1u /* full procfs for global files; never cached  */
#define PATHWARD_PROC_OWN_VIEW 0x2u /* the process's own /proc mount, verified to
                                       be a genuine procfs root of our pid
                                       namespace; never cached, no fd kept by us */

/*
 * Build a handle by walking the candidate ladder (fsopen, open_tree clone,
 * recursive clone, /proc) and verifying each candidate: PROC_SUPER_MAGIC,
 * root inode 1, mount id recorded, detached or not.  A candidate that fails
 * verification falls through to the next one.  OWN_VIEW skips the ladder.
 * Returns 0 and fills *h, or -errno (-EXDEV: no genuine procfs reachable,
 * -EINVAL: unknown bits in how).
 */
PATHWARD_API int pathward_proc_handle_open(pathward_proc_handle_t *h, unsigned how);

/* Release a handle (closes its fd unless it is the cached one).  NULL is ok. */
PATHWARD_API void pathward_proc_handle_close(pathward_proc_handle_t *h);

/* Human-readable tier name ("fsopen", "open_tree", ...), never NULL. */
PATHWARD_API const char *pathward_proc_tier_name(pathward_proc_tier_t tier);

/*
 * Open base/subpath under h (NULL: the default handle, with a temporary
 * unmasked handle on ENOENT for global files, as libpathrs does).
 * subpath is relative; NULL or "" names the base itself.  An absolute
 * subpath or a ".." component is -EXDEV before any lookup.  Resolution is
 * openat2(RESOLVE_BENEATH|RESOLVE_NO_XDEV|RESOLVE_NO_MAGICLINKS), or without
 * openat2 a component walk with the same checks.  flags are open(2) flags:
 * with O_NOFOLLOW the last component is not followed; without it a trailing
 * magic link (fd/N, exe, cwd, root) is followed only after its mount id is
 * checked against its parent's.  A magic link in the middle is -ELOOP.
 * O_CREAT, O_TMPFILE, O_EXCL, unknown flag bits and access mode 3 are
 * -EINVAL.  -EXDEV: an overmount or a non-procfs object was met.  A name
 * longer than NAME_MAX is -ENOENT (what procfs itself answers); a whole
 * path of PATH_MAX bytes or more is -ENAMETOOLONG.  A handle the caller
 * filled in by hand is not re-verified: pass only handles from
 * pathward_proc_handle_open().  Returns a new O_CLOEXEC fd.
 */
PATHWARD_API int pathward_proc_open(const pathward_proc_handle_t *h, pathward_proc_base_t base,
                                    const char *subpath, int flags);

/*
 * Read the symlink base/subpath (not followed) through an O_PATH|O_NOFOLLOW
 * fd and readlinkat(fd, "").  snprintf-like: writes at most size bytes
 * including a terminating NUL (nothing when size is 0; buf may then be
 * NULL) and returns the full length of the link text, so a return >= size
 * means truncated.  -EINVAL: not a symlink, or buf NULL with size > 0.
 */
PATHWARD_API ssize_t pathward_proc_readlink(const pathward_proc_handle_t *h, pathward_proc_base_t base,
                                            const char *subpath, char *buf, size_t size);

/*
 * What /proc/thread-self/fd/<fd> says, read through the default handle with
 * the link's mount id checked against the handle's.  For diagnostics only:
 * never re-open the returned text.  Same length rule as
 * pathward_proc_readlink; -EBADF for a negative fd or one that is not open.
 */
PATHWARD_API ssize_t pathward_proc_self_fd_readlink(int fd, char *buf, size_t size);

/* ------------------------------------------------------------------ */
/* The contained resolver (DESIGN §1.2)                                */
/* ------------------------------------------------------------------ */

/* Resolve flags. */
#define PATHWARD_RESOLVE_EXCEPT_LAST (1ULL << 0) /* string form: do not follow the last component */
#define PATHWARD_RESOLVE_USERSPACE   (1ULL << 1) /* use the fd walker even if openat2 works       */
#define PATHWARD_RESOLVE_KERNEL      (1ULL << 2) /* openat2 only: -ENOSYS/-EPERM instead of walking */

/*
 * Open path inside the directory rootfd as openat2(rootfd, path,
 * RESOLVE_IN_ROOT) would: every symlink (absolute or relative) and every
 * ".." is interpreted inside the root and can never leave it; magic links
 * are -EXDEV; 40 symlinks at most (-ELOOP).  path is relative to the root
 * whether or not it starts with "/".  flags/mode are open(2)'s: O_CREAT
 * creates inside the root (also through a dangling symlink with an absolute
 * target), O_NOFOLLOW, O_DIRECTORY, O_PATH and trailing slashes keep their
 * kernel meaning.  openat2 is used when it works (EAGAIN retried); without
 * it (ENOSYS, EPERM) an fd-based walk opens the same object, with one
 * visible difference: the walk pins its final open with O_NOFOLLOW, so
 * fcntl(F_GETFL) may show that bit (it changes nothing after open); and two
 * limits of its own: more than 127 directory levels held at once is
 * -ENAMETOOLONG, and symlink bodies that do not fit in PATH_MAX together
 * need a 168 KiB anonymous mapping for the call (-ENOMEM if refused).
 * Returns a new O_CLOEXEC fd.
 */
PATHWARD_API int pathward_root_open(int rootfd, const char *path, int flags, mode_t mode, uint64_t rflags);

/*
 * The string form (procfsroot's EvalSymlinks): the contained canonical path
 * of path inside rootfd, absolute within the root ("/" for the root itself,
 * single slashes, no trailing slash), written NUL-terminated to buf.
 * With PATHWARD_RESOLVE_EXCEPT_LAST the last component is not followed and
 * may be missing when its parent is an existing directory.
 *
 * WARNING: the string is stale the moment it is returned.  Anything can be
 * renamed or replaced between this call and a later use of the string, and
 * re-walking it with ordinary path calls follows symlinks outside the root.
 * Use pathward_root_open() to act on a file; use this for diagnostics and
 * for callers that only need a name.
 *
 * Returns the string length, -ERANGE when buf is too small, or -errno
 * (-ENOENT for "" or a missing component, -ENAMETOOLONG for >= PATH_MAX
 * bytes or a component > NAME_MAX, -ELOOP, -ENOTDIR, -EXDEV for a magic link).
 */
PATHWARD_API int pathward_resolve(int rootfd, const char *path, uint64_t rflags, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif /* PATHWARD_H */
