/* SPDX-License-Identifier: Apache-2.0 */
/*
 * proc.c - the public procfs calls: bases, flags, the default handle with
 * its unmasked retry, and readlink.
 *
 * Cost of the common case, pathward_proc_open(NULL, SELF, "status", ...)
 * with the cached handle: argument checks in memory, then one openat2.
 * Nothing is verified after it: RESOLVE_NO_XDEV already pins every
 * component to the handle's mount, which was verified when the handle was
 * built.  The trust this rests on is that the cached descriptor is still
 * ours (see proc-handle.c); when it is found closed or replaced (EBADF,
 * ENOTDIR) it is rebuilt.  Measured on the 6.18 test VM, interleaved
 * medians: ~1.03x a plain open for the openat2 itself, ~+3% for our
 * userspace, and ~+9% that hidepid=ptraceable adds to every lookup in the
 * instance (the kernel re-checks ptrace access on the pid directory).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "fd.h"
#include "proc-internal.h"
#include "proc.h"
#include "strutil.h"
#include "sys.h"

#define PROC_TYPE_MASK 0xFFFFFFFF00000000ULL
#define PROC_PID_TAG   0x8000000000000000ULL

/* open(2) flags accepted by pathward_proc_open (unknown bits are -EINVAL). */
#define PROC_PUBLIC_FLAGS                                                                          \
	(O_ACCMODE | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC | O_SYNC | FASYNC |      \
	 O_DIRECT | O_LARGEFILE | 0100000 | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC |    \
	 O_PATH)

/*
 * Nonsense on procfs, refused before any lookup: creating (O_CREAT,
 * O_EXCL, O_TMPFILE), the access mode 3, and bits open(2) does not know.
 */
