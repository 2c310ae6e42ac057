/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-proc-attack.c - the attack scenarios A1-A17 of research/procfs.md §4,
 * each in a private mount namespace.  Every test first proves the attack
 * against a plain open()/readlink() (if the control does not reproduce it
 * the test fails), then runs every route pathward offers:
 *   default   pathward_proc_open(NULL, ...)   (cached subset handle, unmasked retry)
 *   unmasked  a PATHWARD_PROC_UNMASKED handle built after the attack
 *   own-view  a PATHWARD_PROC_OWN_VIEW handle
 *   shim      proc_own_root() + proc_open_beneath()  (what the preload shim does)
 * and requires each to refuse (-EXDEV / -ELOOP, or a handle that cannot be
 * built: -EXDEV) or to return the genuine object: the same inode as the
 * genuine file opened before the attack when it comes from the same procfs
 * superblock, or a file of a fresh procfs instance nobody could attack.
 */
#include <pthread.h>

#include "test-proc.h"

/* ---- routes and the verdict ------------------------------------------- */

enum route { R_DEFAULT, R_UNMASKED, R_OWN_VIEW, R_SHIM, R_COUNT };
static const char *const route_name[] = { "default", "unmasked", "own-view", "shim" };

static void compose(char *out, size_t n, pathward_proc_base_t base, const char *sub)
{
	const char *pre = base == PATHWARD_PROC_SELF ? "self" : base == PATHWARD_PROC_THREAD_SELF ? "thread-self" : "";
	snprintf(out, n, "%s%s%s", pre, *pre && *sub ? "/" : "", sub);
}

/* Open base/sub through route; -errno when the route itself refused. */
static int route_open(enum route rt, pathward_proc_base_t base, const char *sub, int flags)
{
	pathward_proc_handle_t h;
	char path[PATH_MAX];
	int r, root;

	switch (rt) {
	case R_DEFAULT:
		return pathward_proc_open(NULL, base, sub, flags);
	case R_UNMASKED:
	case R_OWN_VIEW:
		r = pathward_proc_handle_open(&h, rt == R_UNMASKED ? PATHWARD_PROC_UNMASKED : PATHWARD_PROC_OWN_VIEW);
		if (r < 0)
			return r;
		r = pathward_proc_open(&h, base, sub, flags);
		pathward_proc_handle_close(&h);
		return r;
	case R_SHIM:
		root = proc_own_root();
		if (root < 0)
			return root;
		compose(path, sizeof(path), base, sub);
		r = proc_open_beneath(root, path, flags | O_CLOEXEC, 0);
		close(root);
		return r;
	case R_COUNT:
		break;
	}
	return -EINVAL;
}

/*
 * r is safe: refused with -EXDEV/-ELOOP, or not the attacker's object and
 * genuine (ref: the genuine object opened before the attack).
 */
static void assert_safe(const char *what, int r, int ref, int evil)
{
	struct stat a, b;
	if (r < 0) {
		cr_assert(r == -EXDEV || r == -ELOOP, "%s: neither refused nor genuine: %s", what, strerror(-r));
		return;
	}
	cr_assert_not(evil >= 0 && test_same_file(r, evil), "%s: returned the attacker's object", what);
	cr_assert_eq(fstat(r, &a), 0);
	cr_assert_eq(fstat(ref, &b), 0);
	if (!is_procfs(ref)) {
		/* the target of a magic link: exactly the genuine one */
		cr_assert(a.st_dev == b.st_dev && a.st_ino == b.st_ino, "%s: not the genuine target", what);
	} else if (a.st_dev == b.st_dev) {
		cr_assert_eq(a.st_ino, b.st_ino, "%s: not the genuine inode", what);
	} else {
		/* another superblock: must be a (fresh, unattackable) procfs */
		cr_assert(is_procfs(r), "%s: not procfs", what);
	}
	close(r);
}

/* Which ladder tiers see past an attack made on the host's /proc: a fresh
 * instance always; a non-recursive clone when the attack is a submount
 * (it copies only the /proc mount itself), not when it covers /proc. */
#define PAST_SUBMOUNTS ((1u << PATHWARD_PROC_TIER_FSOPEN) | (1u << PATHWARD_PROC_TIER_OPEN_TREE))
#define PAST_COVER (1u << PATHWARD_PROC_TIER_FSOPEN)
#define NOT_ATTACKED (~0u) /* a neighbour of the attack: every route opens it */

/*
 * Every route is safe, and each gives the answer its view implies: the
 * own view and the shim's route see the attack and must refuse it; the
 * default and unmasked routes must return the genuine object when the
 * tier the kernel allows (probed directly) sees past the attack, and
 * refuse otherwise.  So a route can pass neither by always refusing nor
 * by always opening.
 */
