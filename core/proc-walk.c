/* SPDX-License-Identifier: Apache-2.0 */
/*
 * proc-walk.c - the resolver without openat2 (kernel < 5.6, or a seccomp
 * profile answering ENOSYS/EPERM), giving what openat2(RESOLVE_BENEATH|
 * RESOLVE_NO_XDEV|RESOLVE_NO_MAGICLINKS) plus proc-resolve.c's magic-link
 * rule give.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "fd.h"
#include "proc-internal.h"
#include "proc.h"
#include "sys.h"

#define PROC_MAX_LINKS 40

/* A step is acceptable when it is procfs on the root's mount. */
static int check_step(int rootfd, int fd)
{
	int r = proc_check_procfs(fd);
	if (r < 0)
		return r;
	return proc_mnt_same(rootfd, rootfd, "", fd, "");
}

/*
 * The last component with the caller's flags.  opath is its O_PATH|O_NOFOLLOW
 * fd, already checked (-EBADF: a missing name with O_CREAT).  The new fd
 * must be the same inode, on procfs, on the root's mount (an overmount
 * placed meanwhile fails the last two).  How it is opened keeps F_GETFL
 * what the caller asked for (DESIGN §2, finding F4):
 *   - a directory: "." under opath (a "." lookup never follows anything);
 *   - O_PATH|O_NOFOLLOW on anything else: a dup of opath itself;
 *   - O_NOFOLLOW asked: the name again, as asked;
 *   - otherwise a re-open of opath through rootfd's thread-self/fd/N
 *     (proc_reopen).  Opening the name again would need O_NOFOLLOW added
 *     (a symlink swapped in meanwhile must not be followed), which F_GETFL
 *     shows and F_SETFL cannot clear.  Only when rootfd offers no verified
 *     way to our fd directory (no thread-self: before 3.17, a procfs of
 *     another pid namespace) is the name opened with O_NOFOLLOW added, a
 *     visible flag rather than a failure.
 * With O_CREAT|O_EXCL the kernel never follows the last component and does
 * not show O_NOFOLLOW, so none is added there.
 */
