/* SPDX-License-Identifier: Apache-2.0 */
/*
 * proc-mntid.c - mount ids of procfs objects, and the procfs type checks.
 *
 * A mount id is what tells a genuine procfs file from the same procfs file
 * bind-mounted somewhere else (procfs.md A1, A4): fstatfs cannot, because
 * a bind of procfs is still procfs.  statx gives it (STATX_MNT_ID 5.8,
 * STATX_MNT_ID_UNIQUE 6.8); when statx is missing or blocked by seccomp, the
 * "mnt_id:" line of the fd's fdinfo does, cross-checked by its "ino:" line
 * (5.14+) so that a fake fdinfo cannot be substituted (libpathrs's rule).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "fd.h"
#include "proc-internal.h"
#include "proc.h"
#include "strutil.h"
#include "sys.h"

int proc_check_procfs(int fd)
{
	struct statfs sfs;
	int r = sys_fstatfs(fd, &sfs);
	if (r < 0)
		return r;
	return sfs.f_type == PROC_SUPER_MAGIC ? 0 : -EXDEV;
}

int proc_check_root(int fd)
{
	struct stat st;
	int r = proc_check_procfs(fd);
	if (r < 0)
		return r == -EBADF ? r : -EXDEV;
	r = sys_fstat(fd, &st);
	if (r < 0)
		return r;
	return st.st_ino == PROC_ROOT_INO && S_ISDIR(st.st_mode) ? 0 : -EXDEV;
}

/* Decimal after "key:" and tabs in the fdinfo text, or -ENOENT. */
static int fdinfo_field(const char *text, const char *key, uint64_t *v)
{
	size_t klen = strlen(key);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) != 0 || p[klen] != ':')
			continue;
		p += klen + 1;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		uint64_t n = 0;
		for (; *p >= '0' && *p <= '9'; p++)
			n = n * 10 + (uint64_t)(*p - '0');
		*v = n;
		return 0;
	}
	return -ENOENT;
}

/*
 * Open <dir>/fdinfo/<fd> under procroot.  openat2 keeps it on the root's
 * mount; without openat2 a plain lookup is used and the result is trusted
 * only because the caller checks procfs, the device of procroot and the
 * "ino:" line (a bind from another procfs instance or another fs fails the
 * first two, a bind of another fdinfo file the third).
 */
