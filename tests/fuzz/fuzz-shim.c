/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-shim.c - the shim's argument handling through the real wrappers.
 * The shim's objects are linked into this binary (mk/fuzz.mk does that for
 * fuzz-shim*), so open, openat, fopen, stat, readlink, realpath, ... called
 * here are the shim's exported wrappers; the libc versions are reached with
 * dlsym(RTLD_NEXT) for comparison.
 */
/* fuzz-needs: shim/open.c shim/stdio.c shim/stat.c shim/readlink.c shim/realpath.c */
/*
 * PATHWARD_ROOTS must be in the environment before the shim's constructor
 * runs, so the first start builds a fixture under /dev/shm, sets it and
 * re-executes itself.  Each input is a list of calls: a wrapper, a path
 * (a base - the fixture root, /proc/self, /proc/thread-self, /proc, /proc/1,
 * a relative name under a dirfd - plus generated components: ".", "..",
 * existing and missing names, symlinks, long names, slashes), flags,
 * modes, buffer sizes.  Checks for every call:
 *  - no memory error or undefined behaviour (ASan, UBSan);
 *  - errno untouched on success (the shim restores it; checked where libc
 *    itself leaves it alone, i.e. where the real function kept it too);
 *  - an fd is the lowest free number and is closed again; no descriptor
 *    survives an input (count of /proc/self/fd before and after);
 *  - /proc paths are transparent: the wrapper and the real function agree
 *    on success and errno, and an opened or stat'ed object is the same
 *    (st_dev, st_ino) - this process's /proc is genuine;
 *  - a fixture path never reaches outside the fixture root.
 * Write flags are dropped for /proc paths (the fuzzer must not write to
 * its own /proc/self/mem), and creating flags are allowed only on the
 * fixture's scratch names.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fuzzlib.h"
#include "sys.h"

#define CHECK(c, ...)                                                              \
	do {                                                                       \
		if (!(c)) {                                                        \
			fprintf(stderr, "fuzz-shim: check failed: %s\n  ", #c);    \
			fprintf(stderr, __VA_ARGS__);                              \
			fprintf(stderr, "\n");                                     \
			abort();                                                   \
		}                                                                  \
	} while (0)

static char fixture[256], root[300];
static int rootfd = -1;

static int (*real_open)(const char *, int, ...);
static int (*real_stat)(const char *, struct stat *);
static int (*real_lstat)(const char *, struct stat *);
static ssize_t (*real_readlink)(const char *, char *, size_t);
static int (*real_access)(const char *, int);
static char *(*real_realpath)(const char *, char *);

static void write_file(const char *rel, const char *text)
{
	int fd = sys_openat(rootfd, rel, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (sys_write(fd, text, strlen(text)) < 0) {
		}
		sys_close(fd);
	}
}

static void build_fixture(void)
{
	sys_mkdirat(AT_FDCWD, fixture, 0755);
	sys_mkdirat(AT_FDCWD, root, 0755);
	rootfd = sys_openat(AT_FDCWD, root, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (rootfd < 0) {
		fprintf(stderr, "fuzz-shim: cannot build the fixture at %s\n", root);
		exit(2);
	}
	static const char *const dirs[] = { "etc", "dir", "dir/a", "dir/a/b", "tmp" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		sys_mkdirat(rootfd, dirs[i], 0755);
	write_file("etc/hostname", "fixture\n");
	write_file("dir/a/b/file", "content\n");
	static const char *const links[][2] = {
		{ "etc/rel", "hostname" }, { "etc/abs", "/etc/hostname" }, { "esc", "../../../../../.." },
		{ "loop", "loop" },        { "dangling", "/nonexistent" }, { "dir/up", "../.." },
		{ "procself", "/proc/self" },
	};
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		syscall(SYS_symlinkat, links[i][1], rootfd, links[i][0]);
	/* The same names one level above the root: reaching one of these is an
	 * escape. */
	int up = sys_openat(AT_FDCWD, fixture, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	sys_mkdirat(up, "etc", 0755);
	int fd = sys_openat(up, "etc/hostname", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (sys_write(fd, "ESCAPED\n", 8) < 0) {
		}
		sys_close(fd);
	}
	sys_close(up);
}

