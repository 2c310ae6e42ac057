/* SPDX-License-Identifier: Apache-2.0 */
/*
 * at.c - relative paths whose dirfd or cwd lies inside /proc or a root
 * (DESIGN §2 "Dirfd and cwd"), with nothing on the fast path but a bit test.
 *
 * Two hints, both "possibly contained", both re-checked for real on the slow
 * path (the verified /proc/thread-self/fd/N text, or getcwd), so a stale
 * hint costs a syscall, never a wrong answer:
 *   - a bitmap of descriptors the shim itself handed out for PROC/ROOT
 *     objects (open/openat/opendir), set with an atomic OR;
 *   - a cwd flag, set at start-up and by the chdir/fchdir wrappers when the
 *     new cwd classifies PROC/ROOT.  It is sticky (never cleared): a vfork
 *     child's chdir runs in the parent's memory, so clearing it there would
 *     blind the parent.
 *
 * What this misses (documented gaps): descriptors the shim did not hand
 * out - inherited, dup()ed, received over a socket, opened by raw syscalls or
 * glibc internals, or numbered >= SHIM_FDTRACK_MAX - and cwd changes the
 * wrappers do not see (raw syscalls, glibc's internal fchdir in fts/nftw,
 * posix_spawn chdir actions) unless the cwd was already contained.  Relative
 * paths through such descriptors behave natively.  A root configured
 * through a symlink is recognised in descriptor/cwd texts by its kernel
 * name (shim_root_unalias).
 */
#include <string.h>

#include "shim.h"
#include "sys.h"

#define BITS (8 * sizeof(unsigned long))

_Atomic unsigned long shim_fdbits[SHIM_FDTRACK_MAX / BITS];
_Atomic int shim_cwd_contained;

void shim_fd_mark(int fd)
{
	if (fd >= 0 && fd < SHIM_FDTRACK_MAX)
		atomic_fetch_or_explicit(&shim_fdbits[fd / BITS], 1UL << (fd % BITS), memory_order_relaxed);
}

void shim_fd_unmark(int fd)
{
	if (fd >= 0 && fd < SHIM_FDTRACK_MAX)
		atomic_fetch_and_explicit(&shim_fdbits[fd / BITS], ~(1UL << (fd % BITS)), memory_order_relaxed);
}

/*
 * Roots whose configured spelling is not their kernel name (a symlinked
 * prefix: /var/lib/x -> /data/x).  A descriptor's /proc text and getcwd
 * give the kernel name, so for these the text is mapped back to the
 * spelling.  Computed once at start-up; a root missing then is checked
 * on use.
 */
static bool root_plain[POLICY_MAX_ROOTS];

static int root_text(size_t i, char *buf, size_t size)
{
	int fd = sys_openat(AT_FDCWD, shim_policy.roots[i].path, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	int n = route_fd_path(fd, buf, size);
	sys_close(fd);
	return n;
}

void shim_roots_check(void)
{
	char t[PATH_MAX];
	for (size_t i = 0; i < shim_policy.nroots; i++) {
		int n = root_text(i, t, sizeof(t));
		root_plain[i] = n >= 0 && (size_t)n == shim_policy.roots[i].len &&
		                memcmp(t, shim_policy.roots[i].path, (size_t)n) == 0;
	}
}

bool shim_root_unalias(char *path, size_t size)
{
	char t[PATH_MAX];
	size_t plen = strlen(path);

	for (size_t i = 0; i < shim_policy.nroots; i++) {
		const struct policy_root *r = &shim_policy.roots[i];
		if (root_plain[i])
			continue;
		int n = root_text(i, t, sizeof(t));
		if (n <= 1 || (size_t)n > plen || memcmp(path, t, (size_t)n) != 0 ||
		    (path[n] != '/' && path[n] != '\0') || plen - (size_t)n + r->len >= size)
			continue;
		memmove(path + r->len, path + n, plen - (size_t)n + 1);
		memcpy(path, r->path, r->len);
		return true;
	}
	return false;
}

void shim_cwd_recheck(void)
{
	char cwd[PATH_MAX];
	struct classify c;

	if (sys_getcwd(cwd, sizeof(cwd)) < 0 || cwd[0] != '/')
		return;
	if (classify_path(&shim_policy, cwd, &c) != CLASSIFY_PASS || shim_root_unalias(cwd, sizeof(cwd)))
		atomic_store_explicit(&shim_cwd_contained, 1, memory_order_relaxed);
}
