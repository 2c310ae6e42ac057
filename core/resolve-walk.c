/* SPDX-License-Identifier: Apache-2.0 */
/*
 * resolve-walk.c - the userspace contained walker, for kernels and sandboxes
 * without openat2 (resolver.md §5.2 and §7).
 *
 * State: a buffer holding the part of the path not walked yet, kept at the
 * END of the buffer so that a symlink body can be read straight into the
 * free space in front of it and spliced on without copying the rest; and a
 * fixed stack of O_PATH directory fds, the root (borrowed) at the bottom.
 * The buffer is PATH_MAX bytes on the stack; a body that does not fit in
 * front of the rest moves the walk to an anonymous mapping big enough for
 * the kernel's worst case (walk_grow), so the walker has the kernel's limits
 * on names and links, not a limit of its own on their sum.  ".." pops the
 * stack, so it only ever returns to a directory this walk came through, and
 * at the root it stays there.  Going down cannot leave the root; a rename
 * that moves a directory the walk is in elsewhere cannot make ".." follow it.  No malloc, no libc file calls: raw syscalls
 * on the caller's stack (about 5 KiB) plus, only for paths whose links do not
 * fit in PATH_MAX together, one mmap that is unmapped before the call
 * returns; so it is async-signal-safe.
 *
 * Cost: a directory component is one openat(O_PATH|O_NOFOLLOW|O_DIRECTORY)
 * (and its close).  A symlink fails that open with ENOTDIR and is then read
 * with one readlinkat(dirfd, name): the read is a single lookup that both
 * says "this is a symlink" and returns the body of that very inode, so what
 * is classified is what is followed (the property libpathrs gets from
 * readlinkat(fd, "")) without a third syscall.  A non-symlink answers EINVAL
 * and gives the walk its ENOTDIR.  fstatfs runs only for bodies that could be
 * one fstatfs per followed symlink (nosymfollow mounts, procfs magic links).
 * An absolute body does not close the levels already held: walking back
 * down through the same names steps onto them again (walk_reuse), so
 * /usr/lib met below /usr/bin costs no second open of /usr.
 *
 * Limits, stated (the kernel route has none of them):
 *   - RESOLVE_DEPTH_MAX directory levels held at once (-ENAMETOOLONG past it);
 *   - a followed last component that is not a directory is re-opened
 *     through /proc/thread-self/fd (walk_last_reopen) so that F_GETFL shows
 *     the caller's flags; without a usable /proc it is opened with
 *     O_NOFOLLOW added, which F_GETFL then shows (F_SETFL cannot clear it;
 *     opening without it would let a swapped-in symlink be followed by the
 *     kernel, uncontained);
 *   - fs.protected_symlinks is not re-applied (it needs a stat of the
 *     directory and the link per followed symlink);
 *   - a directory moved out of the root while the walk holds it (is below
 *     it, or keeps it for reuse) is not detected for the fd form: ".." still
 *     pops to held fds, so there is no ".." escape, and moving a directory
 *     out of the root needs write access outside it.
 *     The string form checks its answer against /proc.
 */
#include <errno.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "fd.h"
#include "proc.h"
#include "resolve.h"
#include "sys.h"

#ifndef PW_ST_NOSYMFOLLOW
#define PW_ST_NOSYMFOLLOW 0x2000 /* statfs f_flags: MS_NOSYMFOLLOW mount (5.10) */
#endif

/* Step results besides -errno. */
#define STEP_NEXT 0  /* go on with the rest of the path */
#define STEP_DONE 1  /* *res holds the answer */
#define STEP_RETRY 2 /* the entry changed under us: look it up again */

/* walk_name_finish: /proc names something else (outside every errno, so an
 * NFS ESTALE from a lookup is never mistaken for it). */
#define WALK_MISNAMED (-4096)

/* Retries of one component after a concurrent change before -EAGAIN. */
#define WALK_RACES_MAX 16

/* Bytes of level names kept so that an absolute symlink can reuse the
 * directories already held on its way back down (see walk_restart). */
#define WALK_NAMES 512

