/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lastslot.c - a route's last step when its helper descriptor took the
 * last free slot below RLIMIT_NOFILE (DESIGN §2 "same fd numbering").
 *
 * A route opens a verified directory (the own /proc root, a configured
 * root) and then the target relative to it: two descriptors at once where
 * a plain open needs one.  With exactly one slot free the target's open
 * fails EMFILE; the kernel allocates the number before the lookup, so that
 * failure created, truncated and waited for nothing (checked on 6.18: an
 * O_CREAT with no slot free creates no file; st-lastslot's O_CREAT|O_EXCL
 * case would fail on a kernel that opened first).  Here the directory is
 * parked as the cwd of a short-lived helper thread instead of in a
 * descriptor slot: the thread shares our memory, descriptor table,
 * credentials and thread group but not our fs_struct; it fchdir()s to the
 * directory, closes the descriptor (the slot is free again) and repeats
 * the route's kernel step relative to AT_FDCWD - the same openat2 with the
 * same RESOLVE_* flags, beneath the same verified directory object, so
 * containment is the kernel's, exactly as on the normal route; nothing is
 * opened by an unverified path and nothing is checked after the fact.  The
 * result lands in the shared table at the lowest free number, where the
 * native open would have put it.  The same helper reads a descriptor's
 * /proc/thread-self/fd link for the naming of a dirfd (route_fd_path).
 *
 * Why a thread and not the alternatives:
 *   - raising the RLIMIT_NOFILE soft limit for the retry is process-wide:
 *     another thread could be handed a number >= the program's limit (past
 *     FD_SETSIZE for a program that keeps its limit at 1024 for select()),
 *     a concurrent setrlimit would be undone by the restore, a signal
 *     handler could open in the window, and it cannot help at all when
 *     soft == hard (containers, st-lastslot);
 *   - our own cwd is shared with every thread (CLONE_FS), and unsharing it
 *     cannot be undone;
 *   - opening the target by a path without the directory descriptor loses
 *     RESOLVE_NO_XDEV/RESOLVE_IN_ROOT, and checking afterwards is too late
 *     for O_CREAT, O_TRUNC or a FIFO;
 *   - a helper with a private descriptor table (close_range UNSHARE) could
 *     run any route, but its result would have to come back through a
 *     socket or a pidfd: one more slot in ours again.
 *
 * The thread: clone(CLONE_VM|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|
 * CLONE_SYSVSEM|CLONE_VFORK), without CLONE_FS.  CLONE_THREAD keeps /proc's
 * "self" and every ptrace-style access check ours (same thread group);
 * "thread-self" would name the helper, so the caller rewrites it to what
 * our own thread-self link reads (lastslot_proc_sub).  CLONE_VFORK suspends
 * us until the helper is gone from user space; it runs on its own mapped
 * stack with a guard page, makes raw system calls only (it shares our TLS,
 * errno included: the wrappers restore errno), and every signal is blocked
 * around the clone (it inherits the mask) so that no handler of the
 * program ever runs on it; pending signals arrive when we unblock.  The
 * helper may still be listed in /proc/self/task for the moment it takes to
 * exit after we resume.
 *
 * What cannot be done with one slot answers EMFILE, as before: a step that
 * needs a second descriptor (a magic link followed at the end, a runtime
 * mask, the walk without openat2, a /proc/PID/root prefix), a kernel or
 * sandbox that refuses the clone, and an open that could block - a FIFO
 * without O_NONBLOCK - which a thread with signals blocked would make
 * uninterruptible (probed with O_PATH first).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "fd.h"
#include "shim.h"
#include "sys.h"

/* The helper's stack: generous for three system calls (sanitizer builds
 * included), with one PROT_NONE page below it. */
#define LASTSLOT_GUARD 4096UL
#define LASTSLOT_STACK (64UL * 1024)

#define LASTSLOT_CLONE \
	(CLONE_VM | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_VFORK)

/* proc-resolve.c's fast path, and resolve.c's kernel route. */
#define LASTSLOT_PROC_RESOLVE (RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS)

struct lastslot_job {
	int dirfd;         /* owned until the helper has closed it */
	bool closed;
	const char *path;
	int flags;
	mode_t mode;
	uint64_t resolve;
	char *link;        /* readlink instead of open: the buffer ... */
	size_t size;       /* ... and its size */
	long r;
};

/* Would opening path with flags wait for a peer (a FIFO, no O_NONBLOCK)?
 * O_PATH opens nothing, so asking costs no side effect. */
