/* SPDX-License-Identifier: Apache-2.0 */
/*
 * helper.h - shared plumbing for the one-call helper programs that the shim
 * suites in tests/shim/ run with and without LD_PRELOAD.
 *
 * Every helper makes exactly one wrapped libc call (chosen by argv) and
 * prints one normalised line, so two runs can be compared as strings:
 *
 *   ok fd=N id=DEV:INO mode=0MODE fl=0xFLAGS link=TEXT [data=...]
 *   err=ENAME
 *
 * Only the call under test goes through the interposable libc names; the
 * bookkeeping (fstat of the result, reading the fd's /proc link) uses raw
 * syscalls so that it never depends on the shim.
 *
 * Common options, before the function name:
 *   -C DIR  chdir(DIR) first (cwd-relative cases)
 *   -F DIR  the same through open(DIR) + fchdir(fd) + close(fd)
 *   -d DIR  dirfd = open(DIR, O_RDONLY|O_DIRECTORY) through libc, as a
 *           program would; "cwd" means AT_FDCWD (the default)
 *   -c N    close fd N first (lowest-free-fd checks)
 *   -r      read up to 64 bytes from the result and print them as data=
 *           (non-printable bytes as '.'), or rerr=ENAME
 *   -n      directory helpers: print sorted entry names, not just a count
 */
#ifndef PATHWARD_TEST_HELPER_H
#define PATHWARD_TEST_HELPER_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct hopts {
	const char *chdir_to;
	const char *fchdir_to;
	const char *dir;
	int close_fd;
	int read;
	int names;
	int dirfd;
};

static inline const char *h_errname(int e)
{
	const char *n = strerrorname_np(e);
	return n ? n : "E?";
}

/* Parse the common options; returns the index of the first operand.
 * Exits 2 on a usage error. */
static inline int h_opts(int argc, char **argv, struct hopts *o)
{
	int i = 1;
	memset(o, 0, sizeof(*o));
	o->close_fd = -1;
	o->dirfd = AT_FDCWD;
	for (; i < argc && argv[i][0] == '-' && argv[i][1] && !argv[i][2]; i++) {
		char c = argv[i][1];
		if (c == 'r') {
			o->read = 1;
		} else if (c == 'n') {
			o->names = 1;
		} else if ((c == 'C' || c == 'F' || c == 'd' || c == 'c') && i + 1 < argc) {
			i++;
			if (c == 'C')
				o->chdir_to = argv[i];
			else if (c == 'F')
				o->fchdir_to = argv[i];
			else if (c == 'd')
				o->dir = argv[i];
			else
				o->close_fd = atoi(argv[i]);
		} else {
			fprintf(stderr, "helper: bad option %s\n", argv[i]);
			exit(2);
		}
	}
	return i;
}

/* Apply the options in a fixed order: chdir, fchdir, dirfd, close. */
static inline void h_setup(struct hopts *o)
{
	if (o->chdir_to && chdir(o->chdir_to) < 0) {
		printf("setup-chdir err=%s\n", h_errname(errno));
		exit(3);
	}
	if (o->fchdir_to) {
		int fd = open(o->fchdir_to, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || fchdir(fd) < 0) {
			printf("setup-fchdir err=%s\n", h_errname(errno));
			exit(3);
		}
		close(fd);
	}
	if (o->dir && strcmp(o->dir, "cwd") != 0) {
		o->dirfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (o->dirfd < 0) {
			printf("setup-dirfd err=%s\n", h_errname(errno));
			exit(3);
		}
	}
	if (o->close_fd >= 0)
		close(o->close_fd);
}

