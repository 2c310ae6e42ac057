/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-proc-walk.c - the resolver's table, run three ways: the fallback
 * walk (proc_walk), the full resolver (proc_resolve: openat2 when it works)
 * and, when openat2 is available, raw openat2 as the oracle.  The runner's
 * enosys reruns then send proc_resolve down the walk as well.  Also the
 * mount-id sources (statx, fdinfo and its forgery check).
 */
#include "proc-internal.h"
#include "test-proc.h"

#define OPENAT2_SAFE (RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS)

/*
 * want: 0 = opens (checked by identity against the plain open of
 * /proc/<path> on the same root), else the -errno.  oracle: openat2 gives
 * the same answer (false for followed magic links, where openat2 says
 * ELOOP by design and we follow after the mount check).
 */
static const struct walk_case {
	const char *path;
	int flags;
	int want;
	bool oracle;
} cases[] = {
	{ "", O_RDONLY | O_DIRECTORY, 0, true },
	{ ".", O_PATH, 0, true },
	{ "self", O_RDONLY | O_DIRECTORY, 0, true },
	{ "self/", O_RDONLY, 0, true },
	{ "self", O_PATH | O_NOFOLLOW, 0, true },
	{ "self", O_RDONLY | O_NOFOLLOW, -ELOOP, true },
	{ "self/", O_PATH | O_NOFOLLOW, 0, true }, /* trailing slash follows */
	{ "self/status", O_RDONLY, 0, true },
	{ "self/status/", O_RDONLY, -ENOTDIR, true },
	{ "self/status/x", O_RDONLY, -ENOTDIR, true },
	{ "self/./status", O_RDONLY, 0, true },
	{ "self//status", O_RDONLY, 0, true },
	{ "thread-self/status", O_RDONLY, 0, true },
	{ "thread-self/fd", O_RDONLY | O_DIRECTORY, 0, true },
	{ "mounts", O_RDONLY, 0, true },
	{ "mounts", O_RDONLY | O_NOFOLLOW, -ELOOP, true },
	{ "net/unix", O_RDONLY, 0, true },
	{ "self/missing", O_RDONLY, -ENOENT, true },
	{ "missing/x", O_RDONLY, -ENOENT, true },
	{ "self/fd/0", O_PATH | O_NOFOLLOW, 0, true },
	{ "self/exe", O_PATH | O_NOFOLLOW, 0, true },
	{ "self/exe", O_RDONLY | O_NOFOLLOW, -ELOOP, true },
	{ "self/root/etc", O_PATH, -ELOOP, true },
	{ "self/cwd/.", O_PATH, -ELOOP, true },
	{ "self/fd/0/x", O_RDONLY, -ELOOP, false },
	{ "self/exe", O_RDONLY, 0, false },
	{ "self/fd/0", O_RDONLY, 0, false },
	{ "self/ns/mnt", O_RDONLY, 0, false },
	{ "self/cwd", O_PATH | O_DIRECTORY, 0, false },
	{ "self/cwd/", O_PATH, 0, false },
};

/* Same answer: both errors equal, or both files the same inode. */
static void assert_same_answer(const char *what, const char *path, int got, int want_fd, int want_err)
{
	if (want_err) {
		cr_assert_eq(got, want_err, "%s %s: got %s, want %s", what, path, got < 0 ? strerror(-got) : "fd",
		             strerror(-want_err));
		return;
	}
	cr_assert_geq(got, 0, "%s %s: %s", what, path, strerror(-got));
	cr_assert(test_same_file(got, want_fd), "%s %s: a different file", what, path);
	close(got);
}

static void run_table(int root)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct walk_case *c = &cases[i];
		int ref = -1;
		if (c->want == 0) {
			/* the object itself, by a plain lookup on the same root */
			ref = openat(root, *c->path ? c->path : ".", c->flags | O_CLOEXEC);
			cr_assert_geq(ref, 0, "reference %s: %s", c->path, strerror(errno));
		}
		assert_same_answer("walk", c->path, proc_walk(root, c->path, c->flags | O_CLOEXEC, 0), ref, c->want);
		assert_same_answer("resolve", c->path, proc_resolve(root, c->path, c->flags | O_CLOEXEC, 0), ref,
		                   c->want);
		if (c->oracle) {
			int o = sys_openat2(root, *c->path ? c->path : ".", (uint64_t)(c->flags | O_CLOEXEC), 0,
			                    OPENAT2_SAFE);
			if (o != -ENOSYS && o != -EPERM)
				assert_same_answer("openat2", c->path, o, ref, c->want);
		}
		if (ref >= 0)
			close(ref);
	}
}

