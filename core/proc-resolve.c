/* SPDX-License-Identifier: Apache-2.0 */
/*
 * proc-resolve.c - opening a path beneath a verified procfs root.
 *
 * Fast path: one openat2(RESOLVE_BENEATH|RESOLVE_NO_XDEV|RESOLVE_NO_MAGICLINKS).
 * NO_XDEV pins every component to the root's mount, so nothing needs to be
 * checked afterwards.  A trailing magic link (fd/N, exe, cwd, root, ns/...)
 * makes openat2 say ELOOP; it is then followed only after the link's mount
 * id is found equal to its parent's.  When openat2 answers ENOSYS (old
 * kernel) or EPERM (a seccomp profile), the O_PATH walk below does the same
 * job one component at a time.  Whether openat2 works is never remembered: a
 * filter can be installed at any time (libpathrs#305, runc#4984).
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

#define PROC_RESOLVE (RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS)

int proc_path_check(const char *path)
{
	if (!path)
		return -EINVAL;
	if (path[0] == '/')
		return -EXDEV;
	if (strnlen(path, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	for (const char *p = path; *p;) {
		const char *end = strchrnul(p, '/');
		if (end - p == 2 && p[0] == '.' && p[1] == '.')
			return -EXDEV;
		p = end;
		while (*p == '/')
			p++;
	}
	return 0;
}

bool proc_link_is_magic(const char *t)
{
	return t[0] == '/' || t[0] == '(' || strchr(t, ':') != NULL || t[0] == '\0';
}

static uint64_t openat2_mode(int flags, mode_t mode)
{
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		return mode & 07777;
	return 0;
}

/* Length of path without trailing slashes, and where its last component
 * starts. */
static size_t split_last(const char *path, size_t *last)
{
	size_t n = strlen(path);
	while (n > 0 && path[n - 1] == '/')
		n--;
	size_t i = n;
	while (i > 0 && path[i - 1] != '/')
		i--;
	*last = i;
	return n;
}

/*
 * openat2 said ELOOP for a followed open: the last component may be a magic
 * link.  Open its parent through the resolver ("parent/" so an ordinary
 * symlink such as "self" is followed, a magic one is ELOOP), require the
 * last component to be a symlink with a magic target (an ordinary symlink
 * must never take this path, libpathrs 0.2.1), on the parent's mount, then
 * let the kernel follow it.  Race-free only on a private (detached) root:
 * on a shared /proc a mount could land between the check and the open.
 */
static int follow_magic(int rootfd, const char *path, int flags, mode_t mode)
{
	_cleanup_close_ int parent = -EBADF;
	/* procfs's ordinary symlinks are short ("self/mounts", "42/task/42"):
	 * a target that fills the buffer is treated as magic */
	char dir[PATH_MAX], last[NAME_MAX + 1], target[64];
	size_t start, end = split_last(path, &start);
	ssize_t n;
	int r;

	if (end == start || end - start > NAME_MAX)
		return -ELOOP;
	memcpy(dir, path, start);
	dir[start] = '\0';
	memcpy(last, path + start, end - start);
	last[end - start] = '\0';
	if (path[end] == '/')
		flags |= O_DIRECTORY;

	parent = proc_resolve(rootfd, dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
	if (parent < 0)
		return parent;
	n = sys_readlinkat(parent, last, target, sizeof(target) - 1);
	if (n < 0)
		return n == -EINVAL ? -ELOOP : (int)n;
	target[n] = '\0';
	if ((size_t)n < sizeof(target) - 1 && !proc_link_is_magic(target))
		return -ELOOP;
	r = proc_mnt_same(rootfd, parent, "", parent, last);
	if (r < 0)
		return r;
	return sys_openat(parent, last, flags, mode);
}

int proc_resolve(int rootfd, const char *path, int flags, mode_t mode)
{
	int r = sys_openat2(rootfd, *path ? path : ".", openat2_flags_of_open(flags), openat2_mode(flags, mode),
	                    PROC_RESOLVE);
	if (r >= 0)
		return r;
	if (r == -ENOSYS || r == -EPERM)
		return proc_walk(rootfd, path, flags, mode);
	if (r == -ELOOP && !(flags & O_NOFOLLOW))
		return follow_magic(rootfd, path, flags, mode);
	return r;
}

int proc_open_beneath(int procfd, const char *subpath, int flags, mode_t mode)
{
	int r = proc_path_check(subpath);
	if (r < 0)
		return r;
	return proc_resolve(procfd, subpath, flags, mode);
}
