/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-proc.h - helpers shared by the procfs suites (test-proc*.c).
 */
#ifndef PATHWARD_TEST_PROC_H
#define PATHWARD_TEST_PROC_H

#include <limits.h>
#include <linux/filter.h>
#include <linux/magic.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include "common.h"
#include "pathward.h"
#include "proc.h"
#include "sys.h"

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif

/* Does the kernel (through whatever seccomp filter we run under) give us a
 * fresh procfs instance, or a clone of /proc?  Probed directly, not through
 * the library, so the tier tests have an independent oracle. */
static inline int probe_fsopen(void)
{
	int fs = sys_fsopen("proc", 1);
	if (fs < 0)
		return fs;
	int r = sys_fsconfig(fs, 6, NULL, NULL, 0);
	if (r == 0) {
		r = sys_fsmount(fs, 1, 0);
		if (r >= 0)
			close(r), r = 0;
	}
	close(fs);
	return r;
}

static inline int probe_open_tree(bool recursive)
{
	int r = sys_open_tree(AT_FDCWD, "/proc", OPEN_TREE_CLONE | O_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
	if (r >= 0)
		close(r), r = 0;
	return r;
}

/* The tier the ladder should reach here, from direct probes. */
static inline pathward_proc_tier_t test_probe_tier(void)
{
	if (probe_fsopen() == 0)
		return PATHWARD_PROC_TIER_FSOPEN;
	if (probe_open_tree(false) == 0)
		return PATHWARD_PROC_TIER_OPEN_TREE;
	if (probe_open_tree(true) == 0)
		return PATHWARD_PROC_TIER_OPEN_TREE_REC;
	return PATHWARD_PROC_TIER_HOST;
}

/* A genuine reference procfs root: a fresh instance, else a non-recursive
 * clone, else -1 (both refused: the caller compares with pre-attack fds). */
static inline int fresh_proc_root(void)
{
	int fs = sys_fsopen("proc", 1);
	if (fs >= 0) {
		int m = -1;
		if (sys_fsconfig(fs, 6, NULL, NULL, 0) == 0)
			m = sys_fsmount(fs, 1, 0);
		close(fs);
		if (m >= 0)
			return m;
	}
	int t = sys_open_tree(AT_FDCWD, "/proc", OPEN_TREE_CLONE | O_CLOEXEC);
	return t >= 0 ? t : -1;
}

static inline bool is_procfs(int fd)
{
	struct statfs s;
	return fstatfs(fd, &s) == 0 && s.f_type == PROC_SUPER_MAGIC;
}

static inline ssize_t read_text(int fd, char *buf, size_t size)
{
	ssize_t n = pread(fd, buf, size - 1, 0);
	buf[n < 0 ? 0 : n] = '\0';
	return n;
}

/* The "Pid:" line of a status file. */
static inline long status_pid(int fd)
{
	char buf[4096];
	if (read_text(fd, buf, sizeof(buf)) <= 0)
		return -1;
	char *p = strstr(buf, "\nPid:");
	return p ? strtol(p + 5, NULL, 10) : -1;
}

static inline uint64_t fd_mnt_id(int fd)
{
	uint64_t id = 0;
	bool unique;
	cr_assert_eq(proc_mnt_id(fd, "", &id, &unique), 0);
	return id;
}

/*
 * fd came genuinely from handle h: on procfs, on the handle's mount (so no
 * overmount was crossed), and, when ref is a file from the same superblock
 * opened before any attack, the very same inode.
 */
static inline void assert_genuine(const pathward_proc_handle_t *h, int fd, int ref)
{
	struct stat a, b, root;
	cr_assert_geq(fd, 0, "expected a genuine file, got %s", strerror(-fd));
	cr_assert(is_procfs(fd), "result is not on procfs");
	cr_assert_eq(fstat(fd, &a), 0);
	cr_assert_eq(fstat(h->fd, &root), 0);
	cr_assert_eq(a.st_dev, root.st_dev, "result is not on the handle's procfs instance");
	uint64_t id_fd, id_root;
	bool u1, u2;
	cr_assert_eq(proc_mnt_id(fd, "", &id_fd, &u1), 0);
	cr_assert_eq(proc_mnt_id(h->fd, "", &id_root, &u2), 0);
	cr_assert_eq(id_fd, id_root, "result is not on the handle's mount");
	if (ref >= 0 && fstat(ref, &b) == 0 && b.st_dev == a.st_dev)
		cr_assert_eq(a.st_ino, b.st_ino, "not the same inode as the genuine reference");
}

/* Run fn in a forked child, return its exit status (0 = pass). */
static inline int run_child(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn(arg));
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Make syscall nr fail with err from now on in this (forked) test process,
 * as a seccomp profile installed after start-up would.  0 or -1. */
static inline int test_block_syscall(int nr, int err)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned)err),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

#endif