static int check_flags(int flags)
{
	if ((unsigned)flags & ~(unsigned)PROC_PUBLIC_FLAGS)
		return -EINVAL;
	if ((flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	return 0;
}

/* prefix + "/" + sub into out, or prefix alone for NULL/"" sub. */
static int join(char *out, const char *prefix, const char *sub)
{
	size_t pl = strlen(prefix), sl = sub ? strlen(sub) : 0;
	if (pl + 1 + sl + 1 > PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(out, prefix, pl);
	if (sl == 0) {
		out[pl] = '\0';
		return 0;
	}
	if (pl)
		out[pl++] = '/';
	memcpy(out + pl, sub, sl + 1);
	return 0;
}

/* The prefix of a base other than THREAD_SELF ("" for ROOT), or -EINVAL. */
static int base_prefix(pathward_proc_base_t base, char *out)
{
	if (base == PATHWARD_PROC_ROOT) {
		out[0] = '\0';
		return 0;
	}
	if (base == PATHWARD_PROC_SELF || base == PATHWARD_PROC_THREAD_SELF) {
		memcpy(out, base == PATHWARD_PROC_SELF ? "self" : "thread-self",
		       base == PATHWARD_PROC_SELF ? 5 : 12);
		return 0;
	}
	if ((base & PROC_TYPE_MASK) == PROC_PID_TAG) {
		uint32_t pid = (uint32_t)base;
		if (pid == 0 || pid > PATHWARD_PROC_PID_MAX)
			return -EINVAL;
		str_utoa(out, pid);
		return 0;
	}
	return -EINVAL;
}

/*
 * THREAD_SELF when "thread-self" gave ENOENT: if thread-self exists the
 * file is really missing; otherwise (before 3.17) "self/task/<tid>" when
 * this procfs has it, else "self".  gettid() is namespace-local, so the
 * task directory is only a hint that is checked for presence first
 * (procfs.md A15); /proc/<getpid()> is never built.
 */
static int open_thread_self_fallback(int rootfd, const char *sub, int flags)
{
	char prefix[64] = "self/task/", path[PATH_MAX];
	struct stat st;
	int r;

	if (sys_fstatat(rootfd, "thread-self", &st, AT_SYMLINK_NOFOLLOW) == 0)
		return -ENOENT;
	str_utoa(prefix + strlen(prefix), (uint64_t)sys_gettid());
	if (sys_fstatat(rootfd, prefix, &st, 0) < 0)
		memcpy(prefix, "self", 5);
	r = join(path, prefix, sub);
	if (r < 0)
		return r;
	return proc_resolve(rootfd, path, flags, 0);
}

static int open_base(int rootfd, pathward_proc_base_t base, const char *sub, int flags)
{
	char prefix[24], path[PATH_MAX];
	int r = base_prefix(base, prefix);
	if (r < 0)
		return r;
	r = join(path, prefix, sub);
	if (r < 0)
		return r;
	r = proc_resolve(rootfd, path, flags, 0);
	if (r == -ENOENT && base == PATHWARD_PROC_THREAD_SELF)
		r = open_thread_self_fallback(rootfd, sub, flags);
	return r;
}

static int check_args(pathward_proc_base_t base, const char *sub, int flags)
{
	char prefix[24];
	int r = base_prefix(base, prefix);
	if (r < 0)
		return r;
	if (sub) {
		r = proc_path_check(sub);
		if (r < 0)
			return r;
	}
	return check_flags(flags);
}

/*
 * Open through the default handle, left in *def (close it after use; fd
 * -EBADF when none could be had).  When the cached descriptor turns out
 * closed or replaced under us, it is dropped and the open retried once.
 */
static int open_default(pathward_proc_handle_t *def, pathward_proc_base_t base, const char *sub, int flags)
{
	int r = proc_default_handle(def);
	if (r < 0) {
		def->fd = -EBADF;
		return r;
	}
	r = open_base(def->fd, base, sub, flags);
	if ((r == -EBADF || r == -ENOTDIR) && proc_cache_drop_if_stale(def)) {
		r = proc_default_handle(def);
		if (r < 0) {
			def->fd = -EBADF;
			return r;
		}
		r = open_base(def->fd, base, sub, flags);
	}
	return r;
}

int pathward_proc_open(const pathward_proc_handle_t *h, pathward_proc_base_t base, const char *subpath,
                       int flags)
{
	pathward_proc_handle_t def, full;
	int r = check_args(base, subpath, flags);
	if (r < 0)
		return r;
	flags |= O_CLOEXEC;
	if (h)
		return h->fd < 0 ? -EBADF : open_base(h->fd, base, subpath, flags);

	r = open_default(&def, base, subpath, flags);
	if (def.fd < 0)
		return r;
	if (r == -ENOENT && (def.flags & PATHWARD_PROC_F_SUBSET) &&
	    pathward_proc_handle_open(&full, PATHWARD_PROC_UNMASKED) == 0) {
		/* Global files (sys/, meminfo) and hidepid-hidden pids are not
		 * in a subset handle: ask a full one, closed at once. */
		r = open_base(full.fd, base, subpath, flags);
		pathward_proc_handle_close(&full);
	}
	pathward_proc_handle_close(&def);
	return r;
}

/* readlinkat(fd, "") into buf, snprintf-like (see pathward.h). */
static ssize_t read_link(int fd, char *buf, size_t size)
{
	char tmp[PATH_MAX];
	ssize_t n = sys_readlinkat(fd, "", tmp, sizeof(tmp));
	if (n == -ENOENT || n == -EINVAL)
		return -EINVAL; /* not a symlink */
	if (n < 0)
		return n;
	if (size > 0) {
		size_t c = (size_t)n < size - 1 ? (size_t)n : size - 1;
		memcpy(buf, tmp, c);
		buf[c] = '\0';
	}
	return n;
}

ssize_t pathward_proc_readlink(const pathward_proc_handle_t *h, pathward_proc_base_t base,
                               const char *subpath, char *buf, size_t size)
{
	if (!buf && size > 0)
		return -EINVAL;
	_cleanup_close_ int fd = pathward_proc_open(h, base, subpath, O_PATH | O_NOFOLLOW);
	if (fd < 0)
		return fd;
	return read_link(fd, buf, size);
}

ssize_t pathward_proc_self_fd_readlink(int fd, char *buf, size_t size)
{
	char sub[32] = "fd/";
	pathward_proc_handle_t h;
	uint64_t id;
	bool unique;
	ssize_t r;

	if (fd < 0)
		return -EBADF;
	if (!buf && size > 0)
		return -EINVAL;
	str_utoa(sub + 3, (uint64_t)fd);
	_cleanup_close_ int link = open_default(&h, PATHWARD_PROC_THREAD_SELF, sub, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (h.fd < 0)
		return link;
	if (fd == h.fd && !(h.flags & PATHWARD_PROC_F_CACHED))
		r = -EBADF; /* a temporary handle took the lowest free number:
		               fd was not open when we were called */
	else if (link == -ENOENT)
		r = -EBADF; /* no such descriptor */
	else if (link < 0)
		r = link;
	else {
		/* The Go seed's explicit check; openat2's NO_XDEV already
		 * implies it, the walk checked it too: belt and braces. */
		r = proc_mnt_id_kind(h.fd, link, "",
		                     (h.flags & PATHWARD_PROC_F_MNT_UNIQUE) ? PROC_MNT_UNIQUE : PROC_MNT_OLD, &id,
		                     &unique);
		if (r == -EOPNOTSUPP)
			r = proc_mnt_same(h.fd, h.fd, "", link, "");
		else if (r == 0 && id != h.mnt_id)
			r = -EXDEV;
		if (r == 0)
			r = read_link(link, buf, size);
	}
	pathward_proc_handle_close(&h);
	return r;
}
