/* SPDX-License-Identifier: Apache-2.0 */
/*
 * resolve.c - the contained resolver's entry points (DESIGN §1.2,
 * resolver.md §0 and §5): input checks shared by both routes, the
 * openat2(RESOLVE_IN_ROOT) route, and the fallback to the fd walker when the
 * kernel has no openat2 (ENOSYS) or a sandbox refuses it (EPERM).  That
 * answer is never cached: a seccomp filter can appear at any exec.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "fd.h"
#include "pathward.h"
#include "resolve.h"
#include "sys.h"

#define RFLAGS_ALL (PATHWARD_RESOLVE_EXCEPT_LAST | PATHWARD_RESOLVE_USERSPACE | PATHWARD_RESOLVE_KERNEL)

/* open(2) flags the kernel knows (its VALID_OPEN_FLAGS, less O_LARGEFILE,
 * which the kernel forces on 64-bit anyway). */
#define OPEN_FLAGS_VALID                                                                                  \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_SYNC | O_DSYNC |   \
	 FASYNC | O_DIRECT | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_PATH | O_TMPFILE)
#define OPEN_FLAGS_PATH (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* When the walker answers instead: openat2 missing (ENOSYS) or refused by a
 * sandbox (EPERM), or still EAGAIN after sys_openat2's retries (any rename
 * or mount anywhere on the system during a ".." step makes a RESOLVE_IN_ROOT
 * walk fail; under constant rename load that never ends).  The walker is
 * rename-safe by construction, and EAGAIN must never reach the caller. */
static bool openat2_refused(int r)
{
	return r == -ENOSYS || r == -EPERM || r == -EAGAIN;
}

/* resolver.md §0 item 6: "" is ENOENT, PATH_MAX bytes or more ENAMETOOLONG,
 * both before any lookup, on both routes. */