/*
 * The larger buffer, for when a symlink body does not fit in front of the
 * rest of the path (walk_grow).  The kernel keeps a stack of bodies: the
 * path is shorter than PATH_MAX, every body too (symlink(2) takes its target
 * through the same getname), and at most RESOLVE_MAXSYMLINKS are followed.
 * Each splice adds one body to the rest, so when the last allowed body (and
 * the one refused after it) is read the rest holds at most the path and
 * RESOLVE_MAXSYMLINKS bodies: two PATH_MAX more leave room for that body and
 * for the name it is read through.  168 KiB of address space, of which only
 * the pages touched are ever faulted in.
 */
#define WALK_BIG ((size_t)(RESOLVE_MAXSYMLINKS + 2) * PATH_MAX)

struct walk {
	int depth;                            /* fd[depth] is the current directory */
	unsigned hops;                        /* symlinks followed so far */
	unsigned races;
	char *out;                            /* name modes: the caller's buffer */
	size_t size, len;                     /* its size; the name's full length */
	size_t start;                         /* rem + start: what is left to walk */
	size_t missing_at;                    /* len before a missing last name, or SIZE_MAX */
	char *term;                           /* where a component was NUL-terminated */
	char sep;                             /* the byte that was there */
	int keep;                             /* fd[depth+1..keep]: kept for reuse */
	bool exact;                           /* F_GETFL must show only the caller's flags */
	int fd[RESOLVE_DEPTH_MAX];            /* fd[0] = rootfd, borrowed */
	uint32_t off[RESOLVE_DEPTH_MAX];      /* len before level i's name */
	uint16_t noff[RESOLVE_DEPTH_MAX];     /* level i's name: names + noff[i] */
	uint8_t nlen[RESOLVE_DEPTH_MAX];      /* its length, 0 = not recorded */
	char names[WALK_NAMES];
	char *rem;                            /* rem[0..cap]: stack, or the mapping */
	size_t cap;                           /* rem[cap] is the rest's NUL */
	char stack[PATH_MAX + 1];
};

static inline int walk_top(const struct walk *w)
{
	return w->fd[w->depth];
}

static inline bool walk_is_big(const struct walk *w)
{
	return w->rem != w->stack;
}

/* Append to the name; bytes past the caller's buffer are only counted, so a
 * later ".." can still bring the name back within it. */
static void walk_put(struct walk *w, const char *s, size_t n)
{
	if (w->out && w->len < w->size) {
		size_t room = w->size - w->len;
		memcpy(w->out + w->len, s, n < room ? n : room);
	}
	w->len += n;
}

static void walk_put_name(struct walk *w, const char *name, size_t n)
{
	if (!w->out)
		return;
	walk_put(w, "/", 1);
	walk_put(w, name, n);
}

/* Record level depth's name (levels are a stack, and so are their names). */
static void walk_note_name(struct walk *w, const char *name, size_t n)
{
	int d = w->depth;
	size_t at = d > 1 ? (size_t)w->noff[d - 1] + w->nlen[d - 1] : 0;

	w->noff[d] = (uint16_t)at;
	w->nlen[d] = 0;
	if (n <= UINT8_MAX && at + n <= WALK_NAMES && (d == 1 || w->nlen[d - 1])) {
		memcpy(w->names + at, name, n);
		w->nlen[d] = (uint8_t)n;
	}
}

/* Close the levels kept above the current one. */
static void walk_drop(struct walk *w)
{
	while (w->keep > w->depth)
		safe_close(w->fd[w->keep--]);
}

static int walk_push(struct walk *w, int fd, const char *name, size_t n)
{
	walk_drop(w);
	if (w->depth + 1 >= RESOLVE_DEPTH_MAX) {
		safe_close(fd);
		return -ENAMETOOLONG;
	}
	w->depth++;
	w->keep = w->depth;
	w->fd[w->depth] = fd;
	w->off[w->depth] = (uint32_t)w->len;
	walk_note_name(w, name, n);
	walk_put_name(w, name, n);
	return STEP_NEXT;
}

/* The next directory is name: when the level kept above is that very
 * entry of this directory (fetched earlier in this resolution, before an
 * absolute symlink sent the walk back to the root), step onto it again
 * instead of opening it anew.  Returns true when it did. */
