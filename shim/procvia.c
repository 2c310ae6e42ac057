/* SPDX-License-Identifier: Apache-2.0 */
/*
 * procvia.c - /proc paths the core's handle rules refuse but the kernel
 * serves to an ordinary program, with no attack involved (DESIGN §2
 * "Transparency"):
 *
 *   ".."         /proc/self/../self/comm: the part up to the last ".." is
 *                opened physically beneath the verified root, never crossing
 *                a mount (openat2 RESOLVE_BENEATH|RESOLVE_NO_XDEV|
 *                RESOLVE_NO_MAGICLINKS, or without openat2 one component at
 *                a time with a mount-id check per step);
 *   magic middle /proc/self/cwd/x, /proc/self/fd/N/x (exe, ns/X and
 *                map_files/X too: the kernel says ENOTDIR there): the magic
 *                link is followed as a last component after the core's mount
 *                check.
 *
 * Either way the result is a directory D.  Its verified name
 * (/proc/thread-self/fd/D) joined to the remainder is classified again:
 * PROC/ROOT route once more (one level only), PASS opens the remainder
 * relative to D itself - the kernel's own meaning of the original path.
 */
#include <errno.h>
#include <string.h>

#include "fd.h"
#include "proc.h"
#include "shim.h"
#include "strutil.h"
#include "sys.h"

static bool comp_is(const char *s, size_t n, const char *w)
{
	return n == strlen(w) && memcmp(s, w, n) == 0;
}

/* Next component of *s: its start and length; *s moves past it.  false at
 * the end. */
static bool next_comp(const char **s, const char **c, size_t *n)
{
	while (**s == '/')
		(*s)++;
	if (!**s)
		return false;
	*c = *s;
	while (**s && **s != '/')
		(*s)++;
	*n = (size_t)(*s - *c);
	return true;
}

/* The same, stepping over "." components, which the kernel's walk does. */
static bool next_comp_nodot(const char **s, const char **c, size_t *n)
{
	while (next_comp(s, c, n))
		if (!comp_is(*c, *n, "."))
			return true;
	return false;
}

/* End of the last ".." component of rest, or NULL. */
const char *procvia_dotdot_end(const char *rest)
{
	const char *s = rest, *c, *end = NULL;
	size_t n;
	while (next_comp(&s, &c, &n))
		if (comp_is(c, n, ".."))
			end = s;
	return end;
}

/* End of "<pid|self|thread-self>[/task/<tid>]/{cwd,exe,fd/N,ns/X,map_files/X}"
 * (the per-process magic links) at the start of rest when something
 * follows it, or NULL. */
const char *procvia_magic_end(const char *rest)
{
	const char *s = rest, *c;
	size_t n;

	if (!next_comp_nodot(&s, &c, &n) ||
	    !(str_is_digits(c, n) || comp_is(c, n, "self") || comp_is(c, n, "thread-self")))
		return NULL;
	if (!next_comp_nodot(&s, &c, &n))
		return NULL;
	if (comp_is(c, n, "task")) {
		if (!next_comp_nodot(&s, &c, &n) || !str_is_digits(c, n) || !next_comp_nodot(&s, &c, &n))
			return NULL;
	}
	if (comp_is(c, n, "fd") || comp_is(c, n, "ns") || comp_is(c, n, "map_files")) {
		if (!next_comp_nodot(&s, &c, &n))
			return NULL;
	} else if (!comp_is(c, n, "cwd") && !comp_is(c, n, "exe")) {
		return NULL;
	}
	const char *t = s;
	return next_comp(&t, &c, &n) ? s : NULL; /* "cwd/." too: the link must be a directory */
}

/* "..": the walk left /proc through its root (".." of a mount's root is
 * the mountpoint's parent: "/"); *escape points after that "..". */
#define LEFT_PROC (-ECHILD)

/*
 * Walk p beneath the verified root procfd the way the kernel does, ".."
 * applied to where the walk really is: cur holds the kernel's own name of
 * the directory reached (its verified /proc/thread-self/fd text, below
 * /proc), so "self/.." is /proc and "thread-self/.." is /proc/PID/task.
 * Every step is opened from the root by the core (its mount checks apply
 * to the whole path); ".." at the root is LEFT_PROC.  Used without openat2,
 * and to tell an escape from a mount crossing when openat2 says EXDEV.
 */