static int check_input(int rootfd, const char *path, uint64_t rflags)
{
	if (rootfd < 0)
		return -EBADF;
	if (!path)
		return -EFAULT;
	if ((rflags & ~(uint64_t)RFLAGS_ALL) ||
	    (rflags & (PATHWARD_RESOLVE_USERSPACE | PATHWARD_RESOLVE_KERNEL)) ==
	            (PATHWARD_RESOLVE_USERSPACE | PATHWARD_RESOLVE_KERNEL))
		return -EINVAL;
	if (!*path)
		return -ENOENT;
	if (strnlen(path, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Both routes must see the same request, and callers pass open(2)'s
 * flags/mode: open(2) drops unknown flags, keeps only the O_PATH family with
 * O_PATH, and ignores mode unless it creates, where openat2 would say EINVAL.
 */
static void normalise(int *flags, mode_t *mode)
{
	int f = *flags & OPEN_FLAGS_VALID;
	if (f & O_PATH)
		f &= OPEN_FLAGS_PATH;
	if (!(f & O_CREAT) && (f & O_TMPFILE) != O_TMPFILE)
		*mode = 0;
	else
		*mode &= 07777;
	*flags = f | O_CLOEXEC;
}

static int root_open(int rootfd, const char *path, int flags, mode_t mode, uint64_t rflags,
                     resolve_kind_t kind)
{
	int r = check_input(rootfd, path, rflags);
	if (r < 0)
		return r;
	if (rflags & PATHWARD_RESOLVE_EXCEPT_LAST)
		return -EINVAL; /* a string-form mode; open says O_NOFOLLOW */
	normalise(&flags, &mode);
	if (!(rflags & PATHWARD_RESOLVE_USERSPACE)) {
		r = sys_openat2(rootfd, path, (uint64_t)flags, mode, RESOLVE_IN_ROOT);
		if (!openat2_refused(r) || (rflags & PATHWARD_RESOLVE_KERNEL))
			return r;
	}
	return resolve_walk(rootfd, path, kind, flags, mode, NULL, 0);
}

int pathward_root_open(int rootfd, const char *path, int flags, mode_t mode, uint64_t rflags)
{
	return root_open(rootfd, path, flags, mode, rflags, RESOLVE_KIND_OPEN);
}

int resolve_root_open_exact(int rootfd, const char *path, int flags, mode_t mode, uint64_t rflags)
{
	return root_open(rootfd, path, flags, mode, rflags, RESOLVE_KIND_OPEN_EXACT);
}

/* Except-last with openat2: the path is missing somewhere.  Open the parent
 * of the last name (which must be a plain name with no trailing slash) and
 * leave the name in *last; -ENOENT when the input does not qualify. */
static int kernel_open_parent(int rootfd, const char *path, const char **last)
{
	char parent[PATH_MAX];
	size_t len = strlen(path), i = len;

	while (i > 0 && path[i - 1] != '/')
		i--;
	*last = path + i;
	if (i == len || strcmp(*last, ".") == 0 || strcmp(*last, "..") == 0)
		return -ENOENT; /* trailing slash, ".", "..": must exist */
	memcpy(parent, path, i);
	parent[i] = '\0';
	return sys_openat2(rootfd, i ? parent : "/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0, RESOLVE_IN_ROOT);
}

/* /proc could not name an fd that exists (no procfs, hidepid, a name of
 * PATH_MAX or more): the walker, which knows its own names, answers. */
static bool naming_failed(int r)
{
	return r == -ENOENT || r == -EACCES || r == -ENAMETOOLONG;
}

/* Name an fd that openat2 gave; *fallback on a naming failure. */
static int kernel_name_fd(int rootfd, int fd, char *buf, size_t size, bool *fallback)
{
	int r = resolve_name_fd(rootfd, fd, buf, size);
	if (naming_failed(r))
		*fallback = true;
	return r;
}

/* "parent name" + "/" + last into buf. */
static int kernel_name_missing(int rootfd, const char *path, char *buf, size_t size, bool *fallback)
{
	_cleanup_close_ int pfd = -EBADF, fd = -EBADF;
	const char *last;
	size_t n, plen;
	int r;

	pfd = kernel_open_parent(rootfd, path, &last);
	if (pfd < 0)
		return pfd;
	fd = sys_openat(pfd, last, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd >= 0) /* it appeared meanwhile: name what is there */
		return kernel_name_fd(rootfd, fd, buf, size, fallback);
	if (fd != -ENOENT)
		return fd; /* ENAMETOOLONG for a name no directory could hold */
	r = kernel_name_fd(rootfd, pfd, buf, size, fallback);
	if (r < 0)
		return r;
	plen = r == 1 ? 0 : (size_t)r; /* parent "/" */
	n = strlen(last);
	if (plen + 1 + n >= size)
		return -ERANGE;
	buf[plen] = '/';
	memcpy(buf + plen + 1, last, n + 1);
	return (int)(plen + 1 + n);
}

/*
 * The string form through openat2 and /proc's names.  *fallback: the walker
 * should answer (openat2 refused, EAGAIN that outlived the retries, or /proc
 * could not name the result).  A name outside the root by /proc means the
 * object moved after openat2 found it inside: look again.
 */
static int kernel_name(int rootfd, const char *path, bool nolast, char *buf, size_t size, bool *fallback)
{
	int r = -EAGAIN;

	for (int attempt = 0; attempt < 4 && r == -EAGAIN && !*fallback; attempt++) {
		_cleanup_close_ int fd = -EBADF;

		fd = sys_openat2(rootfd, path, O_PATH | O_CLOEXEC | (nolast ? O_NOFOLLOW : 0), 0, RESOLVE_IN_ROOT);
		if (fd == -ENOENT && nolast)
			r = kernel_name_missing(rootfd, path, buf, size, fallback);
		else if (fd < 0)
			r = fd;
		else
			r = kernel_name_fd(rootfd, fd, buf, size, fallback);
		if (r == -EXDEV && fd >= 0)
			r = -EAGAIN;
		if (openat2_refused(r) && r != -EAGAIN)
			*fallback = true;
	}
	if (r == -EAGAIN)
		*fallback = true; /* the walker names what it holds */
	return r;
}

int pathward_resolve(int rootfd, const char *path, uint64_t rflags, char *buf, size_t size)
{
	bool nolast = rflags & PATHWARD_RESOLVE_EXCEPT_LAST, fallback = false;
	int r = check_input(rootfd, path, rflags);

	if (r < 0)
		return r;
	if (!buf && size)
		return -EFAULT;
	if (!(rflags & PATHWARD_RESOLVE_USERSPACE)) {
		r = kernel_name(rootfd, path, nolast, buf, size, &fallback);
		if (!fallback || (rflags & PATHWARD_RESOLVE_KERNEL))
			return r;
	}
	return resolve_walk(rootfd, path, nolast ? RESOLVE_KIND_NAME_NOLAST : RESOLVE_KIND_NAME, 0, 0, buf, size);
}