static void assert_routes(pathward_proc_base_t base, const char *sub, int flags, int ref, int evil,
                          unsigned past_tiers)
{
	char what[PATH_MAX + 32];
	bool fresh_sees_past = past_tiers & (1u << test_probe_tier());
	for (int rt = 0; rt < R_COUNT; rt++) {
		snprintf(what, sizeof(what), "%s %s", route_name[rt], sub);
		int r = route_open((enum route)rt, base, sub, flags);
		bool want_genuine = past_tiers == NOT_ATTACKED || ((rt == R_DEFAULT || rt == R_UNMASKED) && fresh_sees_past);
		if (want_genuine)
			cr_assert_geq(r, 0, "%s: refused (%s) though the %s tier sees past the attack", what,
			              strerror(-r), pathward_proc_tier_name(test_probe_tier()));
		else
			cr_assert_lt(r, 0, "%s: opened though this view holds the attack", what);
		assert_safe(what, r, ref, evil);
	}
}

static void assert_routes_safe(pathward_proc_base_t base, const char *sub, int flags, int ref, int evil)
{
	assert_routes(base, sub, flags, ref, evil, PAST_SUBMOUNTS);
}

static int xopen(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0600);
	cr_assert_geq(fd, 0, "open %s: %s", path, strerror(errno));
	return fd;
}

static void bind_or_fail(const char *src, const char *dst)
{
	int r = test_bind_fd(src, dst);
	cr_assert_eq(r, 0, "bind %s over %s: %s", src, dst, strerror(-r));
}

static char *scratch(char *tmpl)
{
	cr_assert_not_null(mkdtemp(tmpl));
	return tmpl;
}

/* ---- A1-A10: overmounts under /proc ------------------------------------ */

Test(proc_attack, a1_procfs_file_bound_over_attr_current)
{
	TEST_PRIVATE_MNTNS();
	int ref = xopen("/proc/self/attr/current", O_RDONLY);
	int ref_thread = xopen("/proc/thread-self/attr/current", O_RDONLY);
	int evil = xopen("/proc/self/sched", O_RDONLY);
	bind_or_fail("/proc/self/sched", "/proc/self/attr/current");
	int ctl = xopen("/proc/self/attr/current", O_RDONLY);
	cr_assert(test_same_file(ctl, evil) && is_procfs(ctl), "control: the bind did not take");
	close(ctl);
	assert_routes_safe(PATHWARD_PROC_SELF, "attr/current", O_RDONLY, ref, evil);
	/* the thread's own attr/current is another file, not covered here */
	assert_routes(PATHWARD_PROC_THREAD_SELF, "attr/current", O_RDONLY, ref_thread, evil, NOT_ATTACKED);
}

Test(proc_attack, a2_dev_null_bound_over_a_sysctl)
{
	TEST_PRIVATE_MNTNS();
	int ref = xopen("/proc/sys/kernel/hostname", O_RDONLY);
	int evil = xopen("/dev/null", O_RDONLY);
	bind_or_fail("/dev/null", "/proc/sys/kernel/hostname");
	int ctl = xopen("/proc/sys/kernel/hostname", O_RDONLY);
	cr_assert(test_same_file(ctl, evil), "control: /dev/null not in place");
	close(ctl);
	assert_routes_safe(PATHWARD_PROC_ROOT, "sys/kernel/hostname", O_RDONLY, ref, evil);
}

Test(proc_attack, a3_tmpfs_over_attr_with_a_symlink_into_a_sysctl)
{
	TEST_PRIVATE_MNTNS();
	char path[PATH_MAX];
	int ref_cur = xopen("/proc/self/attr/current", O_RDONLY);
	int ref_exec = xopen("/proc/self/attr/exec", O_RDONLY);
	int sysctl = xopen("/proc/sys/kernel/hostname", O_RDONLY);
	snprintf(path, sizeof(path), "/proc/%d/attr", getpid());
	cr_assert_eq(mount("tmpfs", path, "tmpfs", 0, NULL), 0, "tmpfs on attr: %s", strerror(errno));
	int fake = xopen("/proc/self/attr/current", O_CREAT | O_WRONLY);
	cr_assert_eq(symlink("/proc/sys/kernel/hostname", "/proc/self/attr/exec"), 0);
	/* control: a fake file, and a symlink that lands on a real sysctl */
	int ctl = xopen("/proc/self/attr/current", O_RDONLY);
	cr_assert(test_same_file(ctl, fake) && !is_procfs(ctl));
	close(ctl);
	ctl = xopen("/proc/self/attr/exec", O_RDONLY);
	cr_assert(test_same_file(ctl, sysctl) && is_procfs(ctl), "control: exec did not reach the sysctl");
	close(ctl);
	assert_routes_safe(PATHWARD_PROC_SELF, "attr/current", O_RDONLY, ref_cur, fake);
	assert_routes_safe(PATHWARD_PROC_SELF, "attr/exec", O_RDONLY, ref_exec, sysctl);
}

