/* SPDX-License-Identifier: Apache-2.0 */
/*
 * proc.h - internal half of the procfs module (the public half is in
 * pathward.h).  Used by the shim and the launcher; not exported from
 * libpathward.a.
 */
#ifndef PATHWARD_PROC_H
#define PATHWARD_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "pathward.h"

/*
 * The process's own /proc, per call: open("/proc",
 * O_PATH|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC) and verify it is a genuine procfs
 * root (PROC_SUPER_MAGIC, inode 1).  The verified mount identity is
 * remembered (a value, never an fd) so later calls need one statx, not a
 * full verification.  Returns the fd (owned by the caller) or -EXDEV.
 */
int proc_own_root(void);

/*
 * Open subpath beneath a verified procfs root fd with the same rules as
 * pathward_proc_open (".." and absolute refused with -EXDEV, no mount
 * crossing, magic links only as the followed last component after the
 * parent/link mount-id check, -ELOOP otherwise), but flags and mode are
 * honoured exactly as open(2) would (O_CLOEXEC only when asked, O_CREAT
 * passed to the kernel so errno matches a native open), for the shim.
 * openat2 when it works; the O_PATH|O_NOFOLLOW walk when it answers ENOSYS
 * or EPERM (never cached).
 */
int proc_open_beneath(int procfd, const char *subpath, int flags, mode_t mode);

/* Mount id of fd (or of path under dirfd, not followed): statx
 * STATX_MNT_ID_UNIQUE/STATX_MNT_ID, else fdinfo mnt_id with the ino
 * cross-check.  *unique says which kind.  -errno on failure. */
int proc_mnt_id(int dirfd, const char *path, uint64_t *mnt_id, bool *unique);

/*
 * Re-open the object that opath (an O_PATH fd of a non-symlink; borrowed,
 * left open) holds, with exactly flags and mode, through procroot's
 * thread-self/fd/<opath> (proc-reopen.c): the new fd's F_GETFL is what the
 * caller asked for, with no O_NOFOLLOW added.  flags must not contain
 * O_NOFOLLOW.  Returns the new fd; the open's -errno; -EXDEV when the
 * result is not opath's (st_dev, st_ino); PROC_REOPEN_NOROUTE when procroot
 * offers no verified way to the fd directory (the caller then opens by
 * name as before).
 */
#define PROC_REOPEN_NOROUTE (-4097)
int proc_reopen(int procroot, int opath, int flags, mode_t mode);

#endif
