/* SPDX-License-Identifier: Apache-2.0 */
/*
 * proc-internal.h - what the procfs module's files share among themselves
 * (proc-mntid.c, proc-resolve.c, proc-handle.c, proc.c).  Not a contract for
 * other modules: they use proc.h and pathward.h.
 */
#ifndef PATHWARD_PROC_INTERNAL_H
#define PATHWARD_PROC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "pathward.h"
#include "sys.h"

#define PROC_ROOT_INO 1

/* Which kind of mount id a caller needs, so that two ids it compares come
 * from the same namespace of numbers (old ids are recycled, unique are not). */
enum proc_mnt_kind {
	PROC_MNT_ANY = 0, /* unique if the kernel has it, else old          */
	PROC_MNT_UNIQUE,  /* STATX_MNT_ID_UNIQUE or -EOPNOTSUPP             */
	PROC_MNT_OLD,     /* STATX_MNT_ID, else fdinfo "mnt_id:"            */
};

/*
 * Mount id of path under dirfd (not followed; NULL or "" = dirfd itself).
 * When statx cannot say (ENOSYS, EPERM, EINVAL, mask bit missing), read
 * "mnt_id:" from thread-self/fdinfo/<fd> under procroot, a verified procfs
 * root, and require its "ino:" line to match the object's inode.
 */
int proc_mnt_id_kind(int procroot, int dirfd, const char *path, enum proc_mnt_kind kind, uint64_t *id,
                     bool *unique);

/*
 * 0 when path_b under fd_b lies on the same mount as path_a under fd_a,
 * -EXDEV when not, -errno when a mount id cannot be had.  Both ids are
 * fetched now, of the same kind.
 */
int proc_mnt_same(int procroot, int fd_a, const char *path_a, int fd_b, const char *path_b);

/* fd is on procfs?  0, -EXDEV or -errno. */
int proc_check_procfs(int fd);

/* fd is a genuine procfs root (PROC_SUPER_MAGIC, inode 1)?  0 or -EXDEV. */
int proc_check_root(int fd);

/*
 * Refuse what must never reach a lookup: an absolute path or a ".."
 * component (-EXDEV).  NULL is -EINVAL.
 */
int proc_path_check(const char *path);

/*
 * The resolver.  path is relative to rootfd (a verified procfs root),
 * already checked by proc_path_check; "" is the root itself.  flags are
 * passed to the final open as given (the caller adds O_CLOEXEC); mode is
 * used only with O_CREAT / O_TMPFILE.  openat2 first; the walk when openat2
 * answers ENOSYS or EPERM.
 */
int proc_resolve(int rootfd, const char *path, int flags, mode_t mode);

/* The component walk alone (tests of the fallback use it through seccomp;
 * exposed here so the resolver's pieces stay in one file each). */
int proc_walk(int rootfd, const char *path, int flags, mode_t mode);

/* A readlink target that only a magic link produces: absolute ("/usr/bin/x",
 * "/dev/pts/0 (deleted)"), anon-inode style ("pipe:[12]",
 * "anon_inode:inotify"), or "(unreachable)/...". */
bool proc_link_is_magic(const char *target);


/* The default handle (cached when subset && detached), or a new one the
 * caller must close with pathward_proc_handle_close(). */
int proc_default_handle(pathward_proc_handle_t *h);

/* After -EBADF/-ENOTDIR through the cached handle: drop it from the cache
 * if its fd is no longer a procfs root.  true when dropped (retry). */
bool proc_cache_drop_if_stale(const pathward_proc_handle_t *h);

#endif
