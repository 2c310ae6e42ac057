/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-proc.c - the procfs handle: tiers, cache, opening, readlink, bad
 * input.  The attack scenarios (procfs.md §4) are in test-proc-attack.c.
 * Every test adapts to what the kernel (and the enosys filter the runner
 * may put us under) allows, probing it directly rather than through the
 * library.
 */
#include <pthread.h>

#include "proc-internal.h"

#include "test-proc.h"

/* ---- tiers ------------------------------------------------------------ */

Test(proc, default_handle_tier_matches_what_the_kernel_allows)
{
	pathward_proc_handle_t h;
	cr_assert_eq(pathward_proc_handle_open(&h, PATHWARD_PROC_DEFAULT), 0);
	pathward_proc_tier_t want = test_probe_tier();
	cr_assert_eq(h.tier, want, "tier %s, expected %s", pathward_proc_tier_name(h.tier),
	             pathward_proc_tier_name(want));
	cr_assert(is_procfs(h.fd));
	if (want == PATHWARD_PROC_TIER_FSOPEN) {
		/* fresh instance with subset=pid: the cacheable kind */
		cr_assert(h.flags & PATHWARD_PROC_F_SUBSET);
		cr_assert(h.flags & PATHWARD_PROC_F_DETACHED);
		cr_assert(h.flags & PATHWARD_PROC_F_CACHED);
		cr_assert(h.flags & PATHWARD_PROC_F_OWN_PIDNS);
	} else {
		cr_assert_not(h.flags & PATHWARD_PROC_F_CACHED, "a non-subset handle must not be cached");
	}
	if (want == PATHWARD_PROC_TIER_OPEN_TREE || want == PATHWARD_PROC_TIER_OPEN_TREE_REC)
		cr_assert(h.flags & PATHWARD_PROC_F_DETACHED);
	pathward_proc_handle_close(&h);
}

Test(proc, unmasked_handle_has_global_files_and_is_never_cached)
{
	pathward_proc_handle_t a, b;
	cr_assert_eq(pathward_proc_handle_open(&a, PATHWARD_PROC_UNMASKED), 0);
	cr_assert_eq(pathward_proc_handle_open(&b, PATHWARD_PROC_UNMASKED), 0);
	cr_assert_eq(a.tier, test_probe_tier());
	cr_assert_not(a.flags & PATHWARD_PROC_F_SUBSET);
	cr_assert_not(a.flags & PATHWARD_PROC_F_CACHED);
	cr_assert_neq(a.fd, b.fd);
	int fd = pathward_proc_open(&a, PATHWARD_PROC_ROOT, "meminfo", O_RDONLY);
	cr_assert_geq(fd, 0, "meminfo: %s", strerror(-fd));
	close(fd);
	pathward_proc_handle_close(&a);
	pathward_proc_handle_close(&b);
	cr_assert_eq(a.fd, -EBADF);
}

Test(proc, own_view_is_our_proc_and_our_pidns)
{
	pathward_proc_handle_t h;
	struct stat a, b;
	cr_assert_eq(pathward_proc_handle_open(&h, PATHWARD_PROC_OWN_VIEW), 0);
	cr_assert_eq(h.tier, PATHWARD_PROC_TIER_HOST);
	cr_assert(h.flags & PATHWARD_PROC_F_OWN_PIDNS);
	cr_assert_not(h.flags & PATHWARD_PROC_F_DETACHED);
	cr_assert_not(h.flags & PATHWARD_PROC_F_CACHED);
	cr_assert_eq(stat("/proc", &a), 0);
	cr_assert_eq(fstat(h.fd, &b), 0);
	cr_assert(a.st_dev == b.st_dev && a.st_ino == b.st_ino);
	cr_assert_eq(h.mnt_id, fd_mnt_id(h.fd));
	pathward_proc_handle_close(&h);
}

Test(proc, tier_names)
{
	cr_assert_str_eq(pathward_proc_tier_name(PATHWARD_PROC_TIER_FSOPEN), "fsopen");
	cr_assert_str_eq(pathward_proc_tier_name(PATHWARD_PROC_TIER_OPEN_TREE), "open_tree");
	cr_assert_str_eq(pathward_proc_tier_name(PATHWARD_PROC_TIER_OPEN_TREE_REC), "open_tree_recursive");
	cr_assert_str_eq(pathward_proc_tier_name(PATHWARD_PROC_TIER_HOST), "host");
	cr_assert_str_eq(pathward_proc_tier_name(PATHWARD_PROC_TIER_NONE), "none");
	cr_assert_str_eq(pathward_proc_tier_name((pathward_proc_tier_t)99), "unknown");
}

