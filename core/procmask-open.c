/* SPDX-License-Identifier: Apache-2.0 */
/*
 * procmask-open.c - opening beneath /proc through recognised masks, and
 * listing what is mounted there (the rule is at the top of procmask.c).
 *
 * The classification from mountinfo is a claim; procmask_open() pins every
 * crossed mount with an O_PATH fd before reading mountinfo (a pinned mount
 * keeps its id, so ids cannot be recycled under us) and then checks the
 * claim on the pinned object itself (char 1:3, empty read-only tmpfs
 * directory, procfs of our instance).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>

#include "fd.h"
#include "proc.h"
#include "procmask-internal.h"
#include "procmask.h"
#include "strutil.h"
#include "sys.h"

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif
#ifndef ST_RDONLY
#define ST_RDONLY 1
#endif

/* One mountinfo read: a mask's line is ~150 bytes; longer lines (overlay
 * roots with many layers) are skipped, which fails safe (see below). */
#define MOUNTINFO_BUF 4096
/* Crossings on one path: runtimes nest at most two (/proc/sys, then a
 * mask inside it).  More is refused. */
#define MAX_CROSS 8
/* A tmpfs directory's st_size counts 20 bytes per entry ("." and ".."
 * included: shmem's BOGO_DIRENT_SIZE since 2.6), so an empty one is 40.
 * Should that accounting ever change, masks are refused: safe. */
#define TMPFS_EMPTY_DIR_SIZE 40

/* ------------------------------------------------------------------ */
/* Reading this thread's mountinfo through the verified route          */
/* ------------------------------------------------------------------ */

/*
 * Call fn for every line of thread-self/mountinfo under procfd, read with a
 * fixed stack buffer.  A line longer than the buffer is skipped: callers
 * treat a mount they did not see as unknown, so skipping fails safe.
 * fn returns 0 to go on, > 0 to stop early (seq_file then generates no
 * more lines), < 0 to fail.  -EXDEV when the route itself is overmounted
 * (proc_open_beneath).
 */
static int scan_mountinfo(int procfd, int (*fn)(const char *line, size_t len, void *ctx), void *ctx)
{
	_cleanup_close_ int fd = proc_open_beneath(procfd, "thread-self/mountinfo", O_RDONLY | O_CLOEXEC, 0);
	char buf[MOUNTINFO_BUF];
	size_t have = 0;
	bool skipping = false;
	int r = 0;

	if (fd < 0)
		return fd;
	for (;;) {
		ssize_t n = sys_read(fd, buf + have, sizeof(buf) - have);
		if (n < 0)
			return (int)n;
		if (n == 0)
			break;
		have += (size_t)n;
		size_t start = 0;
		char *nl;
		while ((nl = memchr(buf + start, '\n', have - start))) {
			size_t end = (size_t)(nl - buf);
			if (!skipping && (r = fn(buf + start, end - start, ctx)) != 0)
				return r < 0 ? r : 0;
			skipping = false;
			start = end + 1;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (have == sizeof(buf)) {
			skipping = true;
			have = 0;
		}
	}
	if (have > 0 && !skipping)
		r = fn(buf, have, ctx);
	return r < 0 ? r : 0;
}

/* ------------------------------------------------------------------ */
/* Mount ids (the old kind: the only one mountinfo shows)              */
/* ------------------------------------------------------------------ */

/* Decimal after "key:" at the start of a line of text, or -ENOENT. */
static int text_field(const char *text, const char *key, uint64_t *v)
{
	size_t klen = strlen(key);
	for (const char *p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) != 0 || p[klen] != ':')
			continue;
		p += klen + 1;
		while (*p == ' ' || *p == '\t')
			p++;
		const char *q = p;
		while (*q >= '0' && *q <= '9')
			q++;
		struct procmask_span f = { p, (size_t)(q - p) };
		return procmask_parse_u64(f, v);
	}
	return -ENOENT;
}

/* What the walk needs to know about an object. */
struct obj {
	uint64_t id; /* old-style mount id: the one mountinfo prints */
	mode_t mode;
	dev_t dev;
	ino_t ino;
};

/*
 * One statx(STATX_MNT_ID) says it all; STATX_MNT_ID_UNIQUE (6.8) is not
 * asked for: mountinfo does not show it.  Without statx (ENOSYS before
 * 4.11 or no STATX_MNT_ID before 5.8; EPERM from seccomp), fstat and the
 * fd's fdinfo, read through the verified route and cross-checked by its
 * "ino:" line.
 */
