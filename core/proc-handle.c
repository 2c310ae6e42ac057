/* SPDX-License-Identifier: Apache-2.0 */
/*
 * proc-handle.c - building, verifying and caching procfs handles, and the
 * per-call own view of /proc.
 *
 * The ladder (procfs.md §1.1): a fresh fsopen("proc") instance (subset=pid,
 * hidepid=ptraceable unless unmasked), open_tree(/proc, OPEN_TREE_CLONE),
 * the recursive clone, then /proc itself.  Every candidate is verified
 * (procfs magic, root inode 1, mount id) before use; one that fails falls
 * through to the next.
 *
 * The cache (libpathrs's rule): only a subset=pid handle on a detached tree
 * is kept, because only it neither exposes global files nor lets ".." out
 * if it leaks (CVE-2024-21626, procfs.md A13).  It is published by one
 * compare-and-swap; a builder that loses closes its own fd.
 *
 * After fork(): the child inherits the fd (O_CLOEXEC, so never an exec'd
 * program) and the cached copy of the handle.  Both stay right: nothing
 * about the caller is cached (no pid, no tid), and "self"/"thread-self" in
 * the detached procfs are resolved by the kernel for whoever reads them; a
 * child in a new pid namespace is still visible in the handle's (ancestor)
 * namespace.  Trust assumption: the program does not close or dup2 over a
 * descriptor it does not own.  The cached fd is moved to a high number to
 * stay out of the way of programs that dup2 onto small numbers; a vfork()
 * child must not be the first caller (it would publish an fd that only its
 * own table holds).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>

#include "fd.h"
#include "proc-internal.h"
#include "proc.h"
#include "strutil.h"
#include "sys.h"

#ifndef FSMOUNT_CLOEXEC
#define FSMOUNT_CLOEXEC 0x1
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#define PROC_FSCONFIG_SET_STRING 1
#define PROC_FSCONFIG_CMD_CREATE 6
#define PROC_MOUNT_ATTR_NOSUID 0x2
#define PROC_MOUNT_ATTR_NODEV 0x4
#define PROC_MOUNT_ATTR_NOEXEC 0x8

static int open_fsopen(bool subset)
{
	_cleanup_close_ int fsfd = sys_fsopen("proc", FSOPEN_CLOEXEC);
	int r;

	if (fsfd < 0)
		return fsfd;
	if (subset) {
		/* Errors ignored: before 5.8 neither option exists, and the
		 * result is checked for subset-ness below anyway. */
		(void)sys_fsconfig(fsfd, PROC_FSCONFIG_SET_STRING, "hidepid", "ptraceable", 0);
		(void)sys_fsconfig(fsfd, PROC_FSCONFIG_SET_STRING, "subset", "pid", 0);
	}
	r = sys_fsconfig(fsfd, PROC_FSCONFIG_CMD_CREATE, NULL, NULL, 0);
	if (r < 0)
		return r;
	return sys_fsmount(fsfd, FSMOUNT_CLOEXEC,
	                   PROC_MOUNT_ATTR_NODEV | PROC_MOUNT_ATTR_NOEXEC | PROC_MOUNT_ATTR_NOSUID);
}

/*
 * The new mount API only from Linux 5.2: RHEL 8 (4.18) carries a backport
 * that makes fsopen/open_tree very slow (libpathrs 0.2.4).  The kernel
 * release cannot change under a running process, so this one answer is
 * cached (unlike "openat2 works", which a seccomp filter can change).
 */
static bool mount_api_usable(void)
{
	static atomic_int known; /* 0 unknown, 1 yes, 2 no */
	int k = atomic_load_explicit(&known, memory_order_relaxed);
	if (k == 0) {
		struct utsname u;
		unsigned major = 0, minor = 0;
		const char *p = u.release;
		if (sys_uname(&u) == 0) {
			for (; *p >= '0' && *p <= '9'; p++)
				major = major * 10 + (unsigned)(*p - '0');
			if (*p == '.')
				for (p++; *p >= '0' && *p <= '9'; p++)
					minor = minor * 10 + (unsigned)(*p - '0');
		}
		k = major > 5 || (major == 5 && minor >= 2) ? 1 : 2;
		atomic_store_explicit(&known, k, memory_order_relaxed);
	}
	return k == 1;
}

