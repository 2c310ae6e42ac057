/* SPDX-License-Identifier: Apache-2.0 */
/*
 * realpath.c - realpath, __realpath_chk, canonicalize_file_name.
 *
 * glibc's realpath resolves with internal calls no wrapper sees (shim.md
 * §2.4), so it is re-implemented for routed paths:
 *   PROC: the object is opened through the verified route and its name is
 *         the verified /proc/thread-self/fd/N text - what the kernel says,
 *         e.g. "/proc/1234/status" for "/proc/self/status";
 *   ROOT: pathward_resolve() inside the root, prefixed with the root's
 *         prefix, so the answer stays inside the root ("/proc/PID/root/x"
 *         for a path under another process's root, never a host path;
 *         "/x" for /proc/self/root/x, as the kernel says: that root is ours).
 * One unversioned definition catches both realpath@GLIBC_2.2.5 and
 * realpath@@GLIBC_2.3.  realpath(p, NULL) and canonicalize_file_name
 * return malloc'd memory (the caller frees it): the only allocation in the
 * shim, required by the API.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fd.h"
#include "pathward.h"
#include "shim.h"
#include "sys.h"

char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen);

/* Append "/proc/" + sub (spelled as the caller did) with "//" and "/./"
 * collapsed.  Returns the length written. */
static size_t procsub_prefix(const struct classify *c, char *out)
{
	size_t n = 0;
	const char *s = c->procsub, *end = c->procsub + c->procsub_len;

	memcpy(out, "/proc", 5);
	n = 5;
	while (s < end) {
		while (s < end && *s == '/')
			s++;
		const char *b = s;
		while (s < end && *s != '/')
			s++;
		if (s == b || (s - b == 1 && *b == '.'))
			continue;
		out[n++] = '/';
		memcpy(out + n, b, (size_t)(s - b));
		n += (size_t)(s - b);
	}
	out[n] = '\0';
	return n;
}

/* /proc/self/root, /proc/thread-self/root (+ task forms): our own root. */
static bool own_root(const struct classify *c)
{
	return (c->procsub_len >= 5 && memcmp(c->procsub, "self/", 5) == 0) ||
	       (c->procsub_len >= 12 && memcmp(c->procsub, "thread-self/", 12) == 0);
}

static int realpath_root(struct shim_ctx *x, char *out)
{
	size_t plen;

	_cleanup_close_ int base = route_root_base(x);
	if (base < 0)
		return x->why ? route_refuse(x, x->why) : base;
	if (x->c.root == CLASSIFY_ROOT_PROCPID && own_root(&x->c)) {
		plen = 0; /* our own root is "/": the kernel's answer, unprefixed */
	} else if (x->c.root == CLASSIFY_ROOT_PROCPID) {
		plen = procsub_prefix(&x->c, out);
	} else {
		const struct policy_root *r = &shim_policy.roots[x->c.root];
		plen = r->len == 1 ? 0 : r->len;
		memcpy(out, r->path, plen);
	}
	int r = pathward_resolve(base, x->c.rest[0] ? x->c.rest : "/", 0, out + plen, PATH_MAX - plen);
	if (r == -ERANGE)
		return -ENAMETOOLONG;
	if (r == -EXDEV)
		return route_refuse(x, "magic link in root (EXDEV)");
	if (r < 0)
		return r;
	if (plen > 0 && r == 1) { /* the root itself: "/" adds nothing */
		out[plen] = '\0';
		return (int)plen;
	}
	return (int)plen + r;
}

static char *realpath_slow(const char *call, const char *path, char *resolved, bool *handled)
{
	struct shim_ctx x;
	char tmp[PATH_MAX];
	char *out = resolved ? resolved : tmp;
	int r;

	*handled = false;
	if (!shim_enter(&x, call, AT_FDCWD, path, true))
		return NULL;
	if (x.c.cls == CLASSIFY_PROC || shim_policy.mode == POLICY_MODE_AUDIT) {
		r = route_step(&x, O_PATH | O_CLOEXEC, 0);
		if (r == SHIM_REAL) {
			shim_ret(&x, r);
			return NULL;
		}
		if (r >= 0) {
			int fd = r;
			r = route_fd_path(fd, out, PATH_MAX);
			safe_close(fd);
		}
	} else {
		r = realpath_root(&x, out);
	}
	*handled = true;
	if (r < 0)
		return shim_ret_ptr(&x, NULL, -r);
	if (!resolved) {
		out = malloc((size_t)r + 1);
		if (!out)
			return shim_ret_ptr(&x, NULL, ENOMEM);
		memcpy(out, tmp, (size_t)r + 1);
	}
	return shim_ret_ptr(&x, out, 0);
}

SHIM_EXPORT char *realpath(const char *path, char *resolved)
{
	if (shim_hit(AT_FDCWD, path)) {
		bool handled;
		char *p = realpath_slow("realpath", path, resolved, &handled);
		if (handled)
			return p;
	}
	if (!shim_real.realpath) {
		errno = ENOSYS;
		return NULL;
	}
	return shim_real.realpath(path, resolved);
}

/* Fortify form: a buffer smaller than PATH_MAX goes to glibc (it aborts). */
SHIM_EXPORT char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen)
{
	if (resolvedlen >= PATH_MAX && shim_hit(AT_FDCWD, path)) {
		bool handled;
		char *p = realpath_slow("__realpath_chk", path, resolved, &handled);
		if (handled)
			return p;
	}
	if (!shim_real.realpath_chk) {
		errno = ENOSYS;
		return NULL;
	}
	return shim_real.realpath_chk(path, resolved, resolvedlen);
}

SHIM_EXPORT char *canonicalize_file_name(const char *path)
{
	if (shim_hit(AT_FDCWD, path)) {
		bool handled;
		char *p = realpath_slow("canonicalize_file_name", path, NULL, &handled);
		if (handled)
			return p;
	}
	if (!shim_real.canonicalize_file_name) {
		errno = ENOSYS;
		return NULL;
	}
	return shim_real.canonicalize_file_name(path);
}