static int final_open(int rootfd, int dirfd, const char *name, int opath, int flags, mode_t mode)
{
	_cleanup_close_ int fd = -EBADF;
	bool excl = (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
	struct stat a, b;
	int r;

	if (opath >= 0 && sys_fstat(opath, &a) < 0)
		return -EBADF;
	if (opath < 0)
		fd = sys_openat(dirfd, name, flags | (excl ? 0 : O_NOFOLLOW), mode);
	else if (S_ISDIR(a.st_mode))
		fd = sys_openat(opath, ".", flags, mode);
	else if ((flags & (O_PATH | O_NOFOLLOW)) == (O_PATH | O_NOFOLLOW) && !(flags & O_DIRECTORY))
		fd = sys_fcntl(opath, (flags & O_CLOEXEC) ? F_DUPFD_CLOEXEC : F_DUPFD, 0);
	else if ((flags & O_NOFOLLOW) || excl || S_ISLNK(a.st_mode))
		fd = sys_openat(dirfd, name, flags | (excl ? 0 : O_NOFOLLOW), mode);
	else {
		fd = proc_reopen(rootfd, opath, flags, mode);
		if (fd == PROC_REOPEN_NOROUTE)
			fd = sys_openat(dirfd, name, flags | O_NOFOLLOW, mode);
	}
	if (fd < 0)
		return fd;
	r = check_step(rootfd, fd);
	if (r < 0)
		return r;
	if (opath >= 0) {
		if (sys_fstat(fd, &b) < 0)
			return -EBADF;
		if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
			return -EXDEV;
	}
	return TAKE_FD(fd);
}

/* Replace the unresolved rest of the path in buf (rest points into buf)
 * by target + "/" + rest, or target (+ "/" when the link was last and had
 * a trailing slash).  In place: this may run on a small signal stack. */
static int splice_link(char *buf, const char *rest, const char *target, bool last, bool slash)
{
	size_t tl = strlen(target), rl = last ? 0 : strlen(rest);
	int r = proc_path_check(target);
	if (r < 0)
		return r;
	if (tl + 1 + rl + 1 > PATH_MAX)
		return -ENAMETOOLONG;
	if (!last)
		memmove(buf + tl + 1, rest, rl + 1);
	memcpy(buf, target, tl);
	if (!last) {
		buf[tl] = '/';
	} else {
		buf[tl] = slash ? '/' : '\0';
		buf[tl + 1] = '\0';
	}
	return 0;
}

/*
 * The walk.  cur starts at the root.  For each component name:
 *   "."  - stays (the last one re-opens cur with the caller's flags);
 *   ".." - -EXDEV (also inside symlink targets; procfs has none);
 *   else - openat(cur, name, O_PATH|O_NOFOLLOW), then procfs + root's mount
 *          or -EXDEV.  A symlink is read through that fd (no second walk):
 *          an ordinary target (relative: "self" -> "42") is spliced in front
 *          of the rest and resolved from cur, at most 40 times (-ELOOP); a
 *          magic target is followed only when it is the last component and
 *          the caller follows (the link and its parent passed the mount
 *          check), else -ELOOP.  A directory becomes cur; the last
 *          component is re-opened with the caller's flags (final_open).
 * A trailing slash requires a directory and follows an ordinary symlink
 * even with O_NOFOLLOW, as the kernel does.
 */
int proc_walk(int rootfd, const char *path, int flags, mode_t mode)
{
	_cleanup_close_ int owned = -EBADF;
	/* target only needs to hold procfs's ordinary symlinks ("42",
	 * "self/mounts", "42/task/42"); a longer one is taken as magic */
	char buf[PATH_MAX], name[NAME_MAX + 1], target[128];
	int cur = rootfd, links = 0, r;
	struct stat st;

	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, strlen(path) + 1);
	for (char *p = buf;;) {
		while (*p == '/')
			p++;
		if (!*p)
			return final_open(rootfd, cur, ".", cur, flags, mode);
		char *end = strchrnul(p, '/'), *next = end;
		while (*next == '/')
			next++;
		bool last = !*next, slash = last && next != end;
		/* procfs never checks NAME_MAX: a longer name is simply
		 * absent, as openat2 reports it */
		if ((size_t)(end - p) > NAME_MAX)
			return -ENOENT;
		memcpy(name, p, (size_t)(end - p));
		name[end - p] = '\0';
		p = next;
		int fl = flags | (slash ? O_DIRECTORY : 0);

		if (strcmp(name, ".") == 0) {
			if (last)
				return final_open(rootfd, cur, ".", cur, fl, mode);
			continue;
		}
		if (strcmp(name, "..") == 0)
			return -EXDEV;
		_cleanup_close_ int fd = sys_openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
		if (fd == -ENOENT && last && (flags & O_CREAT))
			return final_open(rootfd, cur, name, -EBADF, fl, mode);
		if (fd < 0)
			return fd;
		r = check_step(rootfd, fd);
		if (r < 0)
			return r;
		if (sys_fstat(fd, &st) < 0)
			return -EBADF;
		if (S_ISLNK(st.st_mode)) {
			ssize_t n = sys_readlinkat(fd, "", target, sizeof(target) - 1);
			if (n < 0)
				return (int)n;
			target[n] = '\0';
			bool magic = (size_t)n >= sizeof(target) - 1 || proc_link_is_magic(target);
			bool follow = !last || !(flags & O_NOFOLLOW) || (slash && !magic);
			if (!follow)
				return (flags & O_PATH) && !slash ? final_open(rootfd, cur, name, fd, fl, mode) : -ELOOP;
			if (magic)
				return last ? sys_openat(cur, name, fl, mode) : -ELOOP;
			if (++links > PROC_MAX_LINKS)
				return -ELOOP;
			r = splice_link(buf, p, target, last, slash);
			if (r < 0)
				return r;
			p = buf;
			continue;
		}
		if (last)
			return final_open(rootfd, cur, name, fd, fl, mode);
		if (!S_ISDIR(st.st_mode))
			return -ENOTDIR;
		owned = safe_close(owned);
		cur = owned = TAKE_FD(fd);
	}
}
