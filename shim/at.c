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
 * paths through such descriptors behave natively.
 */
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

void shim_cwd_recheck(void)
{
	char cwd[PATH_MAX];
	struct classify c;

	if (sys_getcwd(cwd, sizeof(cwd)) < 0 || cwd[0] != '/')
		return;
	if (classify_path(&shim_policy, cwd, &c) != CLASSIFY_PASS)
		atomic_store_explicit(&shim_cwd_contained, 1, memory_order_relaxed);
}