Test(proc_attack, a4_symlink_to_pid1_bound_over_self)
{
	TEST_PRIVATE_MNTNS();
	char dir[] = "/tmp/pw-a4-XXXXXX", link[PATH_MAX];
	scratch(dir);
	snprintf(link, sizeof(link), "%s/self", dir);
	cr_assert_eq(symlink("1", link), 0);
	int ref = xopen("/proc/self/status", O_RDONLY);
	int evil = xopen("/proc/1/status", O_RDONLY);
	bind_or_fail(link, "/proc/self");
	int ctl = xopen("/proc/self/status", O_RDONLY);
	cr_assert(test_same_file(ctl, evil) && status_pid(ctl) == 1, "control: /proc/self is not PID 1");
	close(ctl);
	assert_routes_safe(PATHWARD_PROC_SELF, "status", O_RDONLY, ref, evil);
	assert_routes_safe(PATHWARD_PROC_ROOT, "self/status", O_RDONLY, ref, evil);
}

Test(proc_attack, a5_symlink_bound_over_the_exe_magic_link)
{
	TEST_PRIVATE_MNTNS();
	char dir[] = "/tmp/pw-a5-XXXXXX", link[PATH_MAX], buf[PATH_MAX];
	scratch(dir);
	snprintf(link, sizeof(link), "%s/exe", dir);
	cr_assert_eq(symlink("/etc/passwd", link), 0);
	int ref = xopen("/proc/self/exe", O_RDONLY);
	ssize_t rn = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	cr_assert_gt(rn, 0);
	buf[rn] = '\0';
	char real[PATH_MAX];
	strcpy(real, buf);
	int evil = xopen("/etc/passwd", O_RDONLY);
	bind_or_fail(link, "/proc/self/exe");
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	cr_assert(n == 11 && memcmp(buf, "/etc/passwd", 11) == 0, "control: readlink not redirected");
	int ctl = xopen("/proc/self/exe", O_RDONLY);
	cr_assert(test_same_file(ctl, evil), "control: open not redirected");
	close(ctl);

	assert_routes_safe(PATHWARD_PROC_SELF, "exe", O_RDONLY, ref, evil);
	/* readlink: refused, or the real path */
	ssize_t m = pathward_proc_readlink(NULL, PATHWARD_PROC_SELF, "exe", buf, sizeof(buf));
	cr_assert(m == -EXDEV || (m == rn && strcmp(buf, real) == 0), "readlink: %zd %s", m, m > 0 ? buf : "");
	pathward_proc_handle_t h;
	if (pathward_proc_handle_open(&h, PATHWARD_PROC_OWN_VIEW) == 0) {
		cr_assert_eq(pathward_proc_readlink(&h, PATHWARD_PROC_SELF, "exe", buf, sizeof(buf)), -EXDEV);
		pathward_proc_handle_close(&h);
	}
}

Test(proc_attack, a6_tmpfs_over_self_task)
{
	TEST_PRIVATE_MNTNS();
	char path[PATH_MAX];
	int ref = xopen("/proc/thread-self/status", O_RDONLY);
	snprintf(path, sizeof(path), "/proc/%d/task", getpid());
	cr_assert_eq(mount("tmpfs", path, "tmpfs", 0, NULL), 0);
	cr_assert_eq(open("/proc/thread-self/status", O_RDONLY), -1, "control: thread-self still reachable");
	cr_assert_eq(errno, ENOENT);
	assert_routes_safe(PATHWARD_PROC_THREAD_SELF, "status", O_RDONLY, ref, -1);
}

/* Handles are built after a tmpfs (A7) or /proc/tty (A8) covers /proc. */
static void assert_covered_proc_refused(int ref, int evil)
{
	pathward_proc_handle_t h;
	cr_assert_eq(proc_own_root(), -EXDEV);
	cr_assert_eq(pathward_proc_handle_open(&h, PATHWARD_PROC_OWN_VIEW), -EXDEV);
	int r = pathward_proc_handle_open(&h, PATHWARD_PROC_UNMASKED);
	if (r == 0) {
		/* only a fresh instance can be genuine now */
		cr_assert_eq(h.tier, PATHWARD_PROC_TIER_FSOPEN);
		pathward_proc_handle_close(&h);
	} else {
		cr_assert_eq(r, -EXDEV);
	}
	assert_routes(PATHWARD_PROC_SELF, "attr/current", O_RDONLY, ref, evil, PAST_COVER);
}