static int open_candidate(pathward_proc_tier_t tier, bool subset)
{
	if (tier != PATHWARD_PROC_TIER_HOST && !mount_api_usable())
		return -ENOSYS;
	switch (tier) {
	case PATHWARD_PROC_TIER_FSOPEN:
		return open_fsopen(subset);
	case PATHWARD_PROC_TIER_OPEN_TREE:
		return sys_open_tree(AT_FDCWD, "/proc", OPEN_TREE_CLONE | O_CLOEXEC | AT_SYMLINK_NOFOLLOW);
	case PATHWARD_PROC_TIER_OPEN_TREE_REC:
		return sys_open_tree(AT_FDCWD, "/proc",
		                     OPEN_TREE_CLONE | O_CLOEXEC | AT_SYMLINK_NOFOLLOW | AT_RECURSIVE);
	case PATHWARD_PROC_TIER_HOST:
		return sys_openat(AT_FDCWD, "/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
	case PATHWARD_PROC_TIER_NONE:
		break;
	}
	return -EINVAL;
}

/* "self" reads as our pid in this procfs: it belongs to our pid namespace. */
static bool is_own_pidns(int fd)
{
	char link[32], want[24];
	ssize_t n = sys_readlinkat(fd, "self", link, sizeof(link) - 1);
	if (n < 0)
		return false;
	link[n] = '\0';
	str_utoa(want, (uint64_t)sys_getpid());
	return strcmp(link, want) == 0;
}

/* ".." of a detached tree is its own root: a procfs root on the same mount. */
static bool is_detached(int fd)
{
	_cleanup_close_ int up = sys_openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (up < 0 || proc_check_root(up) < 0)
		return false;
	return proc_mnt_same(fd, fd, "", up, "") == 0;
}

/* Verify fd as a genuine procfs root and describe it in *h (fd not set). */
static int verify(int fd, pathward_proc_handle_t *h)
{
	struct stat st;
	bool unique;
	int r = proc_check_root(fd);
	if (r < 0)
		return -EXDEV;
	r = proc_mnt_id_kind(fd, fd, "", PROC_MNT_ANY, &h->mnt_id, &unique);
	if (r < 0)
		return -EXDEV;
	h->flags = unique ? PATHWARD_PROC_F_MNT_UNIQUE : 0;
	if (is_detached(fd))
		h->flags |= PATHWARD_PROC_F_DETACHED;
	/* subset=pid hides every global file; "uptime" is one (Go's probe). */
	if (sys_fstatat(fd, "uptime", &st, AT_SYMLINK_NOFOLLOW) == -ENOENT)
		h->flags |= PATHWARD_PROC_F_SUBSET;
	if (is_own_pidns(fd))
		h->flags |= PATHWARD_PROC_F_OWN_PIDNS;
	return 0;
}

/* Walk the ladder; subset asks fsopen for subset=pid + hidepid=ptraceable. */
static int ladder(pathward_proc_handle_t *h, bool subset)
{
	for (int t = PATHWARD_PROC_TIER_FSOPEN; t <= PATHWARD_PROC_TIER_HOST; t++) {
		_cleanup_close_ int fd = open_candidate((pathward_proc_tier_t)t, subset);
		if (fd < 0 || verify(fd, h) < 0)
			continue;
		h->fd = TAKE_FD(fd);
		h->tier = (pathward_proc_tier_t)t;
		return 0;
	}
	h->fd = -EBADF;
	h->tier = PATHWARD_PROC_TIER_NONE;
	return -EXDEV;
}

/* ---- the cache ----------------------------------------------------- */

/* Slots instead of malloc: each builder takes one; a handful of builders
 * racing at start-up is the most there can be (the cache is never reset). */
#define CACHE_SLOTS 8
static pathward_proc_handle_t cache_slot[CACHE_SLOTS];
static atomic_uint cache_next;
static pathward_proc_handle_t *_Atomic cache;

/* Move fd above the small numbers programs dup2 onto; keep it on failure. */
static int fd_move_high(int fd)
{
	static const int floors[] = { 768, 256, 64 };
	for (size_t i = 0; i < sizeof(floors) / sizeof(floors[0]); i++) {
		int nfd = sys_fcntl(fd, F_DUPFD_CLOEXEC, floors[i]);
		if (nfd >= 0) {
			safe_close(fd);
			return nfd;
		}
	}
	return fd;
}

static void cache_publish(pathward_proc_handle_t *h)
{
	pathward_proc_handle_t *expected = NULL;
	unsigned i = atomic_fetch_add(&cache_next, 1);
	if (i >= CACHE_SLOTS)
		return;
	cache_slot[i] = *h;
	cache_slot[i].fd = fd_move_high(h->fd);
	cache_slot[i].flags |= PATHWARD_PROC_F_CACHED;
	if (atomic_compare_exchange_strong(&cache, &expected, &cache_slot[i])) {
		*h = cache_slot[i];
		return;
	}
	/* Lost the race: use the winner's handle, drop ours. */
	safe_close(cache_slot[i].fd);
	*h = *expected;
}

int proc_default_handle(pathward_proc_handle_t *h)
{
	pathward_proc_handle_t *c = atomic_load_explicit(&cache, memory_order_acquire);
	int r;

	if (c) {
		*h = *c;
		return 0;
	}
	r = ladder(h, true);
	if (r < 0)
		return r;
	if ((h->flags & (PATHWARD_PROC_F_SUBSET | PATHWARD_PROC_F_DETACHED)) ==
	    (PATHWARD_PROC_F_SUBSET | PATHWARD_PROC_F_DETACHED))
		cache_publish(h);
	return 0;
}

/*
 * The cached fd is found closed or replaced (a child ran closefrom(), a
 * program dup2'ed over it): if it no longer is a procfs root, unpublish it
 * so that the next caller builds a new one.  Only called after an error,
 * so the cached path pays nothing for it.  true when it was dropped.
 */
bool proc_cache_drop_if_stale(const pathward_proc_handle_t *h)
{
	pathward_proc_handle_t *c = atomic_load_explicit(&cache, memory_order_acquire);
	if (!c || !(h->flags & PATHWARD_PROC_F_CACHED) || c->fd != h->fd)
		return false;
	if (proc_check_root(h->fd) == 0)
		return false;
	return atomic_compare_exchange_strong(&cache, &c, NULL);
}

/* ---- the own view -------------------------------------------------- */

/*
 * The unique mount id (6.8+) of the last /proc root verified in full, 0 for
 * none.  A unique id is never reused and a mount never changes superblock,
 * so "same unique id + inode 1" proves what fstatfs + fstat proved before:
 * one statx per call instead of two checks.  After unshare(CLONE_NEWNS) or
 * setns the /proc mount has a new id, so the comparison fails and the full
 * verification runs again.  Old (recycled) ids are never remembered.
 */
static _Atomic uint64_t own_mnt_id;

int proc_own_root(void)
{
	_cleanup_close_ int fd = sys_openat(AT_FDCWD, "/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
	struct statx stx;
	int r;

	if (fd == -ENOENT || fd == -ENOTDIR || fd == -ELOOP)
		return -EXDEV;
	if (fd < 0)
		return fd;
	r = sys_statx(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_MNT_ID_UNIQUE | STATX_INO, &stx);
	bool have = r == 0 && (stx.stx_mask & STATX_MNT_ID_UNIQUE);
	if (have && stx.stx_ino == PROC_ROOT_INO && stx.stx_mnt_id != 0 &&
	    stx.stx_mnt_id == atomic_load_explicit(&own_mnt_id, memory_order_relaxed))
		return TAKE_FD(fd);
	r = proc_check_root(fd);
	if (r < 0)
		return r == -EBADF ? r : -EXDEV;
	if (have)
		atomic_store_explicit(&own_mnt_id, stx.stx_mnt_id, memory_order_relaxed);
	return TAKE_FD(fd);
}

/* ---- public -------------------------------------------------------- */

int pathward_proc_handle_open(pathward_proc_handle_t *h, unsigned how)
{
	int r;

	if (!h || (how & ~(PATHWARD_PROC_UNMASKED | PATHWARD_PROC_OWN_VIEW)) ||
	    how == (PATHWARD_PROC_UNMASKED | PATHWARD_PROC_OWN_VIEW))
		return -EINVAL;
	h->fd = -EBADF;
	h->tier = PATHWARD_PROC_TIER_NONE;
	h->flags = 0;
	h->mnt_id = 0;
	if (how == PATHWARD_PROC_DEFAULT)
		return proc_default_handle(h);
	if (how == PATHWARD_PROC_UNMASKED)
		return ladder(h, false);

	_cleanup_close_ int fd = proc_own_root();
	if (fd < 0)
		return fd;
	r = verify(fd, h);
	if (r < 0)
		return r;
	h->fd = TAKE_FD(fd);
	h->tier = PATHWARD_PROC_TIER_HOST;
	return 0;
}

void pathward_proc_handle_close(pathward_proc_handle_t *h)
{
	if (!h)
		return;
	if (!(h->flags & PATHWARD_PROC_F_CACHED))
		safe_close(h->fd);
	h->fd = -EBADF;
}

const char *pathward_proc_tier_name(pathward_proc_tier_t tier)
{
	switch (tier) {
	case PATHWARD_PROC_TIER_NONE:
		return "none";
	case PATHWARD_PROC_TIER_FSOPEN:
		return "fsopen";
	case PATHWARD_PROC_TIER_OPEN_TREE:
		return "open_tree";
	case PATHWARD_PROC_TIER_OPEN_TREE_REC:
		return "open_tree_recursive";
	case PATHWARD_PROC_TIER_HOST:
		return "host";
	}
	return "unknown";
}
