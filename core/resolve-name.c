/* SPDX-License-Identifier: Apache-2.0 */
/*
 * resolve-name.c - name a held fd inside a root through /proc.
 *
 * /proc/thread-self/fd/N reads as the kernel's d_path of the open file, so
 * "name of fd" minus "name of rootfd" is fd's path inside the root, and a
 * mismatch means fd is not below the root (any more).  Both names are read
 * into one PATH_MAX buffer, fd's first, the root's right after it: the root's
 * name is a prefix of fd's whenever the answer is "inside", so it fits
 * unless the two together reach PATH_MAX, which is reported as
 * -ENAMETOOLONG (the caller then falls back to the walker's own names).
 *
 * The text comes from the process's /proc.  A hostile mount over /proc could
 * lie here; the string form says it is for diagnostics, and the fd form never
 * depends on it (resolver.md §7, "Trusting /proc itself").
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "resolve.h"
#include "sys.h"

/* readlink("/proc/thread-self/fd/<fd>"), or "/proc/self/fd/<fd>" on kernels
 * before 3.17 that have no thread-self.  Returns the length (== size when
 * the text may be truncated) or -errno. */
static ssize_t fd_readlink(int fd, char *buf, size_t size)
{
	static const char ts[] = "/proc/thread-self/fd/";
	static const char ps[] = "/proc/self/fd/";
	char path[sizeof(ts) + 12], digits[12];
	size_t nd = 0, off;
	unsigned v = (unsigned)fd;
	ssize_t r;

	if (fd < 0)
		return -EBADF;
	do
		digits[nd++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	for (int pass = 0; pass < 2; pass++) {
		const char *pre = pass == 0 ? ts : ps;
		off = pass == 0 ? sizeof(ts) - 1 : sizeof(ps) - 1;
		memcpy(path, pre, off);
		for (size_t i = 0; i < nd; i++)
			path[off + i] = digits[nd - 1 - i];
		path[off + nd] = '\0';
		r = sys_readlinkat(AT_FDCWD, path, buf, size);
		if (r != -ENOENT || pass == 1)
			break;
	}
	return r;
}

/*
 * Read fd's name into work[0..*hlen) and check that the root's name is a
 * prefix of it ending at a component boundary.  *pre is the length of that
 * prefix (0 for a root named "/", so that the remainder always starts with
 * '/' or is empty for the root itself).
 */
static int name_pair(int rootfd, int fd, char *work, size_t *hlen, size_t *pre)
{
	ssize_t h, r;

	h = fd_readlink(fd, work, PATH_MAX);
	if (h < 0)
		return (int)h;
	if ((size_t)h >= PATH_MAX)
		return -ENAMETOOLONG;
	r = fd_readlink(rootfd, work + h, PATH_MAX - (size_t)h);
	if (r < 0)
		return (int)r;
	if ((size_t)r >= PATH_MAX - (size_t)h)
		return r > h ? -EXDEV : -ENAMETOOLONG;
	if (h == 0 || work[0] != '/' || r == 0 || work[h] != '/')
		return -EXDEV; /* not a path (pipe:[...], anon_inode:...) */
	if (r == 1)
		r = 0; /* the root is "/": everything absolute is below it */
	if (r > h || memcmp(work, work + h, (size_t)r) != 0 || (h > r && work[r] != '/'))
		return -EXDEV;
	*hlen = (size_t)h;
	*pre = (size_t)r;
	return 0;
}

int resolve_name_fd(int rootfd, int fd, char *buf, size_t size)
{
	char work[PATH_MAX];
	size_t hlen, pre, len;
	int r;

	r = name_pair(rootfd, fd, work, &hlen, &pre);
	if (r < 0)
		return r;
	len = hlen - pre;
	if (len == 0) {
		work[pre] = '/';
		len = 1;
	}
	if (len >= size)
		return -ERANGE;
	memcpy(buf, work + pre, len);
	buf[len] = '\0';
	return (int)len;
}

int resolve_name_check(int rootfd, int fd, const char *name, size_t len)
{
	char work[PATH_MAX];
	size_t hlen, pre;
	int r;

	r = name_pair(rootfd, fd, work, &hlen, &pre);
	if (r < 0)
		return r;
	if (hlen == pre) /* fd is the root itself: its name inside is "/" */
		return len == 1 && name[0] == '/' ? 0 : -EXDEV;
	if (hlen - pre != len || memcmp(work + pre, name, len) != 0)
		return -EXDEV;
	return 0;
}