/* ---- the cache -------------------------------------------------------- */

Test(proc, default_handle_is_cached_only_when_subset_and_detached)
{
	pathward_proc_handle_t a, b;
	cr_assert_eq(pathward_proc_handle_open(&a, PATHWARD_PROC_DEFAULT), 0);
	cr_assert_eq(pathward_proc_handle_open(&b, PATHWARD_PROC_DEFAULT), 0);
	bool cacheable = (a.flags & PATHWARD_PROC_F_SUBSET) && (a.flags & PATHWARD_PROC_F_DETACHED);
	if (cacheable) {
		cr_assert_eq(a.fd, b.fd, "the cached handle must be returned again");
		cr_assert(b.flags & PATHWARD_PROC_F_CACHED);
	} else {
		cr_assert_neq(a.fd, b.fd);
	}
	pathward_proc_handle_close(&a);
	pathward_proc_handle_close(&b);
	/* closing the cached handle must not close the fd */
	if (cacheable) {
		pathward_proc_handle_t c;
		cr_assert_eq(pathward_proc_handle_open(&c, PATHWARD_PROC_DEFAULT), 0);
		cr_assert(is_procfs(c.fd));
		pathward_proc_handle_close(&c);
	}
}

Test(proc, cached_fd_is_cloexec_and_high)
{
	pathward_proc_handle_t h;
	cr_assert_eq(pathward_proc_handle_open(&h, PATHWARD_PROC_DEFAULT), 0);
	cr_assert(fcntl(h.fd, F_GETFD) & FD_CLOEXEC);
	if (h.flags & PATHWARD_PROC_F_CACHED)
		cr_assert_geq(h.fd, 64);
	pathward_proc_handle_close(&h);
}

static int child_uses_cache(void *arg)
{
	const pathward_proc_handle_t *parent = arg;
	pathward_proc_handle_t h;
	if (pathward_proc_handle_open(&h, PATHWARD_PROC_DEFAULT) != 0)
		return 1;
	if ((parent->flags & PATHWARD_PROC_F_CACHED) && h.fd != parent->fd)
		return 2;
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", O_RDONLY);
	if (fd < 0)
		return 3;
	/* "self" is whoever reads it: the child, not the parent that built
	 * the handle (nothing about the caller is cached). */
	if (status_pid(fd) != getpid())
		return 4;
	close(fd);
	return 0;
}

Test(proc, cache_survives_fork_and_self_is_the_child)
{
	pathward_proc_handle_t h;
	cr_assert_eq(pathward_proc_handle_open(&h, PATHWARD_PROC_DEFAULT), 0);
	cr_assert_eq(run_child(child_uses_cache, &h), 0);
	pathward_proc_handle_close(&h);
}

#define THREADS 4
static void *race_default(void *arg)
{
	pathward_proc_handle_t *h = arg;
	if (pathward_proc_handle_open(h, PATHWARD_PROC_DEFAULT) != 0)
		h->fd = -1;
	return NULL;
}

Test(proc, concurrent_builders_agree_on_one_cached_handle)
{
	pthread_t t[THREADS];
	pathward_proc_handle_t h[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, race_default, &h[i]);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	int cached = -1;
	for (int i = 0; i < THREADS; i++) {
		cr_assert_geq(h[i].fd, 0);
		if (h[i].flags & PATHWARD_PROC_F_CACHED) {
			if (cached < 0)
				cached = h[i].fd;
			cr_assert_eq(h[i].fd, cached, "thread %d: fd %d, cached %d", i, h[i].fd, cached);
		}
	}
	for (int i = 0; i < THREADS; i++) {
		if (cached >= 0)
			cr_assert(h[i].flags & PATHWARD_PROC_F_CACHED, "thread %d: flags %#x fd %d", i,
			          h[i].flags, h[i].fd);
		pathward_proc_handle_close(&h[i]);
	}
}

/* ---- opening ---------------------------------------------------------- */

Test(proc, self_status_is_ours)
{
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", O_RDONLY);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	cr_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC, "always O_CLOEXEC");
	cr_assert_eq(status_pid(fd), getpid());
	close(fd);
}

Test(proc, pid_base_opens_that_pid)
{
	char sub[] = "status";
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_PID(getpid()), sub, O_RDONLY);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	cr_assert_eq(status_pid(fd), getpid());
	close(fd);
}