Test(proc_attack, a7_tmpfs_over_proc)
{
	TEST_PRIVATE_MNTNS();
	int ref = xopen("/proc/self/attr/current", O_RDONLY);
	cr_assert_eq(mount("tmpfs", "/proc", "tmpfs", 0, NULL), 0);
	cr_assert_eq(mkdir("/proc/self", 0755), 0);
	cr_assert_eq(mkdir("/proc/self/attr", 0755), 0);
	int evil = xopen("/proc/self/attr/current", O_CREAT | O_RDWR);
	int ctl = xopen("/proc/self/attr/current", O_WRONLY);
	cr_assert(test_same_file(ctl, evil), "control: the write would not land in the tmpfs");
	close(ctl);
	assert_covered_proc_refused(ref, evil);
}

Test(proc_attack, a8_proc_tty_bound_over_proc)
{
	TEST_PRIVATE_MNTNS();
	int ref = xopen("/proc/self/attr/current", O_RDONLY);
	bind_or_fail("/proc/tty", "/proc");
	struct stat st;
	int ctl = xopen("/proc", O_PATH | O_DIRECTORY);
	cr_assert(is_procfs(ctl) && fstat(ctl, &st) == 0 && st.st_ino != 1, "control: /proc is not a procfs subtree");
	cr_assert_eq(access("/proc/drivers", F_OK), 0, "control: not /proc/tty");
	close(ctl);
	assert_covered_proc_refused(ref, -1);
}

Test(proc_attack, a9_tmpfs_over_self_fd_directory)
{
	TEST_PRIVATE_MNTNS();
	char path[PATH_MAX], sub[32], buf[PATH_MAX], want[PATH_MAX];
	int fd = xopen("/etc/hostname", O_RDONLY);
	snprintf(sub, sizeof(sub), "fd/%d", fd);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t wn = readlink(path, want, sizeof(want) - 1);
	cr_assert_gt(wn, 0);
	want[wn] = '\0';
	int ref = xopen(path, O_RDONLY); /* the file itself */
	snprintf(path, sizeof(path), "/proc/%d/fd", getpid());
	cr_assert_eq(mount("tmpfs", path, "tmpfs", 0, NULL), 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	cr_assert_lt(readlink(path, buf, sizeof(buf)), 0, "control: self/fd still readable");
	/* thread-self/fd is a different directory: the helper is unaffected */
	cr_assert_eq(pathward_proc_self_fd_readlink(fd, buf, sizeof(buf)), wn);
	cr_assert_str_eq(buf, want);
	/* through SELF every route refuses or is genuine */
	assert_routes_safe(PATHWARD_PROC_SELF, sub, O_RDONLY, ref, -1);
	pathward_proc_handle_t h;
	cr_assert_eq(pathward_proc_handle_open(&h, PATHWARD_PROC_OWN_VIEW), 0);
	cr_assert_eq(pathward_proc_readlink(&h, PATHWARD_PROC_SELF, sub, buf, sizeof(buf)), -EXDEV);
	pathward_proc_handle_close(&h);
}

Test(proc_attack, a10_mounts_the_kernel_refuses_or_we_refuse)
{
	TEST_PRIVATE_MNTNS();
	static const char *const targets[] = { "/proc/self/fd/0", "/proc/self/fdinfo/0" };
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		int ref = xopen(targets[i], O_RDONLY);
		int evil = xopen("/proc/self/sched", O_RDONLY);
		int r = test_bind_fd("/proc/self/sched", targets[i]);
		if (r == -ENOENT) {
			/* 6.12+: the kernel itself refuses (libpathrs#45) */
			close(ref);
			close(evil);
			continue;
		}
		cr_assert_eq(r, 0, "bind over %s: %s", targets[i], strerror(-r));
		assert_routes_safe(PATHWARD_PROC_SELF, targets[i] + strlen("/proc/self/"), O_RDONLY, ref, evil);
		close(ref);
		close(evil);
	}
	/* still allowed on 6.18: a mount on the environ file; it is refused */
	int ref = xopen("/proc/self/environ", O_RDONLY);
	int evil = xopen("/proc/self/sched", O_RDONLY);
	bind_or_fail("/proc/self/sched", "/proc/self/environ");
	assert_routes_safe(PATHWARD_PROC_SELF, "environ", O_RDONLY, ref, evil);
}

/* ---- A11, A12: handles that predate the mounts; runtime masks ---------- */

