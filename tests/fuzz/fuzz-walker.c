/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-walker.c - differential: the userspace fallback walker
 * (pathward_root_open with PATHWARD_RESOLVE_USERSPACE) against the kernel's
 * openat2(RESOLVE_IN_ROOT), which DESIGN §1.2 makes the definition of
 * right.  fuzz-needs names the module so the target waits for it.
 */
/* fuzz-needs: core/resolve.c */
/*
 * One input = one generated layout (fuzzlib: dirs, files, absolute,
 * relative, dangling and looping symlinks, long names) built on tmpfs, then
 * up to 48 (flags, path) cases against it.  Each case runs both walker
 * routes, the library's and the shim's exact one.  A case diverges when a
 * route and the kernel disagree on success, on the errno, on the object
 * (st_dev, st_ino), on the open file status flags, or when the walker's fd
 * lacks FD_CLOEXEC.  No class of divergence is skipped.  The walker must
 * also leave no descriptor behind.  Any divergence prints the
 * layout and the case and aborts (libFuzzer saves the input).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fuzzlib.h"
#include "pathward.h"
#include "resolve.h"
#include "sys.h"

static int basefd = -1;
static char basepath[256];
static struct fz_layout layout;
static char path[FZ_PATH_MAX];

static const int flagset[] = {
	O_PATH,
	O_PATH | O_NOFOLLOW,
	O_PATH | O_DIRECTORY,
	O_RDONLY,
	O_RDONLY | O_DIRECTORY,
	O_RDONLY | O_NOFOLLOW,
	O_PATH | O_NOFOLLOW | O_DIRECTORY,
	O_WRONLY,
	O_RDWR | O_DIRECTORY,
	O_RDONLY | O_NOFOLLOW | O_DIRECTORY,
};

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
	atexit(cleanup);
	return 0;
}

static void print_path(const char *what, const char *p)
{
	size_t n = strlen(p);
	fprintf(stderr, "  %s (%zu bytes): \"", what, n);
	for (size_t i = 0; i < n && i < 600; i++)
		fputc(p[i], stderr);
	fprintf(stderr, "%s\"\n", n > 600 ? "..." : "");
}

static void diverged(const char *why, int flags, int a, int b)
{
	fprintf(stderr, "fuzz-walker: DIVERGENCE: %s\n", why);
	fz_layout_print(&layout);
	print_path("path", path);
	fprintf(stderr, "  flags 0%o: walker %d (%s), openat2 %d (%s)\n", flags, a, a < 0 ? strerror(-a) : "fd",
	        b, b < 0 ? strerror(-b) : "fd");
	abort();
}

/* One route's answer a against the oracle's b (an fd or -errno each);
 * exact: F_GETFL must match bit for bit.  Closes a. */
static void check(const char *route, int flags, int a, int b, bool exact)
{
	if (a < 0 || b < 0) {
		if (a != b) {
			fprintf(stderr, "route: %s\n", route);
			diverged(a < 0 && b < 0 ? "errno differs" : "one side failed", flags, a, b);
		}
		if (a >= 0)
			close(a);
		return;
	}
	struct stat sa, sb;
	if (fstat(a, &sa) || fstat(b, &sb))
		diverged("fstat failed", flags, a, b);
	if (sa.st_dev != sb.st_dev || sa.st_ino != sb.st_ino) {
		fprintf(stderr, "route: %s\n", route);
		diverged("different objects", flags, a, b);
	}
	/* The library route opens a last component that is no symlink with
	 * O_NOFOLLOW added, which F_GETFL shows (documented; it changes nothing
	 * else); the shim's exact route must show the caller's flags only. */
	int mask = (exact || (flags & O_NOFOLLOW)) ? ~0 : ~O_NOFOLLOW;
	if ((fcntl(a, F_GETFL) & mask) != (fcntl(b, F_GETFL) & mask)) {
		fprintf(stderr, "route: %s\nF_GETFL: walker 0%o, openat2 0%o\n", route, fcntl(a, F_GETFL),
		        fcntl(b, F_GETFL));
		diverged("different file status flags", flags, a, b);
	}
	if (!(fcntl(a, F_GETFD) & FD_CLOEXEC)) {
		fprintf(stderr, "route: %s\n", route);
		diverged("walker fd without FD_CLOEXEC", flags, a, b);
	}
	close(a);
}

/* The oracle's answer.  rename_lock is global: any rename anywhere on the
 * machine during a ".." step makes openat2 say EAGAIN, and sys_openat2's
 * 128 retries can all lose under another process's rename storm: asked
 * again, and -EAGAIN in the end means no answer.  Its ELOOP may be a
 * restarted lookup (tests/kernel-settle.h): asked again when settle is set
 * (only when a walker route said otherwise: a real loop, the common case,
 * would cost KERNEL_ELOOP_TRIES calls for nothing). */
static int oracle(int rootfd, int flags, bool settle)
{
	int b = -EAGAIN, eloops = 0;
	for (int i = 0; i < 1000; i++) {
		b = sys_openat2(rootfd, path, flags | O_CLOEXEC, 0, RESOLVE_IN_ROOT);
		if (b != -EAGAIN && (b != -ELOOP || !settle || eloops++ >= KERNEL_ELOOP_TRIES))
			break;
	}
	return b;
}

/* Both walker routes against openat2(RESOLVE_IN_ROOT): the library's
 * (pathward_root_open) and the shim's (resolve_root_open_exact).  A case
 * the oracle never answers is not counted. */
static void compare(int rootfd, int flags)
{
	int lib = pathward_root_open(rootfd, path, flags, 0, PATHWARD_RESOLVE_USERSPACE);
	int shim = resolve_root_open_exact(rootfd, path, flags, 0, PATHWARD_RESOLVE_USERSPACE);
	int b = oracle(rootfd, flags, lib != -ELOOP || shim != -ELOOP);
	if (b == -EAGAIN) {
		fz_oracle_busy++;
		if (lib >= 0)
			close(lib);
		if (shim >= 0)
			close(shim);
		return;
	}
	fz_cases++;
	check("library", flags, lib, b, false);
	check("shim", flags, shim, b, true);
	if (b >= 0)
		close(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	if (basefd < 0)
		LLVMFuzzerInitialize(NULL, NULL);
	int fds0 = fz_count_fds();

	int rootfd = fz_root_build(basefd, &in, &layout);

	for (int i = 0; i < 48 && fz_left(&in); i++) {
		int flags = flagset[fz_u8(&in) % (sizeof(flagset) / sizeof(flagset[0]))];
		fz_path_decode(&in, path, sizeof(path));
		compare(rootfd, flags);
	}

	fz_clear_dir(rootfd);
	close(rootfd);
	syscall(SYS_unlinkat, basefd, "r", AT_REMOVEDIR);
	if (fz_count_fds() != fds0) {
		fprintf(stderr, "fuzz-walker: descriptor leak: %d open before, %d after\n", fds0, fz_count_fds());
		abort();
	}
	return 0;
}