Test(proc_walk, table_on_the_own_root)
{
	int root = proc_own_root();
	cr_assert_geq(root, 0);
	run_table(root);
	close(root);
}

Test(proc_walk, table_on_a_private_handle)
{
	pathward_proc_handle_t h;
	cr_assert_eq(pathward_proc_handle_open(&h, PATHWARD_PROC_UNMASKED), 0);
	run_table(h.fd);
	pathward_proc_handle_close(&h);
}

Test(proc_walk, overmounts_are_exdev_at_every_step)
{
	TEST_PRIVATE_MNTNS();
	char path[64];
	int root = proc_own_root();
	cr_assert_geq(root, 0);
	cr_assert_eq(test_bind_fd("/proc/self/sched", "/proc/self/attr/current"), 0);
	snprintf(path, sizeof(path), "/proc/%d/net", getpid());
	cr_assert_eq(mount("tmpfs", path, "tmpfs", 0, NULL), 0);
	/* last component, intermediate directory, and a symlink leading into it */
	cr_assert_eq(proc_walk(root, "self/attr/current", O_RDONLY, 0), -EXDEV);
	cr_assert_eq(proc_walk(root, "self/net/unix", O_RDONLY, 0), -EXDEV);
	cr_assert_eq(proc_walk(root, "net/unix", O_RDONLY, 0), -EXDEV);
	cr_assert_eq(proc_walk(root, "self/attr/current", O_PATH | O_NOFOLLOW, 0), -EXDEV);
	/* what is not covered still opens */
	int fd = proc_walk(root, "self/attr/exec", O_RDONLY, 0);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	close(fd);
	close(root);
}

Test(proc_walk, symlink_targets_with_dotdot_or_absolute_are_not_followed)
{
	cr_assert(proc_link_is_magic("/usr/bin/x"));
	cr_assert(proc_link_is_magic("pipe:[42]"));
	cr_assert(proc_link_is_magic("anon_inode:inotify"));
	cr_assert(proc_link_is_magic("(unreachable)/x"));
	cr_assert(proc_link_is_magic(""));
	cr_assert_not(proc_link_is_magic("42"));
	cr_assert_not(proc_link_is_magic("42/task/42"));
	cr_assert_not(proc_link_is_magic("self/mounts"));
	cr_assert_eq(proc_path_check("a/../b"), -EXDEV);
	cr_assert_eq(proc_path_check("/a"), -EXDEV);
	cr_assert_eq(proc_path_check(NULL), -EINVAL);
	cr_assert_eq(proc_path_check("a/.../b"), 0);
}

/* ---- mount ids --------------------------------------------------------- */

Test(proc_walk, mnt_id_kinds_agree_with_fdinfo)
{
	int root = proc_own_root();
	uint64_t any, old, fdi;
	bool u1, u2, u3;
	cr_assert_eq(proc_mnt_id_kind(root, root, "", PROC_MNT_ANY, &any, &u1), 0);
	cr_assert_eq(proc_mnt_id_kind(root, root, "", PROC_MNT_OLD, &old, &u2), 0);
	cr_assert_not(u2);
	/* the fdinfo route, forced by asking for a path's id through an fd
	 * whose statx is unavailable: compare with /proc/self/fdinfo */
	char p[64], buf[512];
	snprintf(p, sizeof(p), "/proc/self/fdinfo/%d", root);
	int info = open(p, O_RDONLY | O_CLOEXEC);
	cr_assert_gt(read_text(info, buf, sizeof(buf)), 0);
	close(info);
	fdi = strtoull(strstr(buf, "mnt_id:") + 7, NULL, 10);
	cr_assert_eq(old, fdi);
	if (u1)
		cr_assert_eq(proc_mnt_id_kind(root, root, "", PROC_MNT_UNIQUE, &any, &u3), 0);
	close(root);
}