static int obj_of(int procfd, int fd, struct obj *o)
{
	const unsigned want = STATX_MNT_ID | STATX_TYPE | STATX_INO;
	_cleanup_close_ int info = -EBADF;
	char path[48] = "thread-self/fdinfo/", text[1024];
	struct statx stx;
	struct stat st;
	uint64_t ino;
	ssize_t n;
	int r;

	r = sys_statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC, want, &stx);
	if (r == 0 && (stx.stx_mask & want) == want) {
		*o = (struct obj){ .id = stx.stx_mnt_id, .mode = stx.stx_mode, .ino = stx.stx_ino,
			           .dev = makedev(stx.stx_dev_major, stx.stx_dev_minor) };
		return 0;
	}
	if (r < 0 && r != -ENOSYS && r != -EPERM && r != -EINVAL)
		return r;
	r = sys_fstat(fd, &st);
	if (r < 0)
		return r;
	str_utoa(path + strlen(path), (uint64_t)fd);
	info = proc_open_beneath(procfd, path, O_RDONLY | O_CLOEXEC, 0);
	if (info < 0)
		return info;
	n = sys_read(info, text, sizeof(text) - 1);
	if (n < 0)
		return (int)n;
	text[n] = '\0';
	if (text_field(text, "ino", &ino) < 0 || ino != (uint64_t)st.st_ino || text_field(text, "mnt_id", &o->id) < 0)
		return -EXDEV;
	o->mode = st.st_mode;
	o->dev = st.st_dev;
	o->ino = st.st_ino;
	return 0;
}

/* ------------------------------------------------------------------ */
/* procmask_open                                                       */
/* ------------------------------------------------------------------ */

/* A mount met on the way, pinned by the O_PATH fd on its root. */
struct cross {
	int fd;
	uint64_t id, parent;
	size_t plen; /* path[0, plen) is its mountpoint below /proc */
	enum procmask_kind kind;
};

struct mwalk {
	int procfd;
	struct obj root; /* the /proc mount's root */
	struct obj last; /* what the walk reached last */
	char path[PATH_MAX + 64]; /* normalised: no "", ".", leading self */
	size_t len;
	bool trailing;   /* a "/" followed the last component: must be a dir */
	size_t reached;  /* path[0, reached) was found */
	int err;         /* the lookup error that stopped the walk, or 0 */
	bool err_last;   /* ... met at the last component */
	bool symlink;    /* the walk stopped at a symlink */
	size_t nseen;    /* crossings met in mountinfo */
	struct cross cross[MAX_CROSS];
	size_t ncross;
	char buf[PATH_MAX];      /* scratch for the mountinfo scan */
};

/* O_PATH ignores every flag but these (build_open_flags). */
#define PATH_ONLY_FLAGS (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#define TMPFILE_BIT (O_TMPFILE & ~O_DIRECTORY)

static bool wants_write(int flags)
{
	if (flags & O_PATH)
		return false;
	return (flags & O_ACCMODE) != O_RDONLY ||
	       (flags & (O_CREAT | O_TRUNC | O_APPEND | TMPFILE_BIT)) != 0;
}

/* fd neither borrowed (procfd) nor kept by a crossing? */
static bool walk_owns(const struct mwalk *w, int fd)
{
	if (fd < 0 || fd == w->procfd)
		return false;
	for (size_t i = 0; i < w->ncross; i++)
		if (w->cross[i].fd == fd)
			return false;
	return true;
}

/*
 * "self" -> "<pid>", "thread-self" -> "<pid>/task/<tid>", read from the
 * link on the /proc mount itself (a symlink bound over it, A4, has another
 * mount id), so per-process mounts are seen on the path the kernel uses.
 */