Test(proc_attack, a11_handles_built_before_the_overmount_stay_genuine)
{
	TEST_PRIVATE_MNTNS();
	pathward_proc_handle_t def, full, own;
	cr_assert_eq(pathward_proc_handle_open(&def, PATHWARD_PROC_DEFAULT), 0);
	cr_assert_eq(pathward_proc_handle_open(&full, PATHWARD_PROC_UNMASKED), 0);
	cr_assert_eq(pathward_proc_handle_open(&own, PATHWARD_PROC_OWN_VIEW), 0);
	int ref = xopen("/proc/self/attr/current", O_RDONLY);
	int ref_tl = xopen("/proc/timer_list", O_RDONLY);
	int evil = xopen("/proc/self/sched", O_RDONLY);
	int null = xopen("/dev/null", O_RDONLY);
	bind_or_fail("/proc/self/sched", "/proc/self/attr/current");
	bind_or_fail("/dev/null", "/proc/timer_list");
	cr_assert(test_same_file(xopen("/proc/self/attr/current", O_RDONLY), evil), "control");

	const pathward_proc_handle_t *hs[] = { &def, &full, &own };
	for (size_t i = 0; i < 3; i++) {
		bool detached = hs[i]->flags & PATHWARD_PROC_F_DETACHED;
		int r = pathward_proc_open(hs[i], PATHWARD_PROC_SELF, "attr/current", O_RDONLY);
		/* detached trees get no propagation: genuine, never refused */
		if (detached)
			cr_assert_geq(r, 0, "%s: %s", pathward_proc_tier_name(hs[i]->tier), strerror(-r));
		else /* the host /proc shows the mount: refused */
			cr_assert_eq(r, -EXDEV, "%s: %d", pathward_proc_tier_name(hs[i]->tier), r);
		assert_safe("attr/current", r, ref, evil);
		r = pathward_proc_open(hs[i], PATHWARD_PROC_ROOT, "timer_list", O_RDONLY);
		if (hs[i]->flags & PATHWARD_PROC_F_SUBSET)
			cr_assert_eq(r, -ENOENT);
		else
			assert_safe("timer_list", r, ref_tl, null);
	}
	pathward_proc_handle_close(&def);
	pathward_proc_handle_close(&full);
	pathward_proc_handle_close(&own);
}

Test(proc_attack, a12_runtime_masks_are_refused_or_bypassed_never_served)
{
	TEST_PRIVATE_MNTNS();
	int ref_tl = xopen("/proc/timer_list", O_RDONLY);
	int ref_host = xopen("/proc/sys/kernel/hostname", O_RDONLY);
	int null = xopen("/dev/null", O_RDONLY);
	bind_or_fail("/dev/null", "/proc/timer_list");
	cr_assert_eq(mount("tmpfs", "/proc/acpi", "tmpfs", MS_RDONLY, NULL), 0);
	cr_assert_eq(mount("/proc/sys", "/proc/sys", NULL, MS_BIND | MS_REC, NULL), 0);
	cr_assert_eq(mount(NULL, "/proc/sys", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL), 0);
	/* control: a mask is read, a sysctl write is EROFS */
	char buf[16];
	int ctl = xopen("/proc/timer_list", O_RDONLY);
	cr_assert(test_same_file(ctl, null) && read(ctl, buf, sizeof(buf)) == 0);
	close(ctl);
	cr_assert_lt(open("/proc/sys/kernel/hostname", O_WRONLY | O_CLOEXEC), 0);
	cr_assert_eq(errno, EROFS);

	assert_routes_safe(PATHWARD_PROC_ROOT, "timer_list", O_RDONLY, ref_tl, null);
	assert_routes_safe(PATHWARD_PROC_ROOT, "sys/kernel/hostname", O_RDONLY, ref_host, -1);
	int racpi = pathward_proc_open(NULL, PATHWARD_PROC_ROOT, "acpi", O_RDONLY | O_DIRECTORY);
	cr_assert(racpi == -EXDEV || (racpi >= 0 && is_procfs(racpi)), "acpi: %s", strerror(-racpi));
	if (racpi >= 0)
		close(racpi);
	/* the host view refuses all three, the benign ro /proc/sys included */
	pathward_proc_handle_t h;
	cr_assert_eq(pathward_proc_handle_open(&h, PATHWARD_PROC_OWN_VIEW), 0);
	cr_assert_eq(pathward_proc_open(&h, PATHWARD_PROC_ROOT, "timer_list", O_RDONLY), -EXDEV);
	cr_assert_eq(pathward_proc_open(&h, PATHWARD_PROC_ROOT, "acpi", O_RDONLY), -EXDEV);
	cr_assert_eq(pathward_proc_open(&h, PATHWARD_PROC_ROOT, "sys/kernel/hostname", O_RDONLY), -EXDEV);
	pathward_proc_handle_close(&h);
	/* a fresh full instance bypasses the masks (documented: mask policy is
	 * the shim's, procmask.h); opening for write is not written to */
	if (pathward_proc_handle_open(&h, PATHWARD_PROC_UNMASKED) == 0 && h.tier == PATHWARD_PROC_TIER_FSOPEN) {
		int w = pathward_proc_open(&h, PATHWARD_PROC_ROOT, "sys/kernel/hostname", O_WRONLY);
		cr_assert_geq(w, 0, "%s", strerror(-w));
		close(w);
		pathward_proc_handle_close(&h);
	}
}

/* ---- A13: a leaked handle in a chroot ---------------------------------- */