Test(proc, root_global_file_through_default_handle)
{
	/* subset=pid has no meminfo: the temporary unmasked handle serves it */
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_ROOT, "meminfo", O_RDONLY);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	char buf[64];
	cr_assert_gt(read_text(fd, buf, sizeof(buf)), 0);
	cr_assert(strncmp(buf, "MemTotal:", 9) == 0);
	close(fd);
	fd = pathward_proc_open(NULL, PATHWARD_PROC_ROOT, "sys/kernel/ostype", O_RDONLY);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	close(fd);
}

Test(proc, missing_file_is_enoent)
{
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "no-such-file", O_RDONLY), -ENOENT);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_ROOT, "no-such-file", O_RDONLY), -ENOENT);
}

Test(proc, base_itself_for_null_or_empty_subpath)
{
	struct stat a, b;
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, NULL, O_RDONLY | O_DIRECTORY);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	cr_assert_eq(fstat(fd, &a), 0);
	cr_assert(S_ISDIR(a.st_mode));
	int st = openat(fd, "status", O_RDONLY | O_CLOEXEC);
	cr_assert_eq(status_pid(st), getpid());
	close(st);
	close(fd);
	fd = pathward_proc_open(NULL, PATHWARD_PROC_ROOT, "", O_PATH);
	cr_assert_geq(fd, 0);
	cr_assert_eq(fstat(fd, &b), 0);
	cr_assert_eq(b.st_ino, 1, "ROOT with an empty subpath is the procfs root");
	close(fd);
}

static void *thread_self_status(void *arg)
{
	long *out = arg;
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_THREAD_SELF, "status", O_RDONLY);
	out[0] = fd < 0 ? fd : status_pid(fd);
	out[1] = syscall(SYS_gettid);
	if (fd >= 0)
		close(fd);
	return NULL;
}

Test(proc, thread_self_is_the_calling_thread)
{
	long res[2];
	pthread_t t;
	pthread_create(&t, NULL, thread_self_status, res);
	pthread_join(t, NULL);
	/* thread-self/status says "Pid:" = the thread id */
	cr_assert_eq(res[0], res[1], "thread-self gave %ld for tid %ld", res[0], res[1]);
	cr_assert_neq(res[1], getpid());
}

Test(proc, regular_symlinks_inside_procfs_are_followed)
{
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_ROOT, "self/status", O_RDONLY);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	cr_assert_eq(status_pid(fd), getpid());
	close(fd);
	/* "mounts" -> "self/mounts" is an ordinary symlink */
	fd = pathward_proc_open(NULL, PATHWARD_PROC_ROOT, "mounts", O_RDONLY);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	close(fd);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_ROOT, "mounts", O_RDONLY | O_NOFOLLOW), -ELOOP);
}

Test(proc, trailing_magic_link_is_followed_to_the_real_target)
{
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "exe", O_RDONLY);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	int ref = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	cr_assert(test_same_file(fd, ref));
	close(fd);
	close(ref);

	int tmp = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char sub[32];
	snprintf(sub, sizeof(sub), "fd/%d", tmp);
	fd = pathward_proc_open(NULL, PATHWARD_PROC_THREAD_SELF, sub, O_RDONLY);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	cr_assert(test_same_file(fd, tmp));
	close(fd);
	close(tmp);

	fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "ns/mnt", O_RDONLY);
	cr_assert_geq(fd, 0, "ns/mnt: %s", strerror(-fd));
	ref = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	cr_assert(test_same_file(fd, ref));
	close(fd);
	close(ref);
}

Test(proc, magic_link_not_followed_with_onofollow)
{
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "exe", O_PATH | O_NOFOLLOW);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	struct stat st;
	cr_assert_eq(fstat(fd, &st), 0);
	cr_assert(S_ISLNK(st.st_mode));
	cr_assert(is_procfs(fd));
	close(fd);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "exe", O_RDONLY | O_NOFOLLOW), -ELOOP);
}

Test(proc, intermediate_magic_link_is_eloop)
{
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "root/etc/passwd", O_RDONLY), -ELOOP);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "cwd/.", O_RDONLY), -ELOOP);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "cwd/", O_RDONLY | O_NOFOLLOW), -ELOOP);
}

