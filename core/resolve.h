/* SPDX-License-Identifier: Apache-2.0 */
/*
 * resolve.h - internal half of the contained resolver (the public half is
 * pathward_root_open / pathward_resolve in pathward.h).
 *
 *   resolve.c       the public entry points: input checks, flag
 *                   normalisation, the openat2(RESOLVE_IN_ROOT) route and the
 *                   decision to fall back to the walker;
 *   resolve-walk.c  the userspace walker (no openat2 needed);
 *   resolve-name.c  naming a held fd inside the root through /proc.
 *
 * Everything here returns -errno and is async-signal-safe.  Nothing is
 * allocated from the heap; the walker maps 168 KiB of anonymous memory for
 * the length of one call only when the symlink bodies it has to keep do not
 * fit in its PATH_MAX stack buffer (resolve-walk.c, walk_grow).
 * Stack, measured with -fstack-usage (x86_64, -O2): pathward_root_open about
 * 6.6 KiB on the walker route, 7.7 KiB when the last component is re-opened
 * through /proc (proc_reopen), 9.1 KiB when that has to read fdinfo for
 * mount ids (statx refused); pathward_resolve about 10.6 KiB on the walker
 * route (the walker plus the PATH_MAX buffer of its /proc check) and 4.4 KiB
 * on the kernel route.  Tested from a handler on a 16 KiB sigaltstack.
 */
#ifndef PATHWARD_RESOLVE_H
#define PATHWARD_RESOLVE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Linux MAXSYMLINKS: symlinks followed per resolution, nested bodies included. */
#define RESOLVE_MAXSYMLINKS 40

/*
 * Directory levels the walker can hold below the root (one O_PATH fd each,
 * so ".." never has to be looked up).  A deeper walk is -ENAMETOOLONG: 128
 * levels of one-byte names already need 256 bytes of canonical path, and the
 * bound keeps the walker's stack frame near 5 KiB (signal handlers).
 */
#define RESOLVE_DEPTH_MAX 128

/* What the walker is asked for. */
typedef enum resolve_kind {
	RESOLVE_KIND_OPEN,        /* open with the caller's flags, like openat2       */
	RESOLVE_KIND_OPEN_EXACT,  /* same, and F_GETFL shows exactly those flags     */
	RESOLVE_KIND_NAME,        /* canonical name, last component followed          */
	RESOLVE_KIND_NAME_NOLAST, /* canonical name, last component not followed and
	                             allowed to be missing (resolver.md §0 item 4)    */
} resolve_kind_t;

/*
 * The fd walker.  rootfd is borrowed; path is already checked (non-empty,
 * shorter than PATH_MAX).  KIND_OPEN: flags/mode are normalised open(2)
 * flags, the return value is a new fd opened with them.  KIND_NAME*: the
 * canonical path is written to buf (size bytes, NUL-terminated), verified
 * against /proc when /proc can name it, and its length is returned; -ERANGE
 * when buf is too small.
 */
int resolve_walk(int rootfd, const char *path, resolve_kind_t kind, int flags, mode_t mode, char *buf,
                 size_t size);

/*
 * pathward_root_open for the shim: on the userspace walk the last component
 * is re-opened through /proc so that F_GETFL shows exactly the caller's
 * flags (finding F4: a program must not see an O_NOFOLLOW it did not ask
 * for).  That costs a /proc route per open, which library callers, for whom
 * the extra bit changes nothing, do not pay.
 */
int resolve_root_open_exact(int rootfd, const char *path, int flags, mode_t mode, uint64_t rflags);

/*
 * Name fd inside rootfd: /proc's name of fd minus /proc's name of rootfd,
 * written to buf (size bytes) in the output form of resolver.md §0 item 10.
 * Returns the length; -EXDEV when fd is not below the root by name;
 * -ENOENT/-EACCES/-ENAMETOOLONG when /proc cannot name them (no procfs,
 * names of PATH_MAX or more); -ERANGE when buf is too small.
 */
int resolve_name_fd(int rootfd, int fd, char *buf, size_t size);

/*
 * Check that /proc names fd as rootfd's name followed by name[0..len)
 * (len >= 1, name starts with '/'; "/" means the root itself).  0 when it
 * does, -EXDEV when it does not, -errno when /proc cannot tell.
 */
int resolve_name_check(int rootfd, int fd, const char *name, size_t len);

#endif