static bool walk_reuse(struct walk *w, const char *name, size_t n)
{
	int d = w->depth + 1;

	if (d > w->keep)
		return false;
	if (w->nlen[d] != n || memcmp(w->names + w->noff[d], name, n) != 0) {
		walk_drop(w);
		return false;
	}
	w->depth = d;
	w->off[d] = (uint32_t)w->len;
	walk_put_name(w, name, n);
	return true;
}

static void walk_pop(struct walk *w)
{
	walk_drop(w);
	if (w->depth == 0)
		return; /* ".." at the root stays at the root */
	safe_close(w->fd[w->depth]);
	w->len = w->off[w->depth];
	w->depth--;
	w->keep = w->depth;
}

/* An absolute body: back to the root.  The levels walked (and any still
 * kept above them: the same chain) stay open as candidates for walk_reuse,
 * so a body like /usr/lib met below /usr/bin does not reopen /usr. */
static void walk_restart(struct walk *w)
{
	w->depth = 0;
	w->len = 0;
}

/* The end of a walk: close everything, unmap the larger buffer. */
static void walk_reset(struct walk *w)
{
	w->depth = 0;
	walk_drop(w);
	w->len = 0;
	if (walk_is_big(w))
		munmap(w->rem, WALK_BIG);
	w->rem = w->stack;
}

static void walk_restore(struct walk *w)
{
	if (w->term) {
		*w->term = w->sep;
		w->term = NULL;
	}
}

/*
 * Move the walk to the WALK_BIG mapping.  The whole stack buffer goes to its
 * end, so every position keeps its distance from the end (walk_loop keeps a
 * component's place that way, and term moves with it) and the free space in
 * front grows by the difference.  Names the caller holds in the stack
 * buffer stay valid: it is not written again.
 */
