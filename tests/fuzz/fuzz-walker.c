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
 * up to 48 (flags, path) cases against it.  A case diverges when the two
 * disagree on success, on the errno, on the object (st_dev, st_ino), on the
 * open file status flags, or when the walker's fd lacks FD_CLOEXEC.  The
 * walker must also leave no descriptor behind.  Any divergence prints the
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

/*
 * Divergences already reported (/tmp/findings-resolve.md, reproducers in
 * tests/fuzz/pending/walker/), skipped so the run can find others; set
 * PATHWARD_FUZZ_STRICT=1 to stop on them too.
 *  - ENAMETOOLONG from the walker where the kernel answers otherwise
 *    (ELOOP, ENOENT, or even opens the file): the walker rejects an
 *    over-long component of a symlink body when it reads the body (the
 *    kernel only when it reaches that component, so a loop met first gives
 *    ELOOP), and it joins a symlink body and the rest of the path in one
 *    PATH_MAX buffer (the kernel keeps a stack of bodies and has no limit
 *    on their sum).
 * Each skip is counted (fz_known) and reported by the drivers.
 */
static bool known_divergence(int a, int b)
{
	static int strict = -1;
	if (strict < 0)
		strict = getenv("PATHWARD_FUZZ_STRICT") != NULL;
	if (strict)
		return false;
	if (a == -ENAMETOOLONG && b != -ENAMETOOLONG) {
		fz_known++;
		return true;
	}
	return false;
}

static void compare(int rootfd, int flags)
{
	int a = pathward_root_open(rootfd, path, flags, 0, PATHWARD_RESOLVE_USERSPACE);
	int b = sys_openat2(rootfd, path, flags | O_CLOEXEC, 0, RESOLVE_IN_ROOT);
	/* rename_lock is global: any rename anywhere on the machine during a
	 * ".." step makes openat2 say EAGAIN, and sys_openat2's 128 retries can
	 * all lose under another process's rename storm.  The oracle is asked
	 * again; a case it never answers is not counted. */
	for (int i = 0; i < 1000 && b == -EAGAIN; i++)
		b = sys_openat2(rootfd, path, flags | O_CLOEXEC, 0, RESOLVE_IN_ROOT);
	if (b == -EAGAIN) {
		fz_oracle_busy++;
		if (a >= 0)
			close(a);
		return;
	}
	fz_cases++;
	if ((a < 0 || b < 0) && a != b && known_divergence(a, b)) {
		if (b >= 0)
			close(b);
		return;
	}
	if (a < 0 || b < 0) {
		if (a != b)
			diverged(a < 0 && b < 0 ? "errno differs" : "one side failed", flags, a, b);
		if (a >= 0)
			close(a);
		if (b >= 0)
			close(b);
		return;
	}
	struct stat sa, sb;
	if (fstat(a, &sa) || fstat(b, &sb))
		diverged("fstat failed", flags, a, b);
	if (sa.st_dev != sb.st_dev || sa.st_ino != sb.st_ino)
		diverged("different objects", flags, a, b);
	/* The walker opens the last component with O_NOFOLLOW after it has
	 * checked it is no symlink, and F_GETFL shows that bit: a pending
	 * finding (tests/fuzz/pending/walker/), compared only when
	 * PATHWARD_FUZZ_STRICT_FLAGS=1. */
	static int strict = -1;
	if (strict < 0)
		strict = getenv("PATHWARD_FUZZ_STRICT_FLAGS") != NULL;
	int mask = (strict || (flags & O_NOFOLLOW)) ? ~0 : ~O_NOFOLLOW;
	if ((fcntl(a, F_GETFL) & mask) != (fcntl(b, F_GETFL) & mask)) {
		fprintf(stderr, "F_GETFL: walker 0%o, openat2 0%o\n", fcntl(a, F_GETFL), fcntl(b, F_GETFL));
		diverged("different file status flags", flags, a, b);
	}
	if (!(fcntl(a, F_GETFD) & FD_CLOEXEC))
		diverged("walker fd without FD_CLOEXEC", flags, a, b);
	close(a);
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