Test(proc, trailing_slash_requires_a_directory)
{
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_ROOT, "self/", O_RDONLY);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	struct stat st;
	cr_assert_eq(fstat(fd, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	close(fd);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status/", O_RDONLY), -ENOTDIR);
}

/* ---- readlink --------------------------------------------------------- */

Test(proc, readlink_reads_the_link_snprintf_like)
{
	char want[PATH_MAX], buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", want, sizeof(want) - 1);
	cr_assert_gt(n, 4);
	want[n] = '\0';
	cr_assert_eq(pathward_proc_readlink(NULL, PATHWARD_PROC_SELF, "exe", buf, sizeof(buf)), n);
	cr_assert_str_eq(buf, want);
	/* size 0: nothing written, NULL allowed, full length returned */
	cr_assert_eq(pathward_proc_readlink(NULL, PATHWARD_PROC_SELF, "exe", NULL, 0), n);
	/* truncated: size-1 bytes and a NUL, full length returned */
	memset(buf, 'x', sizeof(buf));
	cr_assert_eq(pathward_proc_readlink(NULL, PATHWARD_PROC_SELF, "exe", buf, 4), n);
	cr_assert_eq(buf[3], '\0');
	cr_assert(strncmp(buf, want, 3) == 0);
	cr_assert_eq(buf[4], 'x');
	/* size 1: just the NUL */
	cr_assert_eq(pathward_proc_readlink(NULL, PATHWARD_PROC_SELF, "exe", buf, 1), n);
	cr_assert_eq(buf[0], '\0');
}

Test(proc, readlink_of_ordinary_symlink_and_non_symlink)
{
	char buf[64], want[24];
	snprintf(want, sizeof(want), "%d", getpid());
	cr_assert_eq(pathward_proc_readlink(NULL, PATHWARD_PROC_ROOT, "self", buf, sizeof(buf)),
	             (ssize_t)strlen(want));
	cr_assert_str_eq(buf, want);
	cr_assert_eq(pathward_proc_readlink(NULL, PATHWARD_PROC_SELF, "status", buf, sizeof(buf)), -EINVAL);
	cr_assert_eq(pathward_proc_readlink(NULL, PATHWARD_PROC_SELF, "exe", NULL, 8), -EINVAL);
	cr_assert_eq(pathward_proc_readlink(NULL, PATHWARD_PROC_SELF, "missing", buf, sizeof(buf)), -ENOENT);
}

Test(proc, self_fd_readlink_names_the_file)
{
	char dir[] = "/tmp/pw-proc-XXXXXX", path[PATH_MAX], buf[PATH_MAX];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/file", dir);
	int fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(pathward_proc_self_fd_readlink(fd, buf, sizeof(buf)), (ssize_t)strlen(path));
	cr_assert_str_eq(buf, path);
	cr_assert_eq(pathward_proc_self_fd_readlink(fd, NULL, 0), (ssize_t)strlen(path));
	unlink(path);
	rmdir(dir);
	close(fd);
	cr_assert_eq(pathward_proc_self_fd_readlink(fd, buf, sizeof(buf)), -EBADF, "closed fd");
	cr_assert_eq(pathward_proc_self_fd_readlink(-1, buf, sizeof(buf)), -EBADF);
	cr_assert_eq(pathward_proc_self_fd_readlink(0, NULL, 5), -EINVAL);
}

/* ---- bad input -------------------------------------------------------- */

Test(proc, bad_bases_are_einval)
{
	cr_assert_eq(pathward_proc_open(NULL, 0, "status", O_RDONLY), -EINVAL);
	cr_assert_eq(pathward_proc_open(NULL, 42, "status", O_RDONLY), -EINVAL);
	cr_assert_eq(pathward_proc_open(NULL, 0xFFFFFFFE00000003ULL, "status", O_RDONLY), -EINVAL);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_PID(0), "status", O_RDONLY), -EINVAL);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_PID(PATHWARD_PROC_PID_MAX + 1), "status", O_RDONLY),
	             -EINVAL);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_PID(0xFFFFFFFFu), "status", O_RDONLY), -EINVAL);
	/* tag bits between the PID tag and the number */
	cr_assert_eq(pathward_proc_open(NULL, 0x8000000100000001ULL, "status", O_RDONLY), -EINVAL);
	char buf[8];
	cr_assert_eq(pathward_proc_readlink(NULL, 7, "exe", buf, sizeof(buf)), -EINVAL);
}

Test(proc, a_pid_that_does_not_exist_is_enoent)
{
	/* PATHWARD_PROC_PID_MAX is above any pid_max we will meet in a test */
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_PID(PATHWARD_PROC_PID_MAX), "status", O_RDONLY),
	             -ENOENT);
}