Test(proc_walk, fdinfo_route_after_statx_is_blocked)
{
	int root = proc_own_root();
	uint64_t before, after;
	bool u;
	cr_assert_eq(proc_mnt_id_kind(root, root, "", PROC_MNT_OLD, &before, &u), 0);
	cr_assert_eq(test_block_syscall(SYS_statx, EPERM), 0);
	cr_assert_eq(proc_mnt_id(root, "", &after, &u), 0);
	cr_assert_not(u);
	cr_assert_eq(after, before);
	cr_assert_eq(proc_mnt_id_kind(root, root, "", PROC_MNT_UNIQUE, &after, &u), -EOPNOTSUPP);
	/* same-mount comparisons still work, and still see an overmount */
	cr_assert_eq(proc_mnt_same(root, root, "", root, "self"), 0);
	/* the own view still verifies (fstatfs + fstat instead of the id) */
	int again = proc_own_root();
	cr_assert_geq(again, 0);
	close(again);
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", O_RDONLY);
	cr_assert_eq(status_pid(fd), getpid());
	close(fd);
	close(root);
}

Test(proc_walk, forged_fdinfo_is_refused)
{
	TEST_PRIVATE_MNTNS();
	char self_fdinfo[64], task_fdinfo[64], p[64], buf[512];
	int root = proc_own_root();
	cr_assert_geq(root, 0);
	/* cover both fdinfo directories with PID 1's: fdinfo/<root> then
	 * describes PID 1's descriptor of that number, not ours */
	snprintf(self_fdinfo, sizeof(self_fdinfo), "/proc/%d/fdinfo", getpid());
	snprintf(task_fdinfo, sizeof(task_fdinfo), "/proc/%d/task/%ld/fdinfo", getpid(), (long)syscall(SYS_gettid));
	cr_assert_eq(test_bind_fd("/proc/1/fdinfo", self_fdinfo), 0);
	cr_assert_eq(test_bind_fd("/proc/1/fdinfo", task_fdinfo), 0);
	/* control: the fdinfo file read plainly is not about our fd */
	snprintf(p, sizeof(p), "/proc/thread-self/fdinfo/%d", root);
	int info = open(p, O_RDONLY | O_CLOEXEC);
	struct stat st;
	cr_assert_eq(fstat(root, &st), 0);
	if (info >= 0) {
		cr_assert_gt(read_text(info, buf, sizeof(buf)), 0);
		char *ino = strstr(buf, "ino:");
		cr_assert(ino == NULL || strtoull(ino + 4, NULL, 10) != (unsigned long long)st.st_ino,
		          "control: PID 1's fdinfo describes the same inode");
		close(info);
	}
	cr_assert_eq(test_block_syscall(SYS_statx, ENOSYS), 0);
	uint64_t id;
	bool u;
	cr_assert_eq(proc_mnt_id_kind(root, root, "", PROC_MNT_ANY, &id, &u), -EXDEV);
	/* a private handle's own fdinfo cannot be forged from outside */
	pathward_proc_handle_t h;
	if (pathward_proc_handle_open(&h, PATHWARD_PROC_UNMASKED) == 0) {
		if (h.flags & PATHWARD_PROC_F_DETACHED)
			cr_assert_eq(proc_mnt_id_kind(h.fd, h.fd, "", PROC_MNT_ANY, &id, &u), 0);
		pathward_proc_handle_close(&h);
	}
	close(root);
}

Test(proc_walk, openat2_blocked_later_uses_the_walk)
{
	int root = proc_own_root();
	cr_assert_geq(root, 0);
	cr_assert_eq(test_block_syscall(SYS_openat2, ENOSYS), 0);
	run_table(root);
	close(root);
}

/* ---- F4: the fd's status flags are the caller's ----------------------- */


static const struct {
	const char *path;
	int flags;
	bool oracle; /* openat2 with the safe resolve flags opens it too */
} fcases[] = {
	{ "self/status", O_RDONLY, true },
	{ "self/comm", O_RDWR | O_APPEND, true },
	{ "self/comm", O_WRONLY | O_NONBLOCK, true },
	{ "self/fd", O_RDONLY | O_DIRECTORY, true },
	{ "self/task", O_RDONLY, true },
	{ "self/status", O_PATH, true },
	{ "self/status", O_NOFOLLOW | O_PATH, true },
	{ "self/fd", O_PATH | O_DIRECTORY, true },
	{ "self/status", O_RDONLY | O_NOFOLLOW, true },
	{ "mounts", O_RDONLY, true },           /* ordinary symlink, followed */
	{ "self", O_RDONLY | O_DIRECTORY, true },
	{ "self", O_PATH | O_NOFOLLOW, true },  /* the link itself */
	{ "", O_RDONLY | O_DIRECTORY, true },
	{ "self/.", O_PATH, true },
	{ "self/fd/0", O_PATH | O_NOFOLLOW, true },
	{ "self/exe", O_RDONLY, false },        /* magic, followed after the check */
};

