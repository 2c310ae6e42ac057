/* SPDX-License-Identifier: Apache-2.0 */
/*
 * canon.c - the real walk behind CLASSIFY_CANON (see canon.h).
 */
#include "canon.h"

#include <limits.h>
#include <string.h>

#include "fd.h"
#include "sys.h"

struct canon_walk {
	const struct policy *p;
	int fd;              /* where the walk stands (O_PATH) */
	size_t clen;         /* canonical text length; 0 is "/" */
	int links;
	char canon[PATH_MAX]; /* canonical text, no trailing '/' */
	char rem[PATH_MAX];   /* raw components still to walk */
	char link[PATH_MAX];  /* a symlink body, then body + rest */
};

static bool digits(const char **s)
{
	const char *t = *s;
	while (**s >= '0' && **s <= '9')
		(*s)++;
	return *s != t;
}

/* Is the canonical text t (len bytes) /proc/<pid>[/task/<tid>]/root? */
static bool proc_root(const char *t, size_t len)
{
	char buf[64];
	const char *s = buf;

	if (len >= sizeof(buf) || len < 6 || memcmp(t, "/proc/", 6) != 0)
		return false;
	memcpy(buf, t, len);
	buf[len] = '\0';
	s += 6;
	if (!digits(&s))
		return false;
	if (!strncmp(s, "/task/", 6)) {
		s += 6;
		if (!digits(&s))
			return false;
	}
	return !strcmp(s, "/root");
}

/* Does the walk stop at the canonical text t (len bytes)? */
static bool is_prefix(const struct policy *p, const char *t, size_t len)
{
	if (p->proc == POLICY_PROC_SAFE && len == 5 && !memcmp(t, "/proc", 5))
		return true;
	for (size_t i = 0; i < p->nroots; i++)
		if (p->roots[i].len == len && !memcmp(p->roots[i].path, t, len))
			return true;
	return proc_root(t, len);
}

static int reset_to_slash(struct canon_walk *w)
{
	int fd = sys_openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	safe_close(w->fd);
	w->fd = fd;
	w->clen = 0;
	return 0;
}

/* "..": the kernel's parent of where we stand, and the text's last
 * component popped ("/" stays "/"). */
static int step_up(struct canon_walk *w)
{
	int fd = sys_openat(w->fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	safe_close(w->fd);
	w->fd = fd;
	while (w->clen > 0 && w->canon[w->clen - 1] != '/')
		w->clen--;
	if (w->clen > 0)
		w->clen--;
	return 0;
}

/* The symlink body (blen bytes in w->link) goes in front of next; an
 * absolute body restarts at "/".  The text stays where it stood. */
static int body_splice(struct canon_walk *w, size_t blen, const char *next)
{
	size_t nlen = strlen(next);

	if (++w->links > CANON_MAX_LINKS)
		return -ELOOP;
	/* next is "" or starts with its '/': body + next is the new text. */
	if (blen + nlen >= sizeof(w->link))
		return -ENAMETOOLONG;
	memcpy(w->link + blen, next, nlen + 1);
	memcpy(w->rem, w->link, blen + nlen + 1);
	return w->link[0] == '/' ? reset_to_slash(w) : 0;
}

/*
 * One named component (w->canon[w->clen+1 ..] holds it, NUL-terminated):
 * 1 when it is a symlink that was spliced (the walk goes on from w->rem),
 * 0 when the walk stepped into it, <0 to give up.
 */
static int step_into(struct canon_walk *w, size_t cand, const char *next, bool nofollow)
{
	_cleanup_close_ int nfd = sys_openat(w->fd, w->canon + w->clen + 1, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
	if (nfd < 0)
		return nfd;
	ssize_t r = sys_readlinkat(nfd, "", w->link, sizeof(w->link));
	if (r == -ENOENT || r == -EINVAL) {
		/* Not a symlink (readlinkat on "" says ENOENT for those). */
		safe_close(w->fd);
		w->fd = TAKE_FD(nfd);
		w->clen = cand;
		return 0;
	}
	if (r < 0)
		return (int)r;
	if (nofollow || (size_t)r >= sizeof(w->link))
		return -ELOOP;
	r = body_splice(w, (size_t)r, next);
	return r < 0 ? (int)r : 1;
}

static int emit(struct canon_walk *w, size_t len, const char *next, char *out, size_t size)
{
	size_t nlen = strlen(next);

	if (len + nlen >= size)
		return 0;
	memmove(out, w->canon, len);
	memmove(out + len, next, nlen + 1);
	return 1;
}

/*
 * The walk: s runs over w->rem; before each named component the
 * candidate text (canon + "/" + name) is checked against the prefixes, so
 * a prefix that is itself a symlink is entered, not followed.
 */
static int walk(struct canon_walk *w, bool follow, char *out, size_t size)
{
	const char *s = w->rem;

	for (;;) {
		while (*s == '/')
			s++;
		size_t n = strcspn(s, "/");
		const char *next = s + n;
		if (n == 0)
			return 0; /* walked to the end outside every prefix */
		if (n == 1 && s[0] == '.') {
			s = next;
			continue;
		}
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (step_up(w) < 0)
				return 0;
			s = next;
			continue;
		}
		size_t cand = w->clen + 1 + n;
		if (cand >= sizeof(w->canon) || n > NAME_MAX)
			return 0;
		w->canon[w->clen] = '/';
		memcpy(w->canon + w->clen + 1, s, n);
		w->canon[cand] = '\0';
		if (is_prefix(w->p, w->canon, cand))
			return emit(w, cand, next, out, size);
		const char *after = next + strspn(next, "/");
		int r = step_into(w, cand, next, !follow && *next == '\0' && *after == '\0');
		if (r < 0)
			return 0;
		s = r ? w->rem : next;
	}
}

int canon_enter(const struct policy *p, const char *path, bool follow, char *out, size_t size)
{
	struct canon_walk w = { .p = p, .fd = -1 };
	size_t len = path ? strlen(path) : 0;

	if (len == 0 || path[0] != '/' || len >= sizeof(w.rem))
		return 0;
	memcpy(w.rem, path, len + 1);
	if (reset_to_slash(&w) < 0)
		return 0;
	int r = walk(&w, follow, out, size);
	safe_close(w.fd);
	return r;
}