Test(proc, dotdot_and_absolute_are_exdev_before_any_lookup)
{
	static const char *const bad[] = { "..", "../1/status", "task/../status", "a/..", "/etc/passwd", "/",
		                           "fd/../../..", "..//" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, bad[i], O_RDONLY), -EXDEV, "%s", bad[i]);
	/* "..." and "..x" are ordinary names */
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "...", O_RDONLY), -ENOENT);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "..x", O_RDONLY), -ENOENT);
}

Test(proc, nonsense_flags_are_einval)
{
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", O_RDONLY | O_CREAT), -EINVAL);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", O_RDWR | O_CREAT | O_EXCL), -EINVAL);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "", O_TMPFILE | O_RDWR), -EINVAL);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", O_EXCL), -EINVAL);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", O_ACCMODE), -EINVAL);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", 0x40000000), -EINVAL);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", -1), -EINVAL);
}

Test(proc, bad_handles)
{
	pathward_proc_handle_t h = { .fd = -1 };
	cr_assert_eq(pathward_proc_open(&h, PATHWARD_PROC_SELF, "status", O_RDONLY), -EBADF);
	cr_assert_eq(pathward_proc_handle_open(NULL, PATHWARD_PROC_DEFAULT), -EINVAL);
	cr_assert_eq(pathward_proc_handle_open(&h, 4), -EINVAL);
	cr_assert_eq(pathward_proc_handle_open(&h, PATHWARD_PROC_UNMASKED | PATHWARD_PROC_OWN_VIEW), -EINVAL);
	pathward_proc_handle_close(NULL);
	pathward_proc_handle_close(&h);
}

Test(proc, long_subpath_is_enametoolong_long_name_is_enoent)
{
	static char big[PATH_MAX + 8];
	memset(big, 'a', sizeof(big) - 1);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, big, O_RDONLY), -ENAMETOOLONG);
	/* one component > NAME_MAX: procfs does not check NAME_MAX, the name
	 * is just absent; the same answer with and without openat2 */
	big[300] = '\0';
	int r = pathward_proc_open(NULL, PATHWARD_PROC_SELF, big, O_RDONLY);
	cr_assert_eq(r, -ENOENT, "%s", strerror(-r));
	int root = proc_own_root();
	cr_assert_eq(proc_walk(root, big, O_RDONLY, 0), -ENOENT);
	close(root);
}

/* ---- the own view and the shim's route -------------------------------- */

Test(proc, own_root_is_the_genuine_proc_each_call)
{
	for (int i = 0; i < 3; i++) {
		int fd = proc_own_root();
		cr_assert_geq(fd, 0, "%s", strerror(-fd));
		struct stat a, b;
		cr_assert_eq(fstat(fd, &a), 0);
		cr_assert_eq(stat("/proc", &b), 0);
		cr_assert(a.st_dev == b.st_dev && a.st_ino == 1);
		close(fd);
	}
}

Test(proc, own_root_follows_a_mount_namespace_change)
{
	int fd = proc_own_root();
	cr_assert_geq(fd, 0);
	uint64_t before = fd_mnt_id(fd);
	close(fd);
	TEST_PRIVATE_MNTNS();
	fd = proc_own_root();
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	cr_assert_neq(fd_mnt_id(fd), before, "a new namespace has a new /proc mount");
	close(fd);
	/* a tmpfs on /proc in the new namespace is refused, remembered id or not */
	cr_assert_eq(mount("tmpfs", "/proc", "tmpfs", 0, NULL), 0);
	cr_assert_eq(proc_own_root(), -EXDEV);
}

Test(proc, open_beneath_passes_flags_exactly)
{
	int root = proc_own_root();
	cr_assert_geq(root, 0);
	int fd = proc_open_beneath(root, "self/status", O_RDONLY, 0);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	cr_assert_not(fcntl(fd, F_GETFD) & FD_CLOEXEC, "no O_CLOEXEC unless asked");
	cr_assert_eq(status_pid(fd), getpid());
	close(fd);
	fd = proc_open_beneath(root, "self/status", O_RDONLY | O_CLOEXEC, 0);
	cr_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	cr_assert_eq(proc_open_beneath(root, "self/../1/status", O_RDONLY, 0), -EXDEV);
	cr_assert_eq(proc_open_beneath(root, "/etc/passwd", O_RDONLY, 0), -EXDEV);
	cr_assert_eq(proc_open_beneath(root, NULL, O_RDONLY, 0), -EINVAL);
	cr_assert_eq(proc_open_beneath(root, "self/root/etc/passwd", O_RDONLY, 0), -ELOOP);
	/* the kernel's answer for O_CREAT on procfs, as a native open gives */
	int native = open("/proc/self/newfile", O_CREAT | O_WRONLY, 0600);
	int e = errno;
	cr_assert_lt(native, 0);
	cr_assert_eq(proc_open_beneath(root, "self/newfile", O_CREAT | O_WRONLY, 0600), -e);
	close(root);
}