/* open(2) flags from a comma list such as "rw,creat,excl". */
static inline int h_flags(const char *s)
{
	static const struct {
		const char *n;
		int f;
	} tab[] = {
		{ "r", O_RDONLY },         { "w", O_WRONLY },         { "rw", O_RDWR },
		{ "creat", O_CREAT },      { "excl", O_EXCL },        { "trunc", O_TRUNC },
		{ "append", O_APPEND },    { "nofollow", O_NOFOLLOW }, { "path", O_PATH },
		{ "directory", O_DIRECTORY }, { "tmpfile", O_TMPFILE }, { "cloexec", O_CLOEXEC },
		{ "nonblock", O_NONBLOCK }, { "noctty", O_NOCTTY },   { "sync", O_SYNC },
		{ "dsync", O_DSYNC },      { "noatime", O_NOATIME },  { "largefile", 0100000 },
	};
	char buf[256];
	int f = 0;
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i;
		for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
			if (strcmp(t, tab[i].n) == 0)
				break;
		if (i == sizeof(tab) / sizeof(tab[0])) {
			if (t[0] == '0' && t[1] == 'x') {
				f |= (int)strtol(t, NULL, 16);
				continue;
			}
			fprintf(stderr, "helper: bad flag %s\n", t);
			exit(2);
		}
		f |= tab[i].f;
	}
	return f;
}

static inline int h_needs_mode(int f)
{
	return (f & O_CREAT) || (f & O_TMPFILE) == O_TMPFILE;
}

/* Text of a /proc/thread-self/fd link, read with the raw syscall. */
static inline void h_fd_link(int fd, char *out, size_t size)
{
	char p[64];
	long n;
	snprintf(p, sizeof(p), "/proc/thread-self/fd/%d", fd);
	n = syscall(SYS_readlinkat, AT_FDCWD, p, out, size - 1);
	if (n < 0)
		n = snprintf(out, size, "?%s", h_errname(errno));
	out[n] = '\0';
	for (char *c = out; *c; c++)
		if (*c == ' ')
			*c = '_';
}

static inline void h_sanitize(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			s[i] = '.';
	s[n] = '\0';
}

/* Format "ok fd=..." for fd into out (no stdio on the fd itself, so this is
 * usable from a vfork child or a signal handler with a caller buffer). */
static inline void h_fmt_fd(char *out, size_t size, int fd, int rd)
{
	struct stat st;
	char link[PATH_MAX];
	int fl;
	size_t len;

	if (syscall(SYS_fstat, fd, &st) < 0) {
		snprintf(out, size, "ok fd=%d fstat-err=%s\n", fd, h_errname(errno));
		return;
	}
	fl = (int)syscall(SYS_fcntl, fd, F_GETFL);
	h_fd_link(fd, link, sizeof(link));
	len = (size_t)snprintf(out, size, "ok fd=%d id=%u:%u:%llu mode=0%o fl=0x%x link=%s", fd, major(st.st_dev),
	                       minor(st.st_dev), (unsigned long long)st.st_ino, (unsigned)st.st_mode, fl, link);
	if (rd && len < size) {
		char data[65];
		long n = syscall(SYS_read, fd, data, 64);
		if (n < 0) {
			len += (size_t)snprintf(out + len, size - len, " rerr=%s", h_errname(errno));
		} else {
			h_sanitize(data, (size_t)n);
			len += (size_t)snprintf(out + len, size - len, " data=%s", data);
		}
	}
	if (len < size)
		snprintf(out + len, size - len, "\n");
}

/* Print the result of a call that returned an fd (or -1 with errno e). */
static inline int h_report_fd(int fd, int e, int rd)
{
	char out[PATH_MAX + 256];
	if (fd < 0) {
		printf("err=%s\n", h_errname(e));
		return 1;
	}
	h_fmt_fd(out, sizeof(out), fd, rd);
	fputs(out, stdout);
	return 0;
}

static inline int h_report_err(int e)
{
	printf("err=%s\n", h_errname(e));
	return 1;
}

static inline void h_print_stat(const struct stat *st)
{
	printf("ok id=%u:%u:%llu mode=0%o\n", major(st->st_dev), minor(st->st_dev), (unsigned long long)st->st_ino,
	       (unsigned)st->st_mode);
}

#endif