static void remove_fixture(void)
{
	int fd = sys_openat(AT_FDCWD, fixture, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd >= 0) {
		fz_clear_dir(fd);
		sys_close(fd);
		syscall(SYS_unlinkat, AT_FDCWD, fixture, AT_REMOVEDIR);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *r = getenv("PATHWARD_ROOTS");
	const char *fx = getenv("PW_FUZZ_FIXTURE");
	if (!r || !fx) {
		char buf[64];
		snprintf(fixture, sizeof(fixture), "/dev/shm/pathward-fuzz-shim.%d", (int)getpid());
		snprintf(root, sizeof(root), "%s/root", fixture);
		setenv("PATHWARD_ROOTS", root, 1);
		setenv("PW_FUZZ_FIXTURE", fixture, 1);
		/* Refusals log one line each: keep them out of the fuzzer output. */
		setenv("PATHWARD_LOG", "/dev/null", 1);
		snprintf(buf, sizeof(buf), "/proc/self/exe");
		execv(buf, *argv);
		perror("fuzz-shim: re-exec");
		exit(2);
	}
	snprintf(fixture, sizeof(fixture), "%s", fx);
	snprintf(root, sizeof(root), "%s", r);
	build_fixture();
	atexit(remove_fixture);
	real_open = dlsym(RTLD_NEXT, "open");
	real_stat = dlsym(RTLD_NEXT, "stat");
	real_lstat = dlsym(RTLD_NEXT, "lstat");
	real_readlink = dlsym(RTLD_NEXT, "readlink");
	real_access = dlsym(RTLD_NEXT, "access");
	real_realpath = dlsym(RTLD_NEXT, "realpath");
	return 0;
}

static const char *const comp[] = { ".", "..", "etc", "hostname", "rel", "abs", "esc", "loop", "dangling",
	                             "dir", "a", "b", "file", "up", "procself", "x", "", "stat", "status",
	                             "comm", "fd", "0", "exe", "cwd", "root", "task", "self", "mounts", "attr",
	                             "current", "ns", "net", "tmp", "new" };

enum base { B_ROOT, B_SELF, B_THREAD, B_PROC, B_PROC1, B_ROOT_TMP, B_REL_ROOT, B_RAW, B_COUNT };

struct call {
	enum base base;
	char path[PATH_MAX + 64];
	const char *rel; /* for B_REL_ROOT: path relative to rootfd */
};

static void gen_path(struct fz_in *in, struct call *c)
{
	static const char *const bases[] = { NULL, "/proc/self", "/proc/thread-self", "/proc", "/proc/1", NULL, "",
		                             "" };
	c->base = (enum base)(fz_u8(in) % B_COUNT);
	size_t len;
	if (c->base == B_ROOT)
		len = (size_t)snprintf(c->path, sizeof(c->path), "%s", root);
	else if (c->base == B_ROOT_TMP)
		len = (size_t)snprintf(c->path, sizeof(c->path), "%s/tmp", root);
	else
		len = (size_t)snprintf(c->path, sizeof(c->path), "%s", bases[c->base]);
	int n = fz_u8(in) % 7;
	for (int i = 0; i < n; i++) {
		uint8_t t = fz_u8(in);
		const char *s = comp[t % (sizeof(comp) / sizeof(comp[0]))];
		if (t >= 250) {
			static char longname[NAME_MAX + 2];
			memset(longname, 'L', sizeof(longname) - 1);
			s = longname;
		}
		bool first_rel = (c->base == B_REL_ROOT || c->base == B_RAW) && i == 0;
		len += (size_t)snprintf(c->path + len, sizeof(c->path) - len, "%s%s", first_rel ? "" : (t & 1) && t > 200 ? "//" : "/", s);
		if (len >= sizeof(c->path) - 300)
			break;
	}
	if (fz_u8(in) & 1)
		snprintf(c->path + len, sizeof(c->path) - len, "/");
	/* Relative bases stay relative (an empty first component would make
	 * "/etc" of "" + "/etc"). */
	if ((c->base == B_REL_ROOT || c->base == B_RAW) && c->path[0] == '/') {
		memmove(c->path + 1, c->path, strlen(c->path) + 1);
		c->path[0] = '.';
	}
}

static bool is_proc(const struct call *c)
{
	return c->base == B_SELF || c->base == B_THREAD || c->base == B_PROC || c->base == B_PROC1;
}

/* Paths a real open may not follow when they are volatile by nature
 * (another call's fd, the fuzzer's own moving state). */
static bool volatile_proc(const char *p)
{
	return strstr(p, "/fd") || strstr(p, "/task") || strstr(p, "/stat") || strstr(p, "/net") ||
	       strstr(p, "/ns") || strstr(p, "/..") || strstr(p, "thread-self") || strstr(p, "/1/");
}

static int lowest_free(void)
{
	int fd = (int)syscall(SYS_fcntl, 0 <= 2 ? 2 : 0, F_DUPFD, 0);
	if (fd < 0)
		fd = sys_openat(AT_FDCWD, "/", O_PATH | O_CLOEXEC, 0);
	sys_close(fd);
	return fd;
}

static void inside_root(int fd, const char *what, const char *path)
{
	char link[64], target[PATH_MAX + 1];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = sys_readlinkat(AT_FDCWD, link, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	size_t rl = strlen(root);
	CHECK(!strncmp(target, root, rl) && (target[rl] == '\0' || target[rl] == '/'),
	      "%s(\"%s\") opened %s, outside the root %s", what, path, target, root);
}

static void same_object(int a, int b, const char *what, const char *path)
{
	struct stat sa, sb;
	if (sys_fstat(a, &sa) || sys_fstat(b, &sb))
		return;
	CHECK(sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino, "%s(\"%s\"): shim and libc opened different objects",
	      what, path);
}

/* A directory fd on the root handed out by the shim (so it knows relative
 * paths under it are contained); the caller closes it. */
static int contained_dirfd(void)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(fd >= 0, "open(root) through the shim failed: %s", strerror(errno));
	return fd;
}

static void do_open(struct fz_in *in, struct call *c)
{
	static const int acc[] = { O_RDONLY, O_WRONLY, O_RDWR, O_PATH };
	uint8_t f = fz_u8(in), g = fz_u8(in);
	int flags = acc[f & 3];
	if (f & 4)
		flags |= O_DIRECTORY;
	if (f & 8)
		flags |= O_NOFOLLOW;
	if (f & 16)
		flags |= O_CLOEXEC;
	if (f & 32)
		flags |= O_NONBLOCK;
	if (f & 64)
		flags |= O_NOCTTY;
	if (f & 128)
		flags |= 0x40000000; /* an unknown bit: open(2) ignores it */
	bool scratch = c->base == B_ROOT_TMP && !strstr(c->path + strlen(root), "..");
	if (scratch && (g & 1))
		flags |= O_CREAT | ((g & 2) ? O_EXCL : 0);
	if (is_proc(c) || !scratch)
		flags &= ~(O_WRONLY | O_RDWR | O_CREAT | O_EXCL | O_TRUNC);
	if ((flags & O_ACCMODE) == 0 && (f & 3) != 0 && (f & 3) != 3)
		flags |= 0;
	mode_t mode = (mode_t)(fz_u8(in) << 1) & 07777;
	int want = lowest_free(), fd;

	int dfd = c->base == B_REL_ROOT ? contained_dirfd() : -1;
	if (c->base == B_REL_ROOT)
		want = lowest_free();
	errno = 4242;
	if (c->base == B_REL_ROOT)
		fd = openat(dfd, c->path, flags, mode);
	else
		fd = open(c->path, flags, mode);
	int e = errno;
	if (dfd >= 0)
		sys_close(dfd);
	fz_cases++;
	if (fd >= 0) {
		CHECK(e == 4242, "open(\"%s\", 0%o) succeeded but changed errno to %d", c->path, flags, e);
		CHECK(fd == want, "open(\"%s\", 0%o) gave fd %d, lowest free is %d", c->path, flags, fd, want);
		int fdfl = (int)syscall(SYS_fcntl, fd, F_GETFD);
		CHECK(!!(fdfl & FD_CLOEXEC) == !!(flags & O_CLOEXEC), "open(\"%s\", 0%o): FD_CLOEXEC is %d", c->path,
		      flags, fdfl);
		if (c->base == B_ROOT || c->base == B_ROOT_TMP || c->base == B_REL_ROOT)
			inside_root(fd, "open", c->path);
	} else {
		CHECK(e > 0 && e < 4096, "open(\"%s\") failed with errno %d", c->path, e);
	}
	if (is_proc(c) && !volatile_proc(c->path)) {
		int r = real_open(c->path, flags, mode);
		int re = errno;
		CHECK((fd >= 0) == (r >= 0) && (fd >= 0 || e == re),
		      "open(\"%s\", 0%o): shim %d (%s), libc %d (%s)", c->path, flags, fd, fd < 0 ? strerror(e) : "fd", r,
		      r < 0 ? strerror(re) : "fd");
		if (fd >= 0)
			same_object(fd, r, "open", c->path);
		if (r >= 0)
			sys_close(r);
	}
	if (fd >= 0)
		sys_close(fd);
	if (flags & O_CREAT)
		syscall(SYS_unlinkat, AT_FDCWD, c->path, 0);
}

static void do_stat(struct fz_in *in, struct call *c)
{
	struct stat a, b;
	bool l = fz_u8(in) & 1;
	if (c->base == B_REL_ROOT) {
		int dfd = contained_dirfd();
		errno = 4242;
		int r = fstatat(dfd, c->path, &a, l ? AT_SYMLINK_NOFOLLOW : 0);
		sys_close(dfd);
		CHECK(r < 0 || errno == 4242, "fstatat(root, \"%s\") changed errno on success", c->path);
		fz_cases++;
		return;
	}
	errno = 4242;
	int r = l ? lstat(c->path, &a) : stat(c->path, &a);
	int e = errno;
	fz_cases++;
	CHECK(r == 0 || r == -1, "stat returned %d", r);
	if (r == 0)
		CHECK(e == 4242, "%sstat(\"%s\") succeeded but changed errno to %d", l ? "l" : "", c->path, e);
	if (is_proc(c) && !volatile_proc(c->path)) {
		int q = l ? real_lstat(c->path, &b) : real_stat(c->path, &b);
		int qe = errno;
		CHECK(r == q && (r == 0 || e == qe), "%sstat(\"%s\"): shim %d (%s), libc %d (%s)", l ? "l" : "", c->path,
		      r, r ? strerror(e) : "ok", q, q ? strerror(qe) : "ok");
		if (r == 0)
			CHECK(a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_mode == b.st_mode,
			      "stat(\"%s\"): different objects", c->path);
	}
}

static void do_readlink(struct fz_in *in, struct call *c)
{
	char a[PATH_MAX + 8], b[PATH_MAX + 8];
	size_t sz = fz_u8(in);
	if (sz == 255)
		sz = sizeof(a) - 8;
	memset(a, 0x7f, sizeof(a));
	errno = 4242;
	int dfd = c->base == B_REL_ROOT ? contained_dirfd() : -1;
	errno = 4242;
	ssize_t n = c->base == B_REL_ROOT ? readlinkat(dfd, c->path, a, sz) : readlink(c->path, a, sz);
	int e = errno;
	if (dfd >= 0)
		sys_close(dfd);
	fz_cases++;
	if (n >= 0) {
		CHECK((size_t)n <= sz, "readlink(\"%s\", %zu) returned %zd", c->path, sz, n);
		CHECK(a[n] == 0x7f || (size_t)n == sz, "readlink(\"%s\") wrote past its result", c->path);
		CHECK(e == 4242, "readlink(\"%s\") succeeded but changed errno to %d", c->path, e);
	}
	if (is_proc(c) && !volatile_proc(c->path) && !strstr(c->path, "/exe") && !strstr(c->path, "/cwd")) {
		ssize_t m = real_readlink(c->path, b, sz);
		int me = errno;
		CHECK(n == m && (n < 0 ? e == me : !memcmp(a, b, (size_t)n)), "readlink(\"%s\", %zu): shim %zd (%s), libc %zd (%s)",
		      c->path, sz, n, n < 0 ? strerror(e) : "ok", m, m < 0 ? strerror(me) : "ok");
	}
}

static void do_misc(struct fz_in *in, struct call *c)
{
	uint8_t op = fz_u8(in) % 5;
	char buf[PATH_MAX];
	errno = 4242;
	fz_cases++;
	if (c->base == B_REL_ROOT)
		return;
	switch (op) {
	case 0: {
		char *p = realpath(c->path, NULL);
		int e = errno;
		if (p) {
			/* glibc's own realpath may leave EINVAL behind on success
			 * (from readlink of non-links): hold the shim to what libc
			 * does for the same path. */
			errno = 4242;
			char *q = real_realpath(c->path, NULL);
			if (q && errno == 4242)
				CHECK(e == 4242, "realpath(\"%s\") succeeded but changed errno to %d", c->path, e);
			free(q);
			CHECK(p[0] == '/', "realpath(\"%s\") = \"%s\"", c->path, p);
			if (c->base == B_ROOT || c->base == B_ROOT_TMP)
				CHECK(!strncmp(p, root, strlen(root)), "realpath(\"%s\") = \"%s\" is outside the root", c->path,
				      p);
			free(p);
		}
		break;
	}
	case 1:
		if (realpath(c->path, buf))
			CHECK(strlen(buf) < PATH_MAX, "realpath into a buffer: %zu bytes", strlen(buf));
		break;
	case 2: {
		int m = fz_u8(in) & 7;
		int r = access(c->path, m);
		int e = errno;
		if (r == 0)
			CHECK(e == 4242, "access(\"%s\") succeeded but changed errno", c->path);
		if (is_proc(c) && !volatile_proc(c->path)) {
			int q = real_access(c->path, m);
			CHECK(r == q && (r == 0 || e == errno), "access(\"%s\", %d): shim %d, libc %d", c->path, m, r, q);
		}
		break;
	}
	case 3: {
		static const char *const modes[] = { "r", "re", "rb", "r+", "w", "a", "wx", "rm", "", "z", "rb+e" };
		const char *mode = modes[fz_u8(in) % (sizeof(modes) / sizeof(modes[0]))];
		if ((is_proc(c) || c->base != B_ROOT_TMP || strstr(c->path + strlen(root), "..")) && mode[0] != 'r')
			mode = "r";
		int want = lowest_free();
		FILE *f = fopen(c->path, mode);
		int e = errno;
		if (f) {
			CHECK(e == 4242, "fopen(\"%s\", \"%s\") succeeded but changed errno to %d", c->path, mode, e);
			CHECK(fileno(f) == want, "fopen(\"%s\"): fd %d, lowest free %d", c->path, fileno(f), want);
			if (c->base == B_ROOT || c->base == B_ROOT_TMP)
				inside_root(fileno(f), "fopen", c->path);
			fclose(f);
			if (mode[0] != 'r')
				syscall(SYS_unlinkat, AT_FDCWD, c->path, 0);
		}
		break;
	}
	case 4: {
		DIR *d = opendir(c->path);
		int e = errno;
		if (d) {
			CHECK(e == 4242, "opendir(\"%s\") succeeded but changed errno to %d", c->path, e);
			if (c->base == B_ROOT || c->base == B_ROOT_TMP)
				inside_root(dirfd(d), "opendir", c->path);
			int n = 0;
			while (readdir(d) && n < 10000)
				n++;
			closedir(d);
		}
		break;
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	struct call c;
	int fds0 = fz_count_fds();
	for (int i = 0; i < 16 && fz_left(&in); i++) {
		uint8_t op = fz_u8(&in);
		gen_path(&in, &c);
		switch (op % 4) {
		case 0: do_open(&in, &c); break;
		case 1: do_stat(&in, &c); break;
		case 2: do_readlink(&in, &c); break;
		default: do_misc(&in, &c); break;
		}
	}
	int fds1 = fz_count_fds();
	CHECK(fds1 == fds0, "descriptors: %d before the input, %d after", fds0, fds1);
	return 0;
}
