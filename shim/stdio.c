/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stdio.c - fopen, fopen64, freopen, freopen64.
 *
 * glibc's fopen opens with an internal openat that no interposed open sees
 * (shim.md §2.4), so it is wrapped itself: the mode string is turned into
 * open flags exactly as glibc's _IO_new_file_fopen does, the file is opened
 * through the safe route (creating and truncating there), and fdopen builds
 * the stream with the caller's mode.  Gap: ",ccs=" (a wide-stream charset)
 * is not applied on the routed path; fdopen ignores it.
 */
#include <errno.h>
#include <string.h>

#include "fd.h"
#include "shim.h"
#include "sys.h"

/* fopen's mode string -> open flags, or -1 for a mode glibc rejects. */
static int mode_flags(const char *mode)
{
	int acc, extra;

	switch (mode[0]) {
	case 'r':
		acc = O_RDONLY;
		extra = 0;
		break;
	case 'w':
		acc = O_WRONLY;
		extra = O_CREAT | O_TRUNC;
		break;
	case 'a':
		acc = O_WRONLY;
		extra = O_CREAT | O_APPEND;
		break;
	default:
		return -1;
	}
	/* glibc looks at most 6 more characters and stops at ','. */
	for (int i = 1; i < 7 && mode[i] && mode[i] != ','; i++) {
		if (mode[i] == '+')
			acc = O_RDWR;
		else if (mode[i] == 'x')
			extra |= O_EXCL;
		else if (mode[i] == 'e')
			extra |= O_CLOEXEC;
	}
	return acc | extra;
}

/* The routing fopen and freopen share: the routed fd to wrap in a stream,
 * or -1 when there is none: either the call is not ours (*handled false:
 * call the real function) or it failed (*handled true, errno set, x left). */
static int stdio_route(struct shim_ctx *x, const char *call, const char *path, int flags, bool *handled)
{
	*handled = false;
	if (flags < 0 || !shim_enter(x, call, AT_FDCWD, path, shim_open_follows(flags)))
		return -1;
	int fd = route_step(x, flags, 0666);
	if (fd == SHIM_REAL) {
		shim_ret(x, fd);
		return -1;
	}
	*handled = true;
	if (fd < 0) {
		shim_ret_ptr(x, NULL, -fd);
		return -1;
	}
	return fd;
}

/* NULL + errno, or the stream; *handled false means "call the real one". */
static FILE *fopen_slow(const char *call, const char *path, const char *mode, bool *handled)
{
	struct shim_ctx x;
	int fd = stdio_route(&x, call, path, mode ? mode_flags(mode) : -1, handled);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, mode);
	int err = errno;
	if (!f)
		safe_close(fd);
	return shim_ret_ptr(&x, f, err);
}

/* The real fopen is not resolved yet only while our own initialisation
 * re-enters (a malloc reading a file under dlsym): open raw, then fdopen. */
static FILE *raw_fopen(const char *path, const char *mode)
{
	int flags = mode ? mode_flags(mode) : -1;
	if (flags < 0) {
		errno = EINVAL;
		return NULL;
	}
	int fd = (int)shim_sys_ret(sys_openat(AT_FDCWD, path, flags, 0666));
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, mode);
	if (!f)
		safe_close(fd);
	return f;
}

SHIM_EXPORT FILE *fopen(const char *path, const char *mode)
{
	if (shim_hit(AT_FDCWD, path)) {
		bool handled;
		FILE *f = fopen_slow("fopen", path, mode, &handled);
		if (handled)
			return f;
	}
	return shim_real.fopen ? shim_real.fopen(path, mode) : raw_fopen(path, mode);
}

SHIM_EXPORT FILE *fopen64(const char *path, const char *mode)
{
	if (shim_hit(AT_FDCWD, path)) {
		bool handled;
		FILE *f = fopen_slow("fopen64", path, mode, &handled);
		if (handled)
			return f;
	}
	return shim_real.fopen64 ? shim_real.fopen64(path, mode) : raw_fopen(path, mode);
}

/*
 * freopen keeps the stream object and its descriptor number (glibc dup3s
 * the new file onto the old number).  The routed file is opened first, the
 * stream is re-pointed at /dev/null with the caller's mode (less 'x': it
 * exists) by the real freopen, and the routed fd is dup3'ed over its fd.
 * Gap: when the routed open fails the stream is left open (glibc would
 * have closed it).
 */
static FILE *freopen_slow(const char *call, FILE *(*real)(const char *, const char *, FILE *), const char *path,
                          const char *mode, FILE *stream, bool *handled)
{
	struct shim_ctx x;
	char m[16];
	size_t n = 0;
	int flags = mode ? mode_flags(mode) : -1;

	*handled = false;
	if (!real)
		return NULL;
	int fd = stdio_route(&x, call, path, flags, handled);
	if (fd < 0)
		return NULL;
	for (const char *s = mode; *s && n < sizeof(m) - 1; s++)
		if (*s != 'x')
			m[n++] = *s;
	m[n] = '\0';
	FILE *f = real("/dev/null", m, stream);
	int err = errno;
	if (f) {
		int r = sys_dup3(fd, fileno(f), (flags & O_CLOEXEC) ? O_CLOEXEC : 0);
		if (r < 0) {
			err = -r;
			f = NULL;
		}
	}
	safe_close(fd);
	return shim_ret_ptr(&x, f, err);
}

static FILE *freopen_common(const char *call, FILE *(*fn)(const char *, const char *, FILE *), const char *path,
                            const char *mode, FILE *stream)
{
	if (shim_hit(AT_FDCWD, path)) {
		bool handled;
		FILE *f = freopen_slow(call, fn, path, mode, stream, &handled);
		if (handled)
			return f;
	}
	if (!fn) {
		errno = ENOSYS;
		return NULL;
	}
	return fn(path, mode, stream);
}

SHIM_EXPORT FILE *freopen(const char *path, const char *mode, FILE *stream)
{
	return freopen_common("freopen", shim_real.freopen, path, mode, stream);
}

SHIM_EXPORT FILE *freopen64(const char *path, const char *mode, FILE *stream)
{
	return freopen_common("freopen64", shim_real.freopen64, path, mode, stream);
}