Test(proc, mnt_id_matches_statx_and_fdinfo)
{
	int fd = open("/proc", O_PATH | O_CLOEXEC);
	uint64_t id;
	bool unique;
	cr_assert_eq(proc_mnt_id(fd, "", &id, &unique), 0);
	cr_assert_neq(id, 0);
	/* the fdinfo route (old ids) agrees with /proc/self/fdinfo */
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	int info = open(path, O_RDONLY | O_CLOEXEC);
	cr_assert_gt(read_text(info, buf, sizeof(buf)), 0);
	char *p = strstr(buf, "mnt_id:");
	cr_assert_not_null(p);
	unsigned long old = strtoul(p + 7, NULL, 10);
	if (!unique)
		cr_assert_eq(id, old);
	cr_assert_eq(proc_mnt_id(fd, NULL, NULL, &unique), -EINVAL);
	cr_assert_eq(proc_mnt_id(fd, "no-such", &id, &unique), -ENOENT);
	close(info);
	close(fd);
}

/* ---- descriptors ------------------------------------------------------- */

static int child_closes_everything(void *arg)
{
	(void)arg;
	pathward_proc_handle_t h;
	if (pathward_proc_handle_open(&h, PATHWARD_PROC_DEFAULT) != 0)
		return 1;
	/* a daemon or a spawner closing every descriptor it inherited */
	if (syscall(SYS_close_range, 3, ~0U, 0) != 0)
		return 2;
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", O_RDONLY);
	if (fd < 0 || status_pid(fd) != getpid())
		return 3;
	close(fd);
	/* and the same number now holding a regular file */
	if ((h.flags & PATHWARD_PROC_F_CACHED) && pathward_proc_handle_open(&h, PATHWARD_PROC_DEFAULT) == 0) {
		int file = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
		if (file < 0 || dup2(file, h.fd) != h.fd)
			return 4;
		fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", O_RDONLY);
		if (fd < 0 || status_pid(fd) != getpid())
			return 5;
		close(fd);
	}
	return 0;
}

Test(proc, cached_descriptor_closed_or_replaced_is_rebuilt)
{
	cr_assert_eq(run_child(child_closes_everything, NULL), 0);
}

static int count_fds(void)
{
	int n = 0;
	for (int fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

Test(proc, no_descriptor_is_leaked)
{
	char buf[PATH_MAX];
	/* build the cache first: it is the one descriptor we keep */
	pathward_proc_handle_t h;
	cr_assert_eq(pathward_proc_handle_open(&h, PATHWARD_PROC_DEFAULT), 0);
	pathward_proc_handle_close(&h);
	int before = count_fds();
	for (int i = 0; i < 3; i++) {
		int fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", O_RDONLY);
		close(fd);
		fd = pathward_proc_open(NULL, PATHWARD_PROC_ROOT, "meminfo", O_RDONLY);
		close(fd);
		fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "exe", O_RDONLY);
		close(fd);
		cr_assert_lt(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "missing", O_RDONLY), 0);
		cr_assert_lt(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "root/etc/passwd", O_RDONLY), 0);
		cr_assert_gt(pathward_proc_readlink(NULL, PATHWARD_PROC_SELF, "exe", buf, sizeof(buf)), 0);
		cr_assert_gt(pathward_proc_self_fd_readlink(0, buf, sizeof(buf)), 0);
		cr_assert_eq(pathward_proc_handle_open(&h, PATHWARD_PROC_UNMASKED), 0);
		pathward_proc_handle_close(&h);
		cr_assert_eq(pathward_proc_handle_open(&h, PATHWARD_PROC_OWN_VIEW), 0);
		pathward_proc_handle_close(&h);
		int root = proc_own_root();
		fd = proc_open_beneath(root, "self/fd/0", O_RDONLY, 0);
		close(fd);
		close(root);
	}
	cr_assert_eq(count_fds(), before);
}