static int a13_child(void *arg)
{
	const char *empty = arg;
	pathward_proc_handle_t def, own;
	struct stat st;
	/* handles taken before the chroot, as a leaked fd would be */
	if (pathward_proc_handle_open(&def, PATHWARD_PROC_DEFAULT) != 0 ||
	    pathward_proc_handle_open(&own, PATHWARD_PROC_OWN_VIEW) != 0)
		return 10;
	if (chroot(empty) != 0 || chdir("/") != 0)
		return 11;
	/* control: ".." of the host /proc fd is the host root */
	int up = openat(own.fd, "..", O_PATH | O_CLOEXEC);
	if (up < 0 || is_procfs(up))
		return 12;
	int esc = openat(own.fd, "../etc/hostname", O_RDONLY | O_CLOEXEC);
	if (esc < 0)
		return 13;
	close(esc);
	close(up);
	/* pathward refuses ".." whatever the handle */
	if (pathward_proc_open(&own, PATHWARD_PROC_ROOT, "../etc/hostname", O_RDONLY) != -EXDEV ||
	    pathward_proc_open(&def, PATHWARD_PROC_ROOT, "..", O_PATH) != -EXDEV)
		return 14;
	/* a detached handle's ".." stays on its procfs root */
	if (def.flags & PATHWARD_PROC_F_DETACHED) {
		up = openat(def.fd, "..", O_PATH | O_CLOEXEC);
		if (up < 0 || !is_procfs(up) || fstat(up, &st) != 0 || st.st_ino != 1)
			return 15;
		close(up);
		if (openat(def.fd, "../etc/hostname", O_RDONLY | O_CLOEXEC) >= 0)
			return 16;
	}
	/* inside the chroot, the default route works from the cache, or
	 * refuses because no /proc is reachable; never anything else */
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", O_RDONLY);
	if (fd >= 0 ? (!is_procfs(fd) || status_pid(fd) != getpid()) : fd != -EXDEV)
		return 17;
	return 0;
}

Test(proc_attack, a13_leaked_handles_in_a_chroot)
{
	TEST_PRIVATE_MNTNS();
	char dir[] = "/tmp/pw-a13-XXXXXX";
	scratch(dir);
	int st = run_child(a13_child, dir);
	rmdir(dir);
	cr_assert_eq(st, 0, "child step %d failed", st);
}

/* The last "NSpid:" field: our pid in our own namespace, whichever
 * procfs (namespace) the status file was read through. */
static long status_nspid_last(int fd)
{
	char buf[4096];
	if (read_text(fd, buf, sizeof(buf)) <= 0)
		return -1;
	char *p = strstr(buf, "\nNSpid:");
	if (!p)
		return -1;
	long v = -1;
	for (char *e, *q = p + 7; *q && *q != '\n'; q = e) {
		long x = strtol(q, &e, 10);
		if (e == q)
			break;
		v = x;
	}
	return v;
}

/* ---- A14: user namespaces --------------------------------------------- */

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* unshare a user + mount ns and map ourselves to root in it: 0, or 1 when
 * the kernel will not (the test then skips). */
static int enter_userns(int extra)
{
	char map[64];
	uid_t uid = getuid();
	gid_t gid = getgid();
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS | extra) != 0)
		return 1;
	snprintf(map, sizeof(map), "0 %u 1", uid);
	if (write_file("/proc/self/uid_map", map) != 0)
		return 1;
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1", gid);
	if (write_file("/proc/self/gid_map", map) != 0)
		return 1;
	return 0;
}

/* In the namespaces: the ladder lands where the kernel allows, self/status
 * is ours, a root-made mask is refused or bypassed, never served. */
static int a14_check(bool masked)
{
	pathward_proc_handle_t h;
	if (pathward_proc_handle_open(&h, PATHWARD_PROC_UNMASKED) != 0)
		return 20;
	if (h.tier != test_probe_tier())
		return 21;
	/* the procfs may be the parent pid namespace's: compare our own pid
	 * as the innermost namespace sees it */
	int fd = pathward_proc_open(&h, PATHWARD_PROC_SELF, "status", O_RDONLY);
	if (fd < 0 || status_nspid_last(fd) != getpid())
		return 22;
	close(fd);
	if (masked) {
		struct stat st;
		fd = pathward_proc_open(&h, PATHWARD_PROC_ROOT, "timer_list", O_RDONLY);
		if (fd >= 0 && (!is_procfs(fd) || fstat(fd, &st) != 0 || S_ISCHR(st.st_mode)))
			return 23;
		if (fd < 0 && fd != -EXDEV)
			return 24;
		if (fd >= 0)
			close(fd);
		/* locked masks make fsopen "too revealing" and the plain clone
		 * EINVAL: only the recursive clone (or the host) is left */
		if (h.tier == PATHWARD_PROC_TIER_FSOPEN || h.tier == PATHWARD_PROC_TIER_OPEN_TREE)
			return 25;
	}
	pathward_proc_handle_close(&h);
	fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", O_RDONLY);
	if (fd < 0 || status_nspid_last(fd) != getpid())
		return 26;
	close(fd);
	return 0;
}