/*
 * Finding F4: the walk used to open the last component with O_NOFOLLOW
 * added, which F_GETFL showed.  The walk's fd, the resolver's and
 * openat2's must show what a plain openat of the same entry shows, and be
 * the same file.
 */
static void run_flags(int root)
{
	for (size_t i = 0; i < sizeof(fcases) / sizeof(fcases[0]); i++) {
		const char *p = *fcases[i].path ? fcases[i].path : ".";
		int fl = fcases[i].flags | O_CLOEXEC;
		int ref = openat(root, p, fl);
		cr_assert_geq(ref, 0, "plain %s %#o: %s", p, fl, strerror(errno));
		for (int route = 0; route < 3; route++) {
			int fd = route == 0 ? proc_walk(root, fcases[i].path, fl, 0)
			       : route == 1 ? proc_resolve(root, fcases[i].path, fl, 0)
			       : fcases[i].oracle ? sys_openat2(root, p, (uint64_t)fl, 0, OPENAT2_SAFE) : -ENOSYS;
			const char *rn = route == 0 ? "walk" : route == 1 ? "resolve" : "openat2";
			if (route == 2 && (fd == -ENOSYS || fd == -EPERM))
				continue;
			cr_assert_geq(fd, 0, "[%s] %s %#o: %s", rn, p, fl, strerror(-fd));
			cr_expect_eq(test_status_flags(fd), test_status_flags(ref),
			             "[%s] %s %#o: F_GETFL %#o, native %#o", rn, p, fl, test_status_flags(fd),
			             test_status_flags(ref));
			cr_expect(test_same_file(fd, ref), "[%s] %s: a different file", rn, p);
			cr_expect_eq(fcntl(fd, F_GETFD), FD_CLOEXEC, "[%s] %s: close-on-exec", rn, p);
			close(fd);
		}
		close(ref);
	}
	/* without O_CLOEXEC none is added (proc_open_beneath's contract) */
	int fd = proc_open_beneath(root, "self/status", O_RDONLY, 0);
	cr_assert_geq(fd, 0);
	cr_expect_eq(fcntl(fd, F_GETFD), 0);
	cr_expect_eq(test_status_flags(fd), O_RDONLY);
	close(fd);
}

Test(proc_walk, status_flags_are_the_callers_on_the_own_root)
{
	int root = proc_own_root();
	cr_assert_geq(root, 0);
	run_flags(root);
	close(root);
}

Test(proc_walk, status_flags_are_the_callers_on_a_private_handle)
{
	pathward_proc_handle_t h;
	cr_assert_eq(pathward_proc_handle_open(&h, PATHWARD_PROC_UNMASKED), 0);
	run_flags(h.fd);
	pathward_proc_handle_close(&h);
}

Test(proc_walk, status_flags_are_the_callers_with_openat2_blocked)
{
	int root = proc_own_root();
	cr_assert_geq(root, 0);
	cr_assert_eq(test_block_syscall(SYS_openat2, EPERM), 0);
	run_flags(root);
	/* and through the public call (default handle) */
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "comm", O_RDWR | O_APPEND);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	cr_expect_eq(test_status_flags(fd), O_RDWR | O_APPEND);
	close(fd);
	close(root);
}

/* The re-open itself: exactly the flags, the same file, no descriptor left
 * behind, and O_NOFOLLOW (which it cannot honour) is not taken. */
Test(proc_walk, reopen_gives_the_flags_and_leaks_nothing)
{
	int root = proc_own_root();
	cr_assert_geq(root, 0);
	int opath = openat(root, "self/comm", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	cr_assert_geq(opath, 0);
	int before = dup(0);
	close(before);
	for (int i = 0; i < 100; i++) {
		int fd = proc_reopen(root, opath, O_RDWR | O_APPEND | O_CLOEXEC, 0);
		cr_assert_geq(fd, 0, "%s", strerror(-fd));
		cr_expect_eq(test_status_flags(fd), O_RDWR | O_APPEND);
		cr_expect(test_same_file(fd, opath));
		close(fd);
	}
	int after = dup(0);
	close(after);
	cr_expect_eq(before, after, "descriptors leaked: lowest free %d -> %d", before, after);
	cr_expect_eq(proc_reopen(root, opath, O_RDONLY | O_NOFOLLOW, 0), PROC_REOPEN_NOROUTE);
	cr_expect_eq(proc_reopen(-EBADF, opath, O_RDONLY, 0), PROC_REOPEN_NOROUTE);
	close(opath);
	close(root);
}
