/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-resolve.c - the string resolver (pathward_resolve) against the fd
 * resolver (pathward_root_open) on generated trees: the string must name
 * exactly the object the fd resolver opens.
 */
/* fuzz-needs: core/resolve.c */
/*
 * For each case (layout and paths from fuzzlib):
 *  - every component: pathward_resolve(path, 0) and
 *    pathward_root_open(path, O_PATH) succeed or fail together with the
 *    same errno; on success the string is in normal form (absolute, single
 *    slashes, no trailing slash, no "." or ".." component), it equals what
 *    /proc/self/fd says for the fd (minus the root's own path), and opening
 *    it with RESOLVE_NO_SYMLINKS gives the same (st_dev, st_ino);
 *  - EXCEPT_LAST (paths without a trailing slash, whose meaning the string
 *    form cannot carry): compared with O_PATH|O_NOFOLLOW; where the fd
 *    resolver says ENOENT the string form may still succeed, and then the
 *    string's parent is an existing directory and its last name is absent.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fuzzlib.h"
#include "pathward.h"
#include "sys.h"

static int basefd = -1;
static char basepath[256], rootpath[300];
static size_t rootlen;
static struct fz_layout layout;
static char path[FZ_PATH_MAX];
static char str[PATH_MAX + 1];

static void cleanup(void)
{
	if (basefd >= 0) {
		fz_clear_dir(basefd);
		rmdir(basepath);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	basefd = fz_make_base(basepath, sizeof(basepath));
	snprintf(rootpath, sizeof(rootpath), "%s/r", basepath);
	rootlen = strlen(rootpath);
	atexit(cleanup);
	return 0;
}

static void fail(const char *why, uint64_t rflags, int s, int fd)
{
	fprintf(stderr, "fuzz-resolve: MISMATCH: %s\n", why);
	fz_layout_print(&layout);
	fprintf(stderr, "  path (%zu bytes): \"%.600s\"\n  rflags %#llx: resolve %d (%s) \"%.600s\", root_open %d (%s)\n",
	        strlen(path), path, (unsigned long long)rflags, s, s < 0 ? strerror(-s) : "ok", s >= 0 ? str : "", fd,
	        fd < 0 ? strerror(-fd) : "fd");
	abort();
}

static bool normal_form(const char *s, int len)
{
	if (len < 1 || s[0] != '/' || (int)strlen(s) != len)
		return false;
	if (len == 1)
		return true;
	if (s[len - 1] == '/' || strstr(s, "//") || strstr(s, "/./") || strstr(s, "/../"))
		return false;
	return !(len >= 2 && !strcmp(s + len - 2, "/.")) && !(len >= 3 && !strcmp(s + len - 3, "/.."));
}

/* The fd's name inside the root, from /proc/self/fd. */
static void fd_name(int fd, char *out, size_t size)
{
	char link[64], target[PATH_MAX + 400];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		n = 0;
	target[n] = '\0';
	if ((size_t)n == rootlen && !memcmp(target, rootpath, rootlen))
		snprintf(out, size, "/");
	else if ((size_t)n > rootlen && !memcmp(target, rootpath, rootlen) && target[rootlen] == '/')
		snprintf(out, size, "%s", target + rootlen);
	else
		snprintf(out, size, "OUTSIDE:%s", target);
}

static void same_object(int rootfd, int fd, int s, uint64_t rflags, int oflags)
{
	struct stat a, b;
	int g = sys_openat2(rootfd, str, O_PATH | O_CLOEXEC | oflags, 0, RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS);
	if (g < 0)
		fail("the string does not open without symlinks", rflags, s, fd);
	if (fstat(g, &a) || fstat(fd, &b) || a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		fail("the string names another object than the fd", rflags, s, fd);
	close(g);
}

static void check_full(int rootfd)
{
	char name[PATH_MAX + 400];
	int s, fd;
	KERNEL_SETTLE(s, pathward_resolve(rootfd, path, 0, str, sizeof(str)));
	KERNEL_SETTLE(fd, pathward_root_open(rootfd, path, O_PATH, 0, 0));
	fz_cases++;
	if (s < 0 || fd < 0) {
		if (s != fd)
			fail("errors differ", 0, s, fd);
	} else {
		if (!normal_form(str, s))
			fail("result not in normal form", 0, s, fd);
		fd_name(fd, name, sizeof(name));
		if (strcmp(name, str))
			fail("string differs from the fd's name", 0, s, fd);
		same_object(rootfd, fd, s, 0, 0);
	}
	if (fd >= 0)
		close(fd);
}

static void check_except_last(int rootfd)
{
	size_t n = strlen(path);
	if (n > 0 && path[n - 1] == '/')
		return;
	char name[PATH_MAX + 400];
	const uint64_t rf = PATHWARD_RESOLVE_EXCEPT_LAST;
	int s, fd;
	KERNEL_SETTLE(s, pathward_resolve(rootfd, path, rf, str, sizeof(str)));
	KERNEL_SETTLE(fd, pathward_root_open(rootfd, path, O_PATH | O_NOFOLLOW, 0, 0));
	fz_cases++;
	if (fd >= 0) {
		if (s < 0 || !normal_form(str, s))
			fail("fd opened but the string failed or is not normal", rf, s, fd);
		fd_name(fd, name, sizeof(name));
		if (strcmp(name, str))
			fail("string differs from the fd's name", rf, s, fd);
		same_object(rootfd, fd, s, rf, O_NOFOLLOW);
		close(fd);
	} else if (fd == -ENOENT && s >= 0) {
		if (!normal_form(str, s))
			fail("result not in normal form", rf, s, fd);
		/* A missing last component under an existing directory. */
		char *slash = strrchr(str, '/');
		char parent[PATH_MAX + 1];
		snprintf(parent, sizeof(parent), "%.*s", slash == str ? 1 : (int)(slash - str), str);
		int p = sys_openat2(rootfd, parent, O_PATH | O_DIRECTORY | O_CLOEXEC, 0,
		                    RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS);
		if (p < 0)
			fail("missing-last result without an existing parent directory", rf, s, fd);
		struct stat st;
		if (sys_fstatat(p, slash + 1, &st, AT_SYMLINK_NOFOLLOW) != -ENOENT)
			fail("missing-last result names an existing entry", rf, s, fd);
		close(p);
	} else if (s != fd) {
		fail("errors differ", rf, s, fd);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	if (basefd < 0)
		LLVMFuzzerInitialize(NULL, NULL);
	int fds0 = fz_count_fds();

	int rootfd = fz_root_build(basefd, &in, &layout);

	for (int i = 0; i < 32 && fz_left(&in); i++) {
		fz_path_decode(&in, path, sizeof(path));
		check_full(rootfd);
		check_except_last(rootfd);
	}

	fz_clear_dir(rootfd);
	close(rootfd);
	syscall(SYS_unlinkat, basefd, "r", AT_REMOVEDIR);
	if (fz_count_fds() != fds0) {
		fprintf(stderr, "fuzz-resolve: descriptor leak: %d open before, %d after\n", fds0, fz_count_fds());
		abort();
	}
	return 0;
}
