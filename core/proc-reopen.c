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
#include <sys/stat.h>

#include "fd.h"
#include "proc-internal.h"
#include "proc.h"
#include "sys.h"

int proc_reopen(int procroot, int opath, int flags, mode_t mode)
{
	_cleanup_close_ int dir = -EBADF, fd = -EBADF;
	char name[24];
	struct stat a, b;

	if (procroot < 0 || opath < 0 || (flags & O_NOFOLLOW))
		return PROC_REOPEN_NOROUTE;
	proc_utoa(name, (uint64_t)opath);
	/* The fd directory through the verified resolver (openat2 with
	 * RESOLVE_NO_XDEV, or the checked walk), never by a plain lookup: a
	 * bind over "thread-self" could otherwise lead to another task's
	 * table on the same mount.  No thread-self (before 3.17, a procfs of
	 * a pid namespace we are not in, a non-dumpable thread): no route. */
	dir = proc_resolve(procroot, "thread-self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (dir < 0)
		return PROC_REOPEN_NOROUTE;
	/* Nothing mounted over the link itself (follow_magic's rule). */
	if (proc_mnt_same(procroot, dir, "", dir, name) < 0)
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