static int walk_physical(int procfd, const char *p, const char **escape)
{
	char cur[PATH_MAX];
	size_t cl = 0;
	const char *s = p, *c;
	size_t n;

	cur[0] = '\0';
	while (next_comp(&s, &c, &n)) {
		if (comp_is(c, n, "."))
			continue;
		if (comp_is(c, n, "..")) {
			if (cl == 0) {
				*escape = s;
				return LEFT_PROC;
			}
			while (cl > 0 && cur[cl - 1] != '/')
				cl--;
			cl = cl > 0 ? cl - 1 : 0;
			cur[cl] = '\0';
			continue;
		}
		if (cl + 1 + n >= sizeof(cur))
			return -ENAMETOOLONG;
		if (cl > 0)
			cur[cl++] = '/';
		memcpy(cur + cl, c, n);
		cur[cl + n] = '\0';
		_cleanup_close_ int fd = proc_open_beneath(procfd, cur, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
		if (fd < 0)
			return fd;
		int t = route_fd_path(fd, cur, sizeof(cur));
		if (t < 0)
			return t;
		if (strcmp(cur, "/proc") == 0)
			cl = 0;
		else if (strncmp(cur, "/proc/", 6) == 0)
			cl = (size_t)t - 6;
		else
			return -EXDEV; /* a magic link led out of /proc */
		memmove(cur, cur + (cl ? 6 : t), cl + 1);
	}
	return proc_open_beneath(procfd, cl ? cur : ".", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
}

/* Open the directory p (NUL-terminated) beneath procfd. */
static int open_dir(int procfd, const char *p, bool dotdot, const char **escape)
{
	if (!dotdot)
		return proc_open_beneath(procfd, p, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	int r = sys_openat2(procfd, p, O_PATH | O_DIRECTORY | O_CLOEXEC, 0,
	                    RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS);
	if (r != -ENOSYS && r != -EPERM && r != -EXDEV)
		return r;
	return walk_physical(procfd, p, escape);
}

/* Re-route "/" + the rest after the ".." that left /proc (+ rem): the
 * kernel goes on from /proc's parent, which is "/" for a path classified
 * under "/proc". */
static int left_proc(struct shim_ctx *x, const char *escape, const char *rem, int flags, mode_t mode)
{
	size_t el = strlen(escape), rl = strlen(rem);

	if (1 + el + 1 + rl >= sizeof(x->buf))
		return -ENAMETOOLONG;
	memmove(x->buf + 1, escape, el + 1);
	x->buf[0] = '/';
	x->buf[1 + el] = '/';
	memcpy(x->buf + 2 + el, rem, rl + 1);
	x->path = x->buf;
	if (classify_path(&shim_policy, x->path, &x->c) == CLASSIFY_PASS)
		return sys_openat(AT_FDCWD, x->path, flags, mode);
	if (x->depth++ > 0) {
		x->why = "'..' leaving /proc or crossing a mount (EXDEV)";
		return -EXDEV;
	}
	return route_open(x, flags, mode);
}

int procvia_open(struct shim_ctx *x, int procfd, const char *end, bool dotdot, int flags, mode_t mode)
{
	char rem[PATH_MAX];
	size_t plen = strlen(x->path);

	/* Work in x->buf (two PATH_MAX buffers at most on this path): the
	 * directory part is cut there in place, then its name replaces it. */
	if (x->path != x->buf) {
		if (plen >= sizeof(x->buf))
			return -ENAMETOOLONG;
		memcpy(x->buf, x->path, plen + 1);
		x->c.rest = x->buf + (x->c.rest - x->path);
		end = x->buf + (end - x->path);
		x->path = x->buf;
	}
	const char *tail = end;
	while (*tail == '/')
		tail++;
	size_t tlen = strlen(tail);
	memcpy(rem, tail[0] ? tail : ".", tail[0] ? tlen + 1 : 2);
	x->buf[end - x->buf] = '\0';

	const char *escape = NULL;
	_cleanup_close_ int dfd = open_dir(procfd, x->c.rest, dotdot, &escape);
	if (dfd == LEFT_PROC)
		return left_proc(x, escape, rem, flags, mode);
	if (dfd == -EXDEV)
		x->why = dotdot ? "'..' leaving /proc or crossing a mount (EXDEV)" : "overmounted (EXDEV)";
	else if (dfd == -ELOOP)
		x->why = "magic link (ELOOP)";
	if (dfd < 0)
		return dfd;
	int n = route_fd_path(dfd, x->buf, sizeof(x->buf));
	if (n < 0)
		return n;
	if (x->buf[0] != '/' || (size_t)n + 1 + strlen(rem) >= sizeof(x->buf))
		return sys_openat(dfd, rem, flags, mode);
	if (x->buf[n - 1] != '/')
		x->buf[n++] = '/';
	memcpy(x->buf + n, rem, strlen(rem) + 1);
	if (classify_path(&shim_policy, x->path, &x->c) == CLASSIFY_PASS)
		return sys_openat(dfd, rem, flags, mode);
	if (x->depth++ > 0) {
		x->why = "magic link (ELOOP)";
		return -ELOOP;
	}
	return route_open(x, flags, mode);
}