static int walk_grow(struct walk *w)
{
	size_t delta = WALK_BIG - sizeof(w->stack);
	char *big = mmap(NULL, WALK_BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (big == MAP_FAILED)
		return -ENOMEM;
	memcpy(big + delta, w->stack, sizeof(w->stack));
	if (w->term)
		w->term = big + delta + (w->term - w->stack);
	w->rem = big;
	w->cap = WALK_BIG - 1;
	w->start += delta;
	return 0;
}

/*
 * Read the body of the symlink name of dirfd (or of dirfd itself, name "")
 * into rem[0..avail): avail ends where the rest begins, or where the name
 * begins when the name is in rem.  A body that fills avail may have been cut
 * short: move to the larger buffer and read it again (through the same
 * fd, the same inode; through the name, whatever is there now, which is a
 * state of the tree like any other).  Returns the body's length.
 */
static ssize_t walk_read_body(struct walk *w, int dirfd, const char *name, size_t avail)
{
	/* readlinkat says EINVAL for a size of 0; no room counts as a full read */
	ssize_t n = avail ? sys_readlinkat(dirfd, name, w->rem, avail) : 0;

	if (n >= 0 && (size_t)n >= avail && !walk_is_big(w)) {
		size_t cap = w->cap;
		int r = walk_grow(w);
		if (r < 0)
			return r;
		avail += w->cap - cap;
		n = sys_readlinkat(dirfd, name, w->rem, avail);
	}
	if (n >= 0 && (size_t)n >= avail)
		return -ENAMETOOLONG; /* longer than symlink(2) can make */
	return n;
}

/* The kernel policy a userspace follow must re-apply (resolver.md §7): a
 * nosymfollow mount refuses to follow (-ELOOP, Linux 5.10), and a procfs
 * magic link is -EXDEV under RESOLVE_IN_ROOT.  Magic bodies are absolute
 * (fd/N, exe, cwd, root) or "type:[...]"-like (ns/..., pipes, sockets); the
 * plain procfs links (self, thread-self, mounts, net) are relative names. */
static int walk_may_follow(int fsfd, const char *body, size_t n)
{
	struct statfs sfs;
	int r = sys_fstatfs(fsfd, &sfs);
	if (r < 0)
		return r;
	if (sfs.f_flags & PW_ST_NOSYMFOLLOW)
		return -ELOOP;
	if (sfs.f_type == PROC_SUPER_MAGIC && (body[0] == '/' || memchr(body, ':', n)))
		return -EXDEV;
	return 0;
}

/* A body read into rem[0..n) (walk_read_body, so it fits in front of the
 * rest) from an entry of fsfd's directory (or from the link's own fd): count
 * it against the budget, apply the kernel's follow policy, then splice it in
 * front of the rest.  The order of the checks is the kernel's (pick_link:
 * budget, then may_follow_link, then the body). */
static int walk_splice(struct walk *w, int fsfd, size_t n)
{
	int r;

	if (++w->hops > RESOLVE_MAXSYMLINKS)
		return -ELOOP;
	r = walk_may_follow(fsfd, w->rem, n);
	if (r < 0)
		return r;
	if (n == 0)
		return -ENOENT; /* an empty body names nothing */
	walk_restore(w);
	memmove(w->rem + w->start - n, w->rem, n);
	w->start -= n;
	if (w->rem[w->start] == '/')
		walk_restart(w); /* absolute body: start again at the root */
	return STEP_NEXT;
}

/* Follow the entry name of the current directory if it is a symlink.
 * -EINVAL: it is not one (now).  name lies in rem just before the rest; the
 * body is read into the space in front of it, so that a body which has to
 * be read again (walk_read_body) can still be looked up by its name. */
static int walk_follow_name(struct walk *w, const char *name)
{
	ssize_t n = walk_read_body(w, walk_top(w), name, (size_t)(name - w->rem));
	if (n < 0)
		return (int)n;
	return walk_splice(w, walk_top(w), (size_t)n);
}

/* Same through the entry's own O_PATH|O_NOFOLLOW fd.  1: not a symlink. */
static int walk_follow_fd(struct walk *w, int fd)
{
	ssize_t n = walk_read_body(w, fd, "", w->start);
	if (n == -EINVAL || n == -ENOENT)
		return 1;
	if (n < 0)
		return (int)n;
	return walk_splice(w, fd, (size_t)n);
}

/* A component that must be a directory: not the last, or followed by '/'. */
static int walk_dir(struct walk *w, const char *name, size_t n)
{
	int fd, r;

	if (walk_reuse(w, name, n))
		return STEP_NEXT;
	fd = sys_openat(walk_top(w), name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd >= 0)
		return walk_push(w, fd, name, n);
	if (fd != -ENOTDIR)
		return fd;
	r = walk_follow_name(w, name);
	return r == -EINVAL ? -ENOTDIR : r;
}

/* The last component is not a symlink (opath, its O_PATH|O_NOFOLLOW fd).
 * A directory is "." under opath: a "." lookup follows nothing.  For a
 * library caller anything else is the name opened again with O_NOFOLLOW
 * added (pinned: a symlink swapped in meanwhile is ELOOP, and we look
 * again); F_GETFL then shows that bit, which changes nothing else.  For the
 * shim (w->exact: F_GETFL must show no O_NOFOLLOW the caller did not ask
 * for, DESIGN §2, finding F4) anything else is re-opened
 * through the process's own verified /proc (proc_reopen: the kernel jumps
 * to opath's very dentry, so a symlink swapped in for the name is never
 * seen).  Opening the name again instead would need O_NOFOLLOW added,
 * which F_GETFL shows and F_SETFL cannot clear; that is done only when
 * /proc offers no route (not mounted, no thread-self), or when the re-open
 * found another inode (overlayfs before 4.19 hands out the layer's file;
 * or /proc was tampered with): a visible flag rather than a failure, and
 * never a followed symlink. */
static int walk_last_reopen(struct walk *w, const char *name, int opath, const struct stat *st, int flags,
                            mode_t mode, int *res)
{
	_cleanup_close_ int procroot = -EBADF;
	int fd;

	if (S_ISDIR(st->st_mode))
		fd = sys_openat(opath, ".", flags | O_CLOEXEC, mode);
	else if (flags & O_DIRECTORY)
		fd = -ENOTDIR; /* O_DIRECTORY, O_TMPFILE on a non-directory */
	else if (!w->exact) {
		fd = sys_openat(walk_top(w), name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd == -ELOOP)
			return STEP_RETRY; /* a symlink now: look again */
	} else {
		procroot = proc_own_root();
		fd = proc_reopen(procroot, opath, flags | O_CLOEXEC, mode);
		if (fd == PROC_REOPEN_NOROUTE || fd == -EXDEV) {
			fd = sys_openat(walk_top(w), name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
			if (fd == -ELOOP)
				return STEP_RETRY; /* a symlink now: look again */
		}
	}
	if (fd < 0)
		return fd;
	*res = fd;
	return STEP_DONE;
}

/* The last component, opened as openat2 would with the caller's flags.
 * Not following (O_NOFOLLOW, or O_CREAT|O_EXCL where the kernel implies it
 * without showing it): one open, as asked.  Following: look first
 * (O_PATH|O_NOFOLLOW); a symlink is followed here, a missing name with
 * O_CREAT is created with O_EXCL added (it never follows either and does
 * not show in F_GETFL; EEXIST means the name appeared meanwhile, so look
 * again), anything else is opened by walk_last_reopen. */
static int walk_last_open(struct walk *w, const char *name, int flags, mode_t mode, int *res)
{
	bool follow = !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
	_cleanup_close_ int opath = -EBADF;
	struct stat st;
	int fd, r;

	if (follow)
		opath = sys_openat(walk_top(w), name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
	if (follow && opath >= 0) {
		if (sys_fstat(opath, &st) < 0)
			return -EBADF;
		if (!S_ISLNK(st.st_mode))
			return walk_last_reopen(w, name, opath, &st, flags, mode, res);
		r = walk_follow_fd(w, opath);
		return r == 1 ? STEP_RETRY : r;
	}
	if (follow && !(opath == -ENOENT && (flags & O_CREAT)))
		return opath;
	fd = sys_openat(walk_top(w), name, flags | (follow ? O_EXCL : 0) | O_CLOEXEC, mode);
	if (fd == -EEXIST && follow && !(flags & O_EXCL))
		return STEP_RETRY;
	if (fd < 0)
		return fd;
	*res = fd;
	return STEP_DONE;
}

/* The last component in the name modes.  *res: an O_PATH fd of the answer,
 * or -EBADF when the answer is "parent + missing name". */
static int walk_last_name(struct walk *w, const char *name, size_t n, resolve_kind_t kind, int *res)
{
	int fd, r;

	fd = sys_openat(walk_top(w), name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd == -ENOENT && kind == RESOLVE_KIND_NAME_NOLAST) {
		w->missing_at = w->len;
		walk_put_name(w, name, n);
		*res = -EBADF;
		return STEP_DONE;
	}
	if (fd < 0)
		return fd;
	if (kind == RESOLVE_KIND_NAME) {
		r = walk_follow_fd(w, fd);
		if (r != 1) {
			safe_close(fd);
			return r;
		}
	}
	walk_put_name(w, name, n);
	*res = fd;
	return STEP_DONE;
}

/* The answer is the current directory itself ("/", ".", "..", "dir/"). */
static int walk_here(struct walk *w, resolve_kind_t kind, int flags, mode_t mode, int *res)
{
	if (kind == RESOLVE_KIND_OPEN) {
		int fd = sys_openat(walk_top(w), ".", flags | O_CLOEXEC, mode);
		if (fd < 0)
			return fd;
		*res = fd;
	} else {
		*res = -EBADF;
	}
	return STEP_DONE;
}

static int walk_last(struct walk *w, const char *name, size_t n, resolve_kind_t kind, int flags, mode_t mode,
                     int *res)
{
	if (kind == RESOLVE_KIND_OPEN)
		return walk_last_open(w, name, flags, mode, res);
	return walk_last_name(w, name, n, kind, res);
}

/*
 * The walk.  Each turn takes the next component off the front of rem:
 *   - runs of '/' separate components; nothing left: the answer is here;
 *   - "." stays, ".." pops (clamped at the root);
 *   - a component followed by more, or by a trailing '/', must be a
 *     directory (a symlink there is followed, its body spliced in front of
 *     the rest, so its own trailing '/' and the rest's both still apply);
 *   - the last component is opened/named per kind.
 * With O_CREAT a trailing slash is EISDIR before the name is looked up, as
 * in the kernel's open_last_lookups().
 */
static int walk_loop(struct walk *w, resolve_kind_t kind, int flags, mode_t mode, int *res)
{
	for (;;) {
		char *p = w->rem + w->start, *e, *q;
		size_t from_end = w->cap - w->start; /* p's place, kept across walk_grow */
		bool last, slash;
		size_t n;
		int r;

		while (*p == '/')
			p++;
		if (!*p)
			return walk_here(w, kind, flags, mode, res);
		for (e = p; *e && *e != '/'; e++)
			;
		for (q = e; *q == '/'; q++)
			;
		last = !*q;
		slash = *e == '/';
		n = (size_t)(e - p);
		w->start = (size_t)(e - w->rem);
		if (n <= 2 && p[0] == '.' && (n == 1 || p[1] == '.')) {
			if (n == 2)
				walk_pop(w);
			if (last)
				return walk_here(w, kind, flags, mode, res);
			continue;
		}
		w->term = e;
		w->sep = *e;
		*e = '\0';
		if (!last || slash)
			r = (last && kind == RESOLVE_KIND_OPEN && (flags & O_CREAT)) ? -EISDIR : walk_dir(w, p, n);
		else
			r = walk_last(w, p, n, kind, flags, mode, res);
		walk_restore(w);
		if (r == STEP_RETRY) {
			if (++w->races > WALK_RACES_MAX)
				return -EAGAIN;
			w->start = w->cap - from_end;
			continue;
		}
		if (r != STEP_NEXT)
			return r;
	}
}

static void walk_init(struct walk *w, int rootfd, const char *path, size_t plen, char *buf, size_t size)
{
	w->depth = 0;
	w->keep = 0;
	w->fd[0] = rootfd;
	w->off[0] = 0;
	w->hops = 0;
	w->races = 0;
	w->out = buf;
	w->size = size;
	w->len = 0;
	w->term = NULL;
	w->missing_at = SIZE_MAX;
	w->rem = w->stack;
	w->cap = PATH_MAX;
	w->start = w->cap - plen;
	memcpy(w->rem + w->start, path, plen);
	w->rem[w->cap] = '\0';
}

/* Name modes: terminate the name and check it against /proc's view of the
 * answer (of its parent when the last name is missing).  /proc unable to
 * tell (not mounted, names too long) leaves the walker's own names, which
 * came from the fds it held.  WALK_MISNAMED: /proc names something else. */
static int walk_name_finish(struct walk *w, int rootfd, int res)
{
	size_t vlen = w->missing_at != SIZE_MAX ? w->missing_at : w->len;
	int r;

	if (w->len == 0)
		walk_put(w, "/", 1);
	if (w->len >= w->size)
		return -ERANGE;
	w->out[w->len] = '\0';
	r = resolve_name_check(rootfd, res >= 0 ? res : walk_top(w), vlen ? w->out : "/", vlen ? vlen : 1);
	return r == -EXDEV ? WALK_MISNAMED : (int)w->len;
}

int resolve_walk(int rootfd, const char *path, resolve_kind_t kind, int flags, mode_t mode, char *buf, size_t size)
{
	struct walk w;
	size_t plen = strlen(path);
	int r, res = -EBADF;
	bool exact = kind == RESOLVE_KIND_OPEN_EXACT;

	if (exact)
		kind = RESOLVE_KIND_OPEN;
	for (int attempt = 0; attempt < 4; attempt++) {
		walk_init(&w, rootfd, path, plen, kind == RESOLVE_KIND_OPEN ? NULL : buf, size);
		w.exact = exact;
		res = -EBADF;
		r = walk_loop(&w, kind, flags, mode, &res);
		if (r >= 0 && kind != RESOLVE_KIND_OPEN)
			r = walk_name_finish(&w, rootfd, res);
		else if (r >= 0)
			r = TAKE_FD(res);
		if (kind != RESOLVE_KIND_OPEN)
			res = safe_close(res);
		walk_reset(&w);
		if (r != WALK_MISNAMED)
			return r;
		/* the name did not match /proc's: something moved; walk again */
	}
	return -EXDEV;
}
