/* SPDX-License-Identifier: Apache-2.0 */
/*
 * proc-reopen.c - re-open an O_PATH descriptor with real open flags through
 * procfs, the way runc's ReopenFd and libpathrs do: opening
 * <procfs>/thread-self/fd/N makes the kernel jump to the very mount and
 * dentry that fd N holds (no lookup by name, so a symlink swapped in for
 * the name meanwhile is never seen) and open that with the flags given.
 *
 * Why the walkers need it (finding F4): without openat2 they open the last
 * component O_PATH|O_NOFOLLOW to see what it is.  Opening the name again
 * with the caller's flags must keep O_NOFOLLOW (else a symlink swapped in
 * between is followed, uncontained), and O_NOFOLLOW then shows in
 * fcntl(F_GETFL) although the caller never asked for it (it cannot be
 * cleared with F_SETFL).  The re-open gives exactly the caller's flags.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "fd.h"
#include "proc-internal.h"
#include "proc.h"
#include "strutil.h"
#include "sys.h"

/* path under fd (NULL: fd itself) lies on the mount whose id is rid. */
static int on_mount(int procroot, uint64_t rid, enum proc_mnt_kind kind, int fd, const char *path)
{
	uint64_t id;
	bool unique;
	int r = proc_mnt_id_kind(procroot, fd, path, kind, &id, &unique);
	if (r < 0)
		return r;
	return id == rid ? 0 : -EXDEV;
}

/*
 * procroot's "thread-self/fd" as an O_PATH fd, without openat2, and the
 * root's mount id in *rid / *kind for the caller's own check.  The one
 * symlink, thread-self, is opened O_PATH|O_NOFOLLOW, checked (procfs, the
 * root's mount: nothing mounted over it) and read through its own fd; its
 * body ("<tgid>/task/<tid>") and "fd" are then opened one directory at a
 * time with O_NOFOLLOW, so no symlink is followed on the way, each one
 * checked to be procfs.  A directory covered by another mount (procfs
 * binds included) leaves every later step on that mount, which the mount
 * check of the last one sees: mount ids are fetched twice, not per step
 * (with statx refused each one is an fdinfo read).  Not proc_walk: this
 * runs under the walkers' own frames (signal handlers, 16 KiB stacks) and
 * needs no PATH_MAX buffer.
 */
static int fd_dir_walk(int procroot, uint64_t *rid, enum proc_mnt_kind *kind)
{
	_cleanup_close_ int link = -EBADF, cur = -EBADF;
	char body[64];
	bool unique;
	ssize_t n;
	int r;

	r = proc_mnt_id_kind(procroot, procroot, "", PROC_MNT_ANY, rid, &unique);
	if (r < 0)
		return r;
	*kind = unique ? PROC_MNT_UNIQUE : PROC_MNT_OLD;
	link = sys_openat(procroot, "thread-self", O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
	if (link < 0)
		return link;
	r = proc_check_procfs(link);
	if (r == 0)
		r = on_mount(procroot, *rid, *kind, link, NULL);
	if (r < 0)
		return r;
	n = sys_readlinkat(link, "", body, sizeof(body) - 4);
	if (n <= 0)
		return n < 0 ? (int)n : -ENOENT;
	memcpy(body + n, "/fd", 4);
	if (proc_path_check(body) < 0)
		return -EXDEV; /* absolute or "..": not procfs's thread-self */
	for (char *p = body, *e; *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, '/');
		*e = '\0';
		int next = sys_openat(cur >= 0 ? cur : procroot, p, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC, 0);
		if (e < body + n + 3)
			*e = '/';
		if (next < 0)
			return next;
		safe_close(cur);
		cur = next;
		r = proc_check_procfs(cur);
		if (r < 0)
			return r;
	}
	r = on_mount(procroot, *rid, *kind, cur, NULL);
	if (r < 0)
		return r;
	return TAKE_FD(cur);
}

int proc_reopen(int procroot, int opath, int flags, mode_t mode)
{
	_cleanup_close_ int dir = -EBADF, fd = -EBADF;
	enum proc_mnt_kind kind;
	char name[24];
	struct stat a, b;
	uint64_t rid;

	if (procroot < 0 || opath < 0 || (flags & O_NOFOLLOW))
		return PROC_REOPEN_NOROUTE;
	str_utoa(name, (uint64_t)opath);
	/* The fd directory by a checked route, never by a plain lookup: a
	 * bind over "thread-self" (or a symlink mounted over a directory on
	 * the way) could otherwise lead to another task's table on the same
	 * mount.  openat2 with RESOLVE_NO_XDEV refuses any mount crossing;
	 * without it, fd_dir_walk checks every step.  No thread-self (before
	 * 3.17, a procfs of a pid namespace we are not in, a thread whose fd
	 * directory we may not search): no route. */
	dir = sys_openat2(procroot, "thread-self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC, 0,
	                  RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS);
	if (dir == -ENOSYS || dir == -EPERM) {
		dir = fd_dir_walk(procroot, &rid, &kind);
		/* Nothing mounted over the link itself (follow_magic's rule). */
		if (dir >= 0 && on_mount(procroot, rid, kind, dir, name) < 0)
			return PROC_REOPEN_NOROUTE;
	} else if (dir >= 0 && proc_mnt_same(procroot, dir, "", dir, name) < 0) {
		return PROC_REOPEN_NOROUTE;
	}
	if (dir < 0)
		return PROC_REOPEN_NOROUTE;
	fd = sys_openat(dir, name, flags, mode);
	if (fd < 0)
		return fd; /* the open's own answer (EACCES, EISDIR, ENXIO, ...) */
	/* Both stats after the open: an overlayfs copy-up during the open
	 * shows in both.  A different object means /proc was tampered with
	 * between the check and the open (possible only on a shared /proc). */
	if (sys_fstat(opath, &a) < 0 || sys_fstat(fd, &b) < 0)
		return -EBADF;
	if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return -EXDEV;
	return TAKE_FD(fd);
}