static int translate_self(struct mwalk *w, const char *name)
{
	_cleanup_close_ int fd = sys_openat(w->procfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
	char link[64];
	struct obj o;
	ssize_t n;
	int r;

	if (fd < 0)
		return fd;
	r = obj_of(w->procfd, fd, &o);
	if (r < 0)
		return r;
	if (o.id != w->root.id)
		return -EXDEV;
	n = sys_readlinkat(fd, "", link, sizeof(link));
	if (n < 0)
		return n == -EINVAL ? -EXDEV : (int)n;
	if (n == 0 || (size_t)n >= sizeof(link))
		return -EXDEV;
	for (ssize_t i = 0; i < n; i++)
		if (!(link[i] >= '0' && link[i] <= '9') && link[i] != '/' && !(link[i] >= 'a' && link[i] <= 'z'))
			return -EXDEV;
	if (link[0] == '/' || memmem(link, (size_t)n, "..", 2))
		return -EXDEV;
	memcpy(w->path, link, (size_t)n);
	w->len = (size_t)n;
	return 0;
}

/*
 * subpath -> w->path: empty and "." components dropped, ".." and absolute
 * paths refused (-EXDEV, as proc_open_beneath does), a leading self or
 * thread-self translated (unless it is the last component and nofollow).
 * Whether a "/" follows the last component is kept: "kcore/" must stay
 * ENOTDIR.
 */
static int normalise(struct mwalk *w, const char *subpath, bool nofollow)
{
	const char *p = subpath;
	bool first = true;

	if (!subpath)
		return -EINVAL;
	if (*p == '/')
		return -EXDEV;
	if (strnlen(subpath, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	w->len = 0;
	w->trailing = false;
	while (*p) {
		const char *q = strchrnul(p, '/');
		size_t n = (size_t)(q - p);
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return -EXDEV;
		/* (A last "self" not to be followed names the link itself: left
		 * as is, the walk meets a symlink and refuses.) */
		bool link_itself = nofollow && !*q;
		if (first && !link_itself &&
		    ((n == 4 && !memcmp(p, "self", 4)) || (n == 11 && !memcmp(p, "thread-self", 11)))) {
			char name[12];
			memcpy(name, p, n);
			name[n] = '\0';
			int r = translate_self(w, name);
			if (r < 0)
				return r;
			first = w->trailing = false;
		} else if (n > 1 || (n == 1 && p[0] != '.')) {
			if (w->len + n + 2 > sizeof(w->path))
				return -ENAMETOOLONG;
			if (w->len > 0)
				w->path[w->len++] = '/';
			memcpy(w->path + w->len, p, n);
			w->len += n;
			first = w->trailing = false;
		}
		/* "" and "." are dropped; a "/" after a component asks for a dir. */
		if (*q == '/')
			w->trailing = w->len > 0;
		p = *q ? q + 1 : q;
	}
	w->path[w->len] = '\0';
	return 0;
}

/*
 * The walk.  One component at a time, openat(O_PATH|O_NOFOLLOW) from the
 * previous one, so every mount crossed shows as a change of mount id and
 * no symlink is followed: none lies on a masked path, so meeting one after
 * a crossing (an attacker's bound symlink, A4/A5) is -EXDEV, and before any
 * (net -> self/net) the ordinary route, which crosses nothing, answers.
 * Each crossing keeps its fd, which pins the mount and its id until
 * mountinfo has been read.  A lookup error stops the walk and is kept in w->err: whether it is
 * the answer depends on the mounts crossed before it.  On return *dirp is
 * the last component's parent and *curp the last component.
 */
static int walk(struct mwalk *w, int *dirp, int *curp)
{
	uint64_t cur_id = w->root.id;
	size_t i = 0;

	*dirp = *curp = w->procfd;
	w->last = w->root;
	w->err = 0;
	w->err_last = false;
	w->symlink = false;
	w->reached = 0;
	while (i < w->len) {
		size_t j = i;
		struct obj o;
		int r;

		while (j < w->len && w->path[j] != '/')
			j++;
		/* The component in place; its length is the kernel's to judge
		 * (procfs's sysctl lookup says ENOENT where ext4 says ENAMETOOLONG). */
		w->path[j] = '\0';
		_cleanup_close_ int next = sys_openat(*curp, w->path + i, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
		if (j < w->len)
			w->path[j] = '/';
		if (next < 0) {
			w->err = next;
			w->err_last = j == w->len;
			return 0;
		}
		r = obj_of(w->procfd, next, &o);
		if (r < 0)
			return r;
		if (S_ISLNK(o.mode)) {
			w->symlink = true;
			return 0;
		}
		if (o.id != cur_id) {
			if (w->ncross == MAX_CROSS)
				return -EXDEV;
			w->cross[w->ncross++] = (struct cross){ .fd = next, .id = o.id, .parent = cur_id, .plen = j };
		}
		if (walk_owns(w, *dirp))
			safe_close(*dirp);
		*dirp = *curp;
		*curp = TAKE_FD(next);
		cur_id = o.id;
		w->last = o;
		w->reached = j;
		if ((j < w->len || w->trailing) && !S_ISDIR(o.mode)) {
			w->err = -ENOTDIR;
			return 0;
		}
		i = j + 1;
	}
	return 0;
}

/* Does the kernel's mountpoint end in "/" + path[0, plen)? */
static bool mountpoint_matches(const char *mp, const char *path, size_t plen)
{
	size_t n = strlen(mp);
	return n > plen && mp[n - plen - 1] == '/' && !memcmp(mp + n - plen, path, plen);
}

/* The claim of one crossing's line: where it sits, what it is. */
static enum procmask_kind crossing_kind(struct mwalk *w, const struct cross *c, const struct procmask_fields *x)
{
	char fstype[64];
	uint64_t parent;

	if (procmask_parse_u64(x->f[1], &parent) < 0 || parent != c->parent)
		return PROCMASK_UNKNOWN;
	if (procmask_unescape(x->f[4], w->buf, sizeof(w->buf), false) < 0 ||
	    !mountpoint_matches(w->buf, w->path, c->plen))
		return PROCMASK_UNKNOWN;
	if (procmask_unescape(x->fstype, fstype, sizeof(fstype), true) < 0 ||
	    procmask_unescape(x->f[3], w->buf, sizeof(w->buf), false) < 0)
		return PROCMASK_UNKNOWN;
	return procmask_classify_rel(fstype, w->buf, procmask_options_ro(x->f[5]), w->path, c->plen);
}

/* mountinfo line -> the crossing with that id, classified.  Fields are
 * decoded one at a time into one buffer: the shim's stack is precious. */
static int crossing_line(const char *line, size_t len, void *ctx)
{
	struct mwalk *w = ctx;
	struct procmask_fields x;
	uint64_t id;

	if (!procmask_line_id(line, len, &id))
		return 0;
	for (size_t i = 0; i < w->ncross; i++) {
		struct cross *c = &w->cross[i];
		if (c->id != id)
			continue;
		/* A line that does not parse leaves the crossing NONE: refused. */
		if (procmask_split_line(line, len, &x) == 0)
			c->kind = crossing_kind(w, c, &x);
		/* Ids are unique in the table: stop when every one was met. */
		return ++w->nseen == w->ncross;
	}
	return 0;
}

/* What mountinfo claimed, checked on the pinned mount itself. */
static int check_object(const struct mwalk *w, const struct cross *c, dev_t proc_dev)
{
	struct statfs sfs;
	struct stat st;

	if (sys_fstat(c->fd, &st) < 0 || sys_fstatfs(c->fd, &sfs) < 0)
		return -EXDEV;
	switch (c->kind) {
	case PROCMASK_DEVNULL:
		return S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3) ? 0 : -EXDEV;
	case PROCMASK_EMPTY_TMPFS:
		/* Nothing found below it, and nothing there at all. */
		if ((unsigned long)sfs.f_type != TMPFS_MAGIC || !(sfs.f_flags & ST_RDONLY) || !S_ISDIR(st.st_mode) ||
		    st.st_size != TMPFS_EMPTY_DIR_SIZE || w->reached > c->plen)
			return -EXDEV;
		return 0;
	case PROCMASK_SELF_BIND:
		return (unsigned long)sfs.f_type == PROC_SUPER_MAGIC && st.st_dev == proc_dev ? 0 : -EXDEV;
	case PROCMASK_NONE:
	case PROCMASK_UNKNOWN:
		break;
	}
	return -EXDEV;
}

static int check_crossings(struct mwalk *w)
{
	int r = scan_mountinfo(w->procfd, crossing_line, w);
	if (r < 0)
		return r;
	for (size_t i = 0; i < w->ncross; i++) {
		r = check_object(w, &w->cross[i], w->root.dev);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * One open of name under dir with the caller's flags.  When a mount may
 * still appear on the way (the last component is itself the crossing, or
 * no openat2 to say RESOLVE_NO_XDEV), whatever it brings must not block or
 * become our terminal before the identity check refuses it: O_NOCTTY (not
 * kept in the file's flags) and O_NONBLOCK (taken off again by the caller
 * when *nonblock_added) are added.  O_PATH opens nothing, so needs neither.
 */
static int open_last(int dir, const char *name, int flags, mode_t mode, bool may_cross, bool *nonblock_added)
{
	/* openat2 refuses what open(2) ignores next to O_PATH; same result. */
	int how = flags & O_PATH ? flags & PATH_ONLY_FLAGS : flags;
	int guard = flags & O_PATH ? 0 : O_NOCTTY | (flags & O_NONBLOCK ? 0 : O_NONBLOCK);
	uint64_t resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	int fd;

	if (!may_cross)
		resolve |= RESOLVE_NO_XDEV;
	*nonblock_added = may_cross && (guard & O_NONBLOCK);
	fd = sys_openat2(dir, name, (uint64_t)(how | (may_cross ? guard : 0)),
	                 (how & (O_CREAT | TMPFILE_BIT)) ? mode : 0, resolve);
	if (fd == -ENOSYS || fd == -EPERM || fd == -EINVAL) {
		*nonblock_added = guard & O_NONBLOCK;
		fd = sys_openat(dir, name, flags | guard, mode);
	}
	return fd == -ELOOP ? -EXDEV : fd;
}

/*
 * Open the last component with the caller's flags, from its parent, and
 * require the object the walk checked: same inode, same mount.  openat2
 * keeps symlinks out and, unless the last component is itself the crossing,
 * any mount; otherwise a mount that appeared since the walk is caught by
 * the comparison (after the open, made harmless by open_last's guard).
 */
static int final_open(struct mwalk *w, int dir, int flags, mode_t mode)
{
	const char *name = ".";
	size_t start = w->len;
	struct obj o;
	uint64_t want = w->ncross ? w->cross[w->ncross - 1].id : w->root.id;
	bool cross_last = w->ncross && w->cross[w->ncross - 1].plen == w->len, nonblock_added;
	int r;

	while (start > 0 && w->path[start - 1] != '/')
		start--;
	if (w->len > 0) {
		name = w->path + start;
		if (w->trailing) /* room: path has 64 spare bytes */
			memcpy(w->path + w->len, "/", 2);
	}
	_cleanup_close_ int fd = open_last(dir, name, flags, mode, cross_last, &nonblock_added);
	if (fd < 0)
		return fd;
	r = obj_of(w->procfd, fd, &o);
	if (r < 0)
		return r;
	if (o.dev != w->last.dev || o.ino != w->last.ino || o.id != want)
		return -EXDEV;
	if (nonblock_added) {
		r = sys_fcntl(fd, F_GETFL, 0);
		if (r >= 0)
			r = sys_fcntl(fd, F_SETFL, r & ~O_NONBLOCK);
		if (r < 0)
			return r;
	}
	return TAKE_FD(fd);
}

/*
 * A write through a mask is -EROFS, but open(2) checks some things first
 * and a program may rely on those answers: a missing file (ENOENT; EROFS
 * when O_CREAT would create it), O_EXCL on an existing one (EEXIST), a
 * directory opened for writing (EISDIR), O_DIRECTORY on a file (ENOTDIR).
 */
static int write_refusal(const struct mwalk *w, int flags)
{
	bool dir = S_ISDIR(w->last.mode);
	if (w->err)
		return w->err == -ENOENT && w->err_last && (flags & O_CREAT) ? -EROFS : w->err;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	if (dir && !(flags & TMPFILE_BIT) && ((flags & O_CREAT) || (flags & O_ACCMODE) != O_RDONLY))
		return -EISDIR;
	if ((flags & O_DIRECTORY) && !dir)
		return -ENOTDIR;
	return -EROFS;
}

static void walk_free(struct mwalk *w, int dir, int cur)
{
	if (walk_owns(w, dir))
		safe_close(dir);
	if (cur != dir && walk_owns(w, cur))
		safe_close(cur);
	for (size_t i = 0; i < w->ncross; i++)
		safe_close(w->cross[i].fd);
	w->ncross = 0;
}

int procmask_open(int procfd, const char *subpath, int flags, mode_t mode)
{
	struct mwalk w;
	int dir = -EBADF, cur = -EBADF, r;

	w.procfd = procfd;
	w.ncross = 0;
	w.nseen = 0;
	r = obj_of(procfd, procfd, &w.root);
	if (r < 0)
		return r;
	/* open(2) refuses an O_TMPFILE without write access before any lookup. */
	if ((flags & TMPFILE_BIT) && !(flags & O_PATH) && (flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	r = normalise(&w, subpath, (flags & O_NOFOLLOW) != 0);
	if (r < 0)
		return r;
	r = walk(&w, &dir, &cur);
	if (r < 0)
		goto out;
	if (w.ncross == 0) {
		/* No mount on the way (any more), or a procfs symlink before
		 * any: the ordinary route, which refuses every crossing. */
		walk_free(&w, dir, cur);
		return proc_open_beneath(procfd, subpath, flags, mode);
	}
	r = w.symlink ? -EXDEV : check_crossings(&w);
	if (r < 0)
		goto out;
	if (wants_write(flags))
		r = write_refusal(&w, flags);
	else if (w.err)
		r = w.err;
	else
		r = final_open(&w, dir, flags, mode);
out:
	walk_free(&w, dir, cur);
	return r;
}

/* ------------------------------------------------------------------ */
/* procmask_list                                                       */
/* ------------------------------------------------------------------ */

struct mlist {
	int procfd;
	uint64_t root_id;
	bool found;
	unsigned dev_major, dev_minor; /* of the /proc mount */
	char proc_mp[PATH_MAX];        /* its mountpoint */
	void (*fn)(const struct procmask_mount *m, enum procmask_kind k, void *ctx);
	void *ctx;
	int count;
	struct procmask_mount m;
};

/* Pass 1: the /proc mount's own line. */
static int list_root_line(const char *line, size_t len, void *ctx)
{
	struct mlist *l = ctx;
	uint64_t id;

	if (l->found || !procmask_line_id(line, len, &id) || id != l->root_id)
		return 0;
	if (procmask_parse_line(line, len, &l->m) < 0)
		return -EXDEV;
	memcpy(l->proc_mp, l->m.mountpoint, sizeof(l->proc_mp));
	l->dev_major = l->m.dev_major;
	l->dev_minor = l->m.dev_minor;
	l->found = true;
	return 0;
}

/*
 * A mask as mountinfo describes it is confirmed by opening its mountpoint
 * the way procmask_open does (pinned crossings, char 1:3, empty ro tmpfs,
 * same procfs): refused means UNKNOWN.  A mask covered by another mount
 * is reached through that one, so it is UNKNOWN when what covers it is
 * (stacking is never a runtime's doing).
 */
static enum procmask_kind list_confirm(struct mlist *l, enum procmask_kind k)
{
	const char *rel = l->m.mountpoint + strlen(l->proc_mp);
	int fd;

	while (*rel == '/')
		rel++;
	if (k == PROCMASK_SELF_BIND && (l->m.dev_major != l->dev_major || l->m.dev_minor != l->dev_minor))
		return PROCMASK_UNKNOWN;
	fd = procmask_open(l->procfd, rel, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd == -EXDEV)
		return PROCMASK_UNKNOWN;
	safe_close(fd);
	return k;
}

/* Pass 2: every mount at or under it. */
static int list_line(const char *line, size_t len, void *ctx)
{
	struct mlist *l = ctx;
	enum procmask_kind k;

	if (procmask_parse_line(line, len, &l->m) < 0)
		return 0;
	if (!strcmp(l->m.mountpoint, l->proc_mp)) {
		/* Ours, one it covers (harmless), or one stacked on it. */
		k = l->m.mnt_id == l->root_id || l->m.parent_id != l->root_id ? PROCMASK_NONE : PROCMASK_UNKNOWN;
	} else {
		k = procmask_classify(&l->m, l->proc_mp);
		if (k == PROCMASK_NONE)
			return 0; /* not under /proc */
		if (k != PROCMASK_UNKNOWN)
			k = list_confirm(l, k);
	}
	l->fn(&l->m, k, l->ctx);
	l->count++;
	return 0;
}

int procmask_list(int procfd, void (*fn)(const struct procmask_mount *m, enum procmask_kind k, void *ctx),
                  void *ctx)
{
	struct mlist l = { .procfd = procfd, .fn = fn, .ctx = ctx };
	struct obj root;
	int r;

	if (!fn)
		return -EINVAL;
	r = obj_of(procfd, procfd, &root);
	if (r < 0)
		return r;
	l.root_id = root.id;
	r = scan_mountinfo(procfd, list_root_line, &l);
	if (r < 0)
		return r;
	if (!l.found)
		return -EXDEV;
	r = scan_mountinfo(procfd, list_line, &l);
	return r < 0 ? r : l.count;
}