static int fdinfo_open(int procroot, const char *dir, int fd)
{
	char path[64];
	size_t n = strlen(dir);
	memcpy(path, dir, n);
	memcpy(path + n, "/fdinfo/", 9);
	str_utoa(path + n + 8, (uint64_t)fd);
	int r = sys_openat2(procroot, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0,
	                    RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS);
	if (r == -ENOSYS || r == -EPERM)
		r = sys_openat(procroot, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
	return r;
}

/* "mnt_id:" of fd from one fdinfo directory, or -EXDEV when that file is
 * not the genuine fdinfo of fd. */
static int fdinfo_read(int procroot, const char *dir, int fd, const struct stat *st, uint64_t *id)
{
	_cleanup_close_ int info = fdinfo_open(procroot, dir, fd);
	struct stat rst, ist;
	char text[1024];
	uint64_t ino;
	ssize_t n;

	if (info < 0)
		return info;
	if (proc_check_procfs(info) < 0 || sys_fstat(procroot, &rst) < 0 || sys_fstat(info, &ist) < 0 ||
	    ist.st_dev != rst.st_dev)
		return -EXDEV;
	n = sys_read(info, text, sizeof(text) - 1);
	if (n < 0)
		return (int)n;
	text[n] = '\0';
	/* "ino:" exists since 5.14; a missing one is a fake or a kernel we do
	 * not support without statx. */
	if (fdinfo_field(text, "ino", &ino) < 0 || ino != (uint64_t)st->st_ino)
		return -EXDEV;
	if (fdinfo_field(text, "mnt_id", id) < 0)
		return -EXDEV;
	return 0;
}

/*
 * thread-self/fdinfo first (right even after unshare(CLONE_FILES)), then
 * self/fdinfo, which still answers when the task directory is covered
 * (procfs.md A6).  Not found or not genuine in either: -EXDEV, the mount
 * cannot be vouched for.
 */
static int mnt_id_fdinfo(int procroot, int fd, uint64_t *id)
{
	struct stat st;
	int r;

	if (sys_fstat(fd, &st) < 0)
		return -EBADF;
	r = fdinfo_read(procroot, "thread-self", fd, &st, id);
	if (r == 0 || r == -EMFILE || r == -ENFILE || r == -ENOMEM)
		return r;
	r = fdinfo_read(procroot, "self", fd, &st, id);
	if (r == 0 || r == -EMFILE || r == -ENFILE || r == -ENOMEM)
		return r;
	return -EXDEV;
}

static unsigned kind_mask(enum proc_mnt_kind kind)
{
	switch (kind) {
	case PROC_MNT_UNIQUE:
		return STATX_MNT_ID_UNIQUE;
	case PROC_MNT_OLD:
		return STATX_MNT_ID;
	case PROC_MNT_ANY:
		break;
	}
	return STATX_MNT_ID_UNIQUE | STATX_MNT_ID;
}

int proc_mnt_id_kind(int procroot, int dirfd, const char *path, enum proc_mnt_kind kind, uint64_t *id,
                     bool *unique)
{
	_cleanup_close_ int fd = -EBADF;
	struct statx stx;
	bool empty = !path || !*path;
	int r;

	r = sys_statx(dirfd, empty ? "" : path, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC,
	              kind_mask(kind), &stx);
	if (r == 0) {
		if ((stx.stx_mask & STATX_MNT_ID_UNIQUE) && kind != PROC_MNT_OLD) {
			*id = stx.stx_mnt_id;
			*unique = true;
			return 0;
		}
		if ((stx.stx_mask & STATX_MNT_ID) && kind != PROC_MNT_UNIQUE) {
			*id = stx.stx_mnt_id;
			*unique = false;
			return 0;
		}
	} else if (r != -ENOSYS && r != -EPERM && r != -EINVAL) {
		return r;
	}
	/* fdinfo knows only the old kind. */
	if (kind == PROC_MNT_UNIQUE)
		return -EOPNOTSUPP;
	if (!empty) {
		fd = sys_openat(dirfd, path, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
		if (fd < 0)
			return fd;
	}
	r = mnt_id_fdinfo(procroot, empty ? dirfd : fd, id);
	if (r < 0)
		return r;
	*unique = false;
	return 0;
}

int proc_mnt_same(int procroot, int fd_a, const char *path_a, int fd_b, const char *path_b)
{
	uint64_t a, b;
	bool ua, ub;
	int r = proc_mnt_id_kind(procroot, fd_a, path_a, PROC_MNT_ANY, &a, &ua);
	if (r < 0)
		return r;
	r = proc_mnt_id_kind(procroot, fd_b, path_b, ua ? PROC_MNT_UNIQUE : PROC_MNT_OLD, &b, &ub);
	if (r == -EOPNOTSUPP) {
		/* statx went away between the two calls (a seccomp filter was
		 * installed): redo both from fdinfo. */
		r = proc_mnt_id_kind(procroot, fd_a, path_a, PROC_MNT_OLD, &a, &ua);
		if (r == 0)
			r = proc_mnt_id_kind(procroot, fd_b, path_b, PROC_MNT_OLD, &b, &ub);
	}
	if (r < 0)
		return r;
	return a == b ? 0 : -EXDEV;
}

int proc_mnt_id(int dirfd, const char *path, uint64_t *mnt_id, bool *unique)
{
	_cleanup_close_ int root = -EBADF;
	struct statx stx;
	bool empty = !path || !*path;
	int r;

	if (!mnt_id || !unique)
		return -EINVAL;
	/* Fast answer without opening /proc when statx has it. */
	r = sys_statx(dirfd, empty ? "" : path, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC,
	              STATX_MNT_ID_UNIQUE | STATX_MNT_ID, &stx);
	if (r == 0 && (stx.stx_mask & (STATX_MNT_ID_UNIQUE | STATX_MNT_ID))) {
		*mnt_id = stx.stx_mnt_id;
		*unique = (stx.stx_mask & STATX_MNT_ID_UNIQUE) != 0;
		return 0;
	}
	if (r < 0 && r != -ENOSYS && r != -EPERM && r != -EINVAL)
		return r;
	root = proc_own_root();
	if (root < 0)
		return root;
	return proc_mnt_id_kind(root, dirfd, path, PROC_MNT_OLD, mnt_id, unique);
}