static bool lastslot_may_block(const struct lastslot_job *j)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC | (j->flags & O_DIRECTORY), .resolve = j->resolve };
	struct stat st;

	if (j->flags & (O_PATH | O_NONBLOCK))
		return false;
	if (!shim_open_follows(j->flags))
		how.flags |= O_NOFOLLOW;
	long fd = syscall(SYS_openat2, AT_FDCWD, j->path, &how, sizeof(how));
	if (fd < 0)
		return false; /* the open itself gives the answer */
	bool fifo = syscall(SYS_fstat, (int)fd, &st) == 0 && S_ISFIFO(st.st_mode);
	syscall(SYS_close, (int)fd);
	return fifo;
}

/* The helper thread.  Raw syscalls only; nothing that needs a thread of
 * its own (TLS is ours). */
__attribute__((no_sanitize_address)) static int lastslot_helper(void *arg)
{
	struct lastslot_job *j = arg;
	long cd = syscall(SYS_fchdir, j->dirfd);

	syscall(SYS_close, j->dirfd);
	j->closed = true;
	if (cd < 0 || (!j->link && lastslot_may_block(j))) {
		j->r = -EMFILE;
		return 0;
	}
	struct open_how how = { .flags = (uint64_t)j->flags, .mode = j->mode, .resolve = j->resolve };
	long fd = -1;
	for (int i = 0; i < 128; i++) { /* EAGAIN is retried, as sys_openat2 does */
		fd = syscall(SYS_openat2, AT_FDCWD, j->path, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	if (fd < 0 || !j->link) {
		j->r = fd < 0 ? -errno : fd;
		return 0;
	}
	long n = syscall(SYS_readlinkat, (int)fd, "", j->link, j->size);
	j->r = n < 0 ? -errno : n;
	syscall(SYS_close, (int)fd);
	return 0;
}

/* Run j in the helper thread; take_dirfd is consumed either way. */
static long lastslot_run(int take_dirfd, struct lastslot_job *j)
{
	const size_t len = LASTSLOT_GUARD + LASTSLOT_STACK;
	uint64_t all = ~0ULL, old;

	j->dirfd = take_dirfd;
	j->closed = false;
	j->r = -EMFILE;
	void *map = (void *)syscall(SYS_mmap, NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
	                            0);
	if (map == MAP_FAILED) {
		safe_close(take_dirfd);
		return -EMFILE;
	}
	char *stack = (char *)map;
	if (syscall(SYS_mprotect, stack + LASTSLOT_GUARD, LASTSLOT_STACK, PROT_READ | PROT_WRITE) == 0 &&
	    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, sizeof(all)) == 0) {
		(void)clone(lastslot_helper, stack + len, LASTSLOT_CLONE, j);
		syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, sizeof(old));
	}
	syscall(SYS_munmap, map, len);
	if (!j->closed) /* the clone was refused: the helper never ran */
		safe_close(take_dirfd);
	return j->r;
}

int lastslot_open(int take_dirfd, const char *path, int flags, mode_t mode, bool proc)
{
	struct lastslot_job j = {
		.path = path,
		.flags = flags,
		.mode = SHIM_NEEDS_MODE(flags) ? mode & 07777 : 0,
		.resolve = proc ? LASTSLOT_PROC_RESOLVE : RESOLVE_IN_ROOT,
	};
	return (int)lastslot_run(take_dirfd, &j);
}

ssize_t lastslot_proc_readlink(int take_procfd, const char *sub, char *buf, size_t size)
{
	struct lastslot_job j = {
		.path = sub,
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		.resolve = LASTSLOT_PROC_RESOLVE,
		.link = buf,
		.size = size,
	};
	return lastslot_run(take_procfd, &j);
}

/*
 * The first component of sub that is not "." is "thread-self": replace it
 * (and what came before it) with procfd's thread-self link text, our own
 * "<tgid>/task/<tid>", in buf.  Otherwise sub is copied.  -errno when the
 * link cannot be read (ENOENT: this procfs does not show us, and would
 * not show the helper either: the native answer).
 */
int lastslot_proc_sub(int procfd, const char *sub, char *buf, size_t size)
{
	const char *s = sub;
	size_t slen = strlen(sub);

	for (;;) {
		while (*s == '/')
			s++;
		if (s[0] != '.' || (s[1] != '/' && s[1] != '\0'))
			break;
		s++;
	}
	if (strncmp(s, "thread-self", 11) != 0 || (s[11] != '/' && s[11] != '\0')) {
		if (slen >= size)
			return -ENAMETOOLONG;
		memcpy(buf, sub, slen + 1);
		return 0;
	}
	ssize_t n = sys_readlinkat(procfd, "thread-self", buf, size);
	if (n < 0)
		return (int)n;
	size_t tail = strlen(s + 11);
	if ((size_t)n + tail >= size)
		return -ENAMETOOLONG;
	memcpy(buf + n, s + 11, tail + 1);
	return 0;
}