struct a14 {
	bool pidns, masked;
};

static int a14_child(void *arg)
{
	const struct a14 *c = arg;
	if (enter_userns(c->pidns ? CLONE_NEWPID : 0) != 0)
		return 1;
	if (!c->pidns)
		return a14_check(c->masked);
	/* the first child in the new pid ns is its init */
	pid_t pid = fork();
	if (pid == 0)
		_exit(a14_check(c->masked));
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 30;
	return WEXITSTATUS(st);
}

static void run_a14(bool pidns, bool masked)
{
	TEST_PRIVATE_MNTNS();
	if (masked) {
		bind_or_fail("/dev/null", "/proc/timer_list");
		cr_assert(test_same_file(xopen("/proc/timer_list", O_RDONLY), xopen("/dev/null", O_RDONLY)));
	}
	struct a14 c = { pidns, masked };
	int st = run_child(a14_child, &c);
	if (st == 1)
		cr_skip_test("user namespaces are not available here");
	cr_assert_eq(st, 0, "child step %d failed", st);
}

Test(proc_attack, a14_userns_without_pidns)
{
	run_a14(false, false);
}
Test(proc_attack, a14_userns_with_pidns)
{
	run_a14(true, false);
}
Test(proc_attack, a14_userns_with_locked_masks)
{
	run_a14(false, true);
}
Test(proc_attack, a14_userns_pidns_with_locked_masks)
{
	run_a14(true, true);
}

/* ---- A15: a child pid namespace that keeps the parent's /proc ---------- */

static int a15_child(void *arg)
{
	(void)arg;
	char buf[64];
	if (getpid() != 1)
		return 40;
	/* control: the parent /proc has no task/1 for us and /proc/1 is not us */
	if (access("/proc/self/task/1/status", F_OK) == 0)
		return 41;
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);
	if (n <= 0 || (buf[n] = '\0', strcmp(buf, "1") == 0))
		return 42;
	int routes[] = { R_DEFAULT, R_UNMASKED, R_OWN_VIEW, R_SHIM };
	for (size_t i = 0; i < 4; i++) {
		int fd = route_open((enum route)routes[i], PATHWARD_PROC_THREAD_SELF, "status", O_RDONLY);
		if (fd < 0 || !is_procfs(fd) || status_nspid_last(fd) != 1)
			return 43 + (int)i;
		close(fd);
	}
	pathward_proc_handle_t h;
	if (pathward_proc_handle_open(&h, PATHWARD_PROC_OWN_VIEW) != 0)
		return 50;
	/* the host /proc is not our pid namespace: say so */
	if (h.flags & PATHWARD_PROC_F_OWN_PIDNS)
		return 51;
	pathward_proc_handle_close(&h);
	return 0;
}

static int a15_parent(void *arg)
{
	if (unshare(CLONE_NEWPID) != 0)
		return 1;
	return run_child(a15_child, arg);
}

Test(proc_attack, a15_new_pidns_keeping_the_parent_proc)
{
	TEST_PRIVATE_MNTNS();
	/* a cached handle from before the fork is inherited by the child */
	pathward_proc_handle_t h;
	cr_assert_eq(pathward_proc_handle_open(&h, PATHWARD_PROC_DEFAULT), 0);
	int st = run_child(a15_parent, NULL);
	if (st == 1)
		cr_skip_test("unshare(CLONE_NEWPID): not permitted here");
	cr_assert_eq(st, 0, "child step %d failed", st);
	pathward_proc_handle_close(&h);
}

/* ---- A16: a thread with its own mount namespace ------------------------ */

struct a16 {
	char dir[64];
	int err;
	long self_has, thread_has, ctl_self, ctl_thread;
};

static long file_has(int fd, const char *needle)
{
	static char buf[1 << 16];
	if (fd < 0)
		return fd;
	ssize_t n = read_text(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 && strstr(buf, needle) != NULL;
}

static void *a16_thread(void *arg)
{
	struct a16 *c = arg;
	if (unshare(CLONE_FS | CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("tmpfs", c->dir, "tmpfs", 0, NULL) != 0) {
		c->err = errno;
		return NULL;
	}
	c->ctl_self = file_has(open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC), c->dir);
	c->ctl_thread = file_has(open("/proc/thread-self/mountinfo", O_RDONLY | O_CLOEXEC), c->dir);
	c->thread_has = file_has(pathward_proc_open(NULL, PATHWARD_PROC_THREAD_SELF, "mountinfo", O_RDONLY), c->dir);
	c->self_has = file_has(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "mountinfo", O_RDONLY), c->dir);
	return NULL;
}

Test(proc_attack, a16_thread_self_is_the_thread_with_its_own_mount_ns)
{
	TEST_PRIVATE_MNTNS();
	struct a16 c = { .dir = "/tmp/pw-a16-XXXXXX" };
	scratch(c.dir);
	pthread_t t;
	pthread_create(&t, NULL, a16_thread, &c);
	pthread_join(t, NULL);
	rmdir(c.dir);
	cr_assert_eq(c.err, 0, "thread setup: %s", strerror(c.err));
	cr_assert(c.ctl_thread == 1 && c.ctl_self == 0, "control: self %ld thread-self %ld", c.ctl_self,
	          c.ctl_thread);
	cr_assert_eq(c.thread_has, 1, "THREAD_SELF did not resolve to the calling thread (%ld)", c.thread_has);
	cr_assert_eq(c.self_has, 0, "SELF is the thread-group leader (%ld)", c.self_has);
}

/* ---- A17: magic-link rules on a clean /proc ----------------------------- */

Test(proc_attack, a17_magic_link_rules)
{
	/* control: plain opens escape procfs through magic links and ".." */
	int ctl = xopen("/proc/self/root/etc/passwd", O_RDONLY);
	cr_assert_not(is_procfs(ctl));
	close(ctl);
	ctl = xopen("/proc/self/../1/stat", O_RDONLY);
	close(ctl);

	struct {
		pathward_proc_base_t base;
		const char *sub;
		int flags, want; /* want: 0 = opens, else -errno */
	} const t[] = {
		{ PATHWARD_PROC_ROOT, "self", O_RDONLY | O_DIRECTORY, 0 },
		{ PATHWARD_PROC_ROOT, "thread-self", O_RDONLY | O_DIRECTORY, 0 },
		{ PATHWARD_PROC_SELF, "fd/0", O_RDONLY, 0 },           /* trailing: followed */
		{ PATHWARD_PROC_SELF, "fd/0", O_PATH | O_NOFOLLOW, 0 }, /* the link itself */
		{ PATHWARD_PROC_SELF, "exe", O_PATH, 0 },
		{ PATHWARD_PROC_SELF, "root/etc/passwd", O_RDONLY, -ELOOP },
		{ PATHWARD_PROC_SELF, "cwd/.", O_RDONLY, -ELOOP },
		{ PATHWARD_PROC_SELF, "ns/mnt", O_RDONLY, 0 },
		{ PATHWARD_PROC_SELF, "fd/0/x", O_RDONLY, -ELOOP },
		{ PATHWARD_PROC_ROOT, "mounts", O_RDONLY, 0 },
		{ PATHWARD_PROC_ROOT, "mounts", O_RDONLY | O_NOFOLLOW, -ELOOP },
		{ PATHWARD_PROC_ROOT, "net/unix", O_RDONLY, 0 },
		{ PATHWARD_PROC_ROOT, "..", O_RDONLY, -EXDEV },
		{ PATHWARD_PROC_ROOT, "/etc/passwd", O_RDONLY, -EXDEV },
		{ PATHWARD_PROC_ROOT, "self/../1/stat", O_RDONLY, -EXDEV },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		for (int rt = 0; rt < R_COUNT; rt++) {
			int r = route_open((enum route)rt, t[i].base, t[i].sub, t[i].flags);
			if (t[i].want == 0)
				cr_assert_geq(r, 0, "%s %s %#x: %s", route_name[rt], t[i].sub, t[i].flags,
				              strerror(-r));
			else
				cr_assert_eq(r, t[i].want, "%s %s %#x: %s", route_name[rt], t[i].sub, t[i].flags,
				             r < 0 ? strerror(-r) : "opened");
			if (r >= 0)
				close(r);
		}
	}
	/* what a followed fd/0 gives is fd 0's file */
	int r = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "fd/0", O_RDONLY);
	cr_assert(test_same_file(r, 0));
	close(r);
}

/* A18: a seccomp filter installed after the library used openat2 (the
 * library must not remember that openat2 worked: libpathrs#305). */
Test(proc_attack, a18_openat2_blocked_after_first_use)
{
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", O_RDONLY);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(test_block_syscall(SYS_openat2, EPERM), 0);
	/* control: openat2 now fails */
	cr_assert_eq(syscall(SYS_openat2, AT_FDCWD, "/", NULL, 0), -1);
	cr_assert_eq(errno, EPERM);
	fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", O_RDONLY);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	cr_assert_eq(status_pid(fd), getpid());
	close(fd);
	cr_assert_eq(pathward_proc_open(NULL, PATHWARD_PROC_SELF, "root/etc/passwd", O_RDONLY), -ELOOP);
}
