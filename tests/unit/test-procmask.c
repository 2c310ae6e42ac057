/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-procmask.c - the runtime-mask classifier (core/procmask.c).
 *
 * Pure part: the mountinfo parser (escapes, malformed and over-long lines)
 * and the classification table.  Then, in private mount namespaces, a
 * runc-style /proc (masks and read-only binds) where procmask_open must
 * answer as a plain open does, and the attacks, each with its control.
 */
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

/* common.h's TEST_PRIVATE_MNTNS uses cr_fatal, which this Criterion lacks. */
#include <criterion/criterion.h>
#ifndef cr_fatal
#define cr_fatal(...) cr_assert_fail(__VA_ARGS__)
#endif
#include "common.h"
#include "proc.h"
#include "procmask.h"

/* ------------------------------------------------------------------ */
/* Parser                                                              */
/* ------------------------------------------------------------------ */

static struct procmask_mount pm;

static int parse(const char *line)
{
	memset(&pm, 0x5a, sizeof(pm));
	return procmask_parse_line(line, strlen(line), &pm);
}

Test(procmask, parse_plain_line)
{
	cr_assert_eq(parse("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n"), 0);
	cr_assert_eq(pm.mnt_id, 36);
	cr_assert_eq(pm.parent_id, 35);
	cr_assert_eq(pm.dev_major, 98);
	cr_assert_eq(pm.dev_minor, 0);
	cr_assert_str_eq(pm.root, "/mnt1");
	cr_assert_str_eq(pm.mountpoint, "/mnt2");
	cr_assert_str_eq(pm.fstype, "ext3");
	cr_assert_str_eq(pm.source, "/dev/root");
	cr_assert(!pm.ro);
}

Test(procmask, parse_runc_masks)
{
	cr_assert_eq(parse("612 600 0:5 /null /proc/kcore rw,nosuid - devtmpfs udev rw,size=4k,mode=755"), 0);
	cr_assert_str_eq(pm.root, "/null");
	cr_assert_str_eq(pm.mountpoint, "/proc/kcore");
	cr_assert_str_eq(pm.fstype, "devtmpfs");
	cr_assert(!pm.ro);
	cr_assert_eq(parse("620 600 0:77 / /proc/acpi ro,relatime - tmpfs tmpfs ro,inode64"), 0);
	cr_assert(pm.ro);
	cr_assert_str_eq(pm.root, "/");
	/* no optional fields, several optional fields, no super options */
	cr_assert_eq(parse("607 600 0:70 /sys /proc/sys ro,nosuid,nodev,noexec,relatime - proc proc rw"), 0);
	cr_assert(pm.ro);
	cr_assert_eq(parse("1 0 0:1 / / rw shared:1 master:2 propagate_from:3 unbindable - rootfs rootfs"), 0);
	cr_assert_str_eq(pm.source, "rootfs");
}

Test(procmask, parse_escapes)
{
	cr_assert_eq(parse("40 1 8:1 /a\\040b\\011c /mnt/x\\012y\\134z rw - ext4 /dev/sd\\040a rw"), 0);
	cr_assert_str_eq(pm.root, "/a b\tc");
	cr_assert_str_eq(pm.mountpoint, "/mnt/x\ny\\z");
	cr_assert_str_eq(pm.source, "/dev/sd a");
}

Test(procmask, parse_ro_is_a_whole_option)
{
	cr_assert_eq(parse("40 1 8:1 / /x rw,rootcontext=ro - ext4 s rw"), 0);
	cr_assert(!pm.ro);
	cr_assert_eq(parse("40 1 8:1 / /x nosuid,ro - ext4 s rw"), 0);
	cr_assert(pm.ro);
}

Test(procmask, parse_malformed)
{
	static const char *const bad[] = {
		"",
		"\n",
		"36",
		"36 35 98:0 /a /b rw",                      /* no separator */
		"36 35 98:0 /a /b rw -",                    /* no fstype */
		"36 35 98:0 /a /b rw - ext4",               /* no source */
		"x6 35 98:0 /a /b rw - ext4 s rw",          /* id not a number */
		"36 35 98 /a /b rw - ext4 s rw",            /* no colon */
		"36 35 98:x /a /b rw - ext4 s rw",
		"36 35 :0 /a /b rw - ext4 s rw",
		"36 35 4294967296:0 /a /b rw - ext4 s rw",  /* major overflows */
		"99999999999999999999 1 1:1 / /b rw - e s", /* id overflows */
		"36 35 98:0 /a\\04 /b rw - ext4 s rw",      /* short escape */
		"36 35 98:0 /a\\x41 /b rw - ext4 s rw",     /* not octal */
		"36 35 98:0 /a\\000 /b rw - ext4 s rw",     /* NUL */
		"36 35 98:0 /a\\400 /b rw - ext4 s rw",     /* > 255 */
		"36 35 98:0 /a /b\\ rw - ext4 s rw",        /* trailing backslash */
		"36 35 98:0 /a\t/b rw - ext4 s rw",         /* raw tab */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(parse(bad[i]), -EINVAL, "line %zu: \"%s\"", i, bad[i]);
	cr_assert_eq(procmask_parse_line(NULL, 0, &pm), -EINVAL);
	cr_assert_eq(procmask_parse_line("1 1 1:1 / /x rw - e s", 21, NULL), -EINVAL);
	/* A NUL inside the given length is refused, not a silent cut. */
	cr_assert_eq(procmask_parse_line("1 1 1:1 / /x rw - e s\0x", 23, &pm), -EINVAL);
}

/* The length is honoured: nothing past len is read. */
Test(procmask, parse_respects_len)
{
	const char *line = "36 35 98:0 /a /b rw - ext4 source rw";
	size_t cut = strlen("36 35 98:0 /a /b rw - ext4 sou");
	cr_assert_eq(procmask_parse_line(line, cut, &pm), 0);
	cr_assert_str_eq(pm.source, "sou");
	cr_assert_eq(procmask_parse_line(line, strlen("36 35 98:0 /a /b rw - ext4"), &pm), -EINVAL);
}

/* Long fields: paths that do not fit are refused, fstype and source are cut. */
Test(procmask, parse_long_fields)
{
	static char line[8 * PATH_MAX], big[4 * PATH_MAX];
	/* a root of PATH_MAX - 1 characters fits, PATH_MAX does not */
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	big[PATH_MAX - 1] = '\0';
	snprintf(line, sizeof(line), "1 1 1:1 %s /x rw - ext4 s rw", big);
	cr_assert_eq(parse(line), 0);
	cr_assert_eq(strlen(pm.root), PATH_MAX - 1);
	big[PATH_MAX - 1] = 'a';
	big[PATH_MAX] = '\0';
	snprintf(line, sizeof(line), "1 1 1:1 / %s rw - ext4 s rw", big);
	cr_assert_eq(parse(line), -EINVAL);
	/* escapes count once each after unescaping */
	big[0] = '\0';
	for (int i = 0; i < PATH_MAX - 2; i++)
		strcat(big, i ? "\\040" : "/");
	snprintf(line, sizeof(line), "1 1 1:1 %s /x rw - ext4 s rw", big);
	cr_assert_eq(parse(line), 0);
	cr_assert_eq(strlen(pm.root), PATH_MAX - 2);
	/* fstype and source are cut, NUL-terminated */
	memset(big, 'f', 300);
	big[300] = '\0';
	snprintf(line, sizeof(line), "1 1 1:1 / /x rw - fuse.%.300s %.300s rw", big, big);
	cr_assert_eq(parse(line), 0);
	cr_assert_eq(strlen(pm.fstype), sizeof(pm.fstype) - 1);
	cr_assert_eq(strlen(pm.source), sizeof(pm.source) - 1);
}

/* ------------------------------------------------------------------ */
/* Classifier                                                          */
/* ------------------------------------------------------------------ */

struct kcase {
	const char *line;
	const char *proc;
	enum procmask_kind want;
};

static const struct kcase kcases[] = {
	/* the /proc mount itself, things elsewhere */
	{ "22 27 0:21 / /proc rw - proc proc rw", "/proc", PROCMASK_NONE },
	{ "23 27 0:22 / /sys rw - sysfs sysfs rw", "/proc", PROCMASK_NONE },
	{ "23 27 0:22 / /procfoo rw - tmpfs t rw", "/proc", PROCMASK_NONE },
	{ "23 27 0:21 / /proc/ rw - proc proc rw", "/proc", PROCMASK_NONE },
	/* runc/Docker masks */
	{ "30 22 0:5 /null /proc/kcore rw - devtmpfs udev rw", "/proc", PROCMASK_DEVNULL },
	{ "30 22 0:80 /null /proc/keys rw - tmpfs tmpfs rw", "/proc", PROCMASK_DEVNULL },
	{ "30 22 0:80 /null /proc/timer_list rw - tmpfs tmpfs rw", "/proc/", PROCMASK_DEVNULL },
	{ "31 22 0:81 / /proc/acpi ro - tmpfs tmpfs ro", "/proc", PROCMASK_EMPTY_TMPFS },
	{ "31 22 0:81 / /proc/scsi ro,relatime - tmpfs tmpfs ro", "/proc", PROCMASK_EMPTY_TMPFS },
	{ "32 22 0:21 /sys /proc/sys ro - proc proc rw", "/proc", PROCMASK_SELF_BIND },
	{ "32 22 0:21 /sysrq-trigger /proc/sysrq-trigger ro - proc proc rw", "/proc", PROCMASK_SELF_BIND },
	{ "33 32 0:21 /sys/net /proc/sys/net rw - proc proc rw", "/proc", PROCMASK_SELF_BIND },
	{ "32 22 0:21 /sys /proc/sys rw - proc proc rw", "/proc", PROCMASK_SELF_BIND },
	{ "32 22 0:21 /sys /host/proc/sys ro - proc proc rw", "/host/proc", PROCMASK_SELF_BIND },
	{ "32 22 0:21 /sys /sys ro - proc proc rw", "/", PROCMASK_SELF_BIND },
	/* attacks */
	{ "40 22 0:21 /1234/sched /proc/1234/attr/current rw - proc proc rw", "/proc", PROCMASK_UNKNOWN }, /* A1 */
	{ "40 22 0:21 /1234/attr/current /proc/1234/attr/current rw - proc proc rw", "/proc",
	  PROCMASK_UNKNOWN }, /* per-pid, even same-path */
	{ "41 22 0:5 /null /proc/self/attr/current rw - devtmpfs d rw", "/proc", PROCMASK_UNKNOWN },
	{ "42 22 0:90 / /proc/1234/attr rw - tmpfs t rw", "/proc", PROCMASK_UNKNOWN },          /* A3 */
	{ "43 22 0:90 /x/1 /proc/self rw - tmpfs t rw", "/proc", PROCMASK_UNKNOWN },            /* A4 */
	{ "43 22 0:90 /x/1 /proc/thread-self rw - tmpfs t rw", "/proc", PROCMASK_UNKNOWN },
	{ "44 22 0:90 / /proc/1234/task ro - tmpfs t ro", "/proc", PROCMASK_UNKNOWN },          /* A6 */
	{ "45 22 0:90 / /proc/acpi rw - tmpfs t rw", "/proc", PROCMASK_UNKNOWN },               /* rw tmpfs */
	{ "46 22 0:21 /1234/environ /proc/cpuinfo rw - proc proc rw", "/proc", PROCMASK_UNKNOWN },
	{ "46 22 0:21 / /proc/sys rw - proc proc rw", "/proc", PROCMASK_UNKNOWN },              /* fresh procfs */
	{ "46 22 0:21 /sys/kernel /proc/sys rw - proc proc rw", "/proc", PROCMASK_UNKNOWN },
	{ "47 22 0:99 /meminfo /proc/meminfo rw - fuse.lxcfs lxcfs rw", "/proc", PROCMASK_UNKNOWN }, /* lxcfs */
	{ "48 22 8:1 /etc/passwd /proc/kcore rw - ext4 /dev/sda1 rw", "/proc", PROCMASK_UNKNOWN },
	{ "49 22 0:5 / /proc/kcore ro - devtmpfs d ro", "/proc", PROCMASK_UNKNOWN },
	/* forged mountpoints that no kernel prints */
	{ "50 22 0:21 /sys/../self /proc/sys/../self rw - proc proc rw", "/proc", PROCMASK_UNKNOWN },
	{ "50 22 0:90 / /proc//acpi ro - tmpfs t ro", "/proc", PROCMASK_UNKNOWN },
	{ "50 22 0:90 / /proc/./acpi ro - tmpfs t ro", "/proc", PROCMASK_UNKNOWN },
};

Test(procmask, classify_table)
{
	for (size_t i = 0; i < sizeof(kcases) / sizeof(kcases[0]); i++) {
		cr_assert_eq(parse(kcases[i].line), 0, "case %zu does not parse", i);
		enum procmask_kind k = procmask_classify(&pm, kcases[i].proc);
		cr_expect_eq(k, kcases[i].want, "case %zu \"%s\": got %s, want %s", i, kcases[i].line,
		             procmask_kind_name(k), procmask_kind_name(kcases[i].want));
	}
}

Test(procmask, kind_names)
{
	cr_assert_str_eq(procmask_kind_name(PROCMASK_NONE), "none");
	cr_assert_str_eq(procmask_kind_name(PROCMASK_DEVNULL), "devnull-mask");
	cr_assert_str_eq(procmask_kind_name(PROCMASK_EMPTY_TMPFS), "tmpfs-mask");
	cr_assert_str_eq(procmask_kind_name(PROCMASK_SELF_BIND), "self-bind");
	cr_assert_str_eq(procmask_kind_name(PROCMASK_UNKNOWN), "overmount");
	cr_assert_not_null(procmask_kind_name((enum procmask_kind)99));
}

/* Every line of this process's real mountinfo parses. */
Test(procmask, parse_own_mountinfo)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lines = 0;
	cr_assert_not_null(f);
	while ((n = getline(&line, &cap, f)) > 0) {
		cr_expect_eq(procmask_parse_line(line, (size_t)n, &pm), 0, "%s", line);
		lines++;
	}
	free(line);
	fclose(f);
	cr_assert_gt(lines, 0);
}

/* ------------------------------------------------------------------ */
/* A runc/Docker-style /proc, in a private mount namespace             */
/* ------------------------------------------------------------------ */

/* What runc does (maskedPaths, readonlyPaths), with the entries this
 * kernel has (no kcore, sched_debug or scsi here). */
static const char *const devnull_masks[] = { "keys", "timer_list", "interrupts" };
static const char *const tmpfs_masks[] = { "acpi", "driver" };
static const char *const ro_binds[] = { "sys", "irq" };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void proc_path(char *out, size_t size, const char *sub)
{
	snprintf(out, size, "/proc/%s", sub);
}

static void container_layout(void)
{
	char p[PATH_MAX];
	TEST_PRIVATE_MNTNS();
	for (size_t i = 0; i < N(devnull_masks); i++) {
		proc_path(p, sizeof(p), devnull_masks[i]);
		cr_assert_eq(test_bind_fd("/dev/null", p), 0, "mask %s", p);
	}
	for (size_t i = 0; i < N(tmpfs_masks); i++) {
		proc_path(p, sizeof(p), tmpfs_masks[i]);
		cr_assert_eq(mount("tmpfs", p, "tmpfs", MS_RDONLY, NULL), 0, "tmpfs on %s: %s", p, strerror(errno));
	}
	for (size_t i = 0; i < N(ro_binds); i++) {
		proc_path(p, sizeof(p), ro_binds[i]);
		cr_assert_eq(mount(p, p, NULL, MS_BIND | MS_REC, NULL), 0, "bind %s: %s", p, strerror(errno));
		cr_assert_eq(mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL), 0, "ro %s: %s", p,
		             strerror(errno));
	}
}

/* procmask_open through a fresh own /proc root, as the shim does. */
static int pm_open(const char *sub, int flags)
{
	int procfd = proc_own_root();
	cr_assert_geq(procfd, 0, "proc_own_root: %s", strerror(-procfd));
	int r = procmask_open(procfd, sub, flags, 0644);
	close(procfd);
	return r;
}

/* The fast route refuses it: this is the case procmask_open is for. */
static void assert_slow_path(const char *sub, int flags)
{
	int procfd = proc_own_root();
	cr_assert_geq(procfd, 0);
	int r = proc_open_beneath(procfd, sub, flags, 0);
	close(procfd);
	cr_assert_eq(r, -EXDEV, "proc_open_beneath(%s) = %d, expected -EXDEV", sub, r);
}

static ssize_t read_all(int fd, char *buf, size_t size)
{
	size_t have = 0;
	ssize_t n;
	while (have < size && (n = read(fd, buf + have, size - have)) > 0)
		have += (size_t)n;
	return (ssize_t)have;
}

/* Same answer as a plain open: same errno, or the same file with the same
 * flags, descriptor flags and content. */
static void assert_as_native_full(const char *sub, int flags, int ignore_fl)
{
	char p[PATH_MAX];
	static char a[8192], b[8192];
	proc_path(p, sizeof(p), sub);
	int native = open(p, flags, 0644);
	int native_errno = errno;
	int ours = pm_open(sub, flags);
	if (native < 0) {
		cr_assert_eq(ours, -native_errno, "%s: native %s, ours %s", sub, strerror(native_errno),
		             ours < 0 ? strerror(-ours) : "an fd");
		return;
	}
	cr_assert_geq(ours, 0, "%s: native opens, ours %s", sub, strerror(-ours));
	cr_assert(test_same_file(native, ours), "%s: not the same file", sub);
	cr_assert_eq(fcntl(native, F_GETFL) & ~ignore_fl, fcntl(ours, F_GETFL) & ~ignore_fl, "%s: F_GETFL differs",
	             sub);
	cr_assert_eq(fcntl(native, F_GETFD), fcntl(ours, F_GETFD), "%s: F_GETFD differs", sub);
	if (!(flags & (O_PATH | O_DIRECTORY))) {
		ssize_t na = read_all(native, a, sizeof(a)), nb = read_all(ours, b, sizeof(b));
		cr_assert_eq(na, nb, "%s: read %zd vs %zd", sub, na, nb);
		cr_assert(na <= 0 || !memcmp(a, b, (size_t)na), "%s: content differs", sub);
	}
	close(native);
	close(ours);
}

static void assert_as_native(const char *sub, int flags)
{
	assert_as_native_full(sub, flags, 0);
}

static void collect(const struct procmask_mount *m, enum procmask_kind k, void *ctx);
static const char *kind_on(const char *mp);
static size_t nseen;

static bool is_dev_null(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == (dev_t)makedev(1, 3);
}

Test(procmask, container_devnull_masks_read_as_native)
{
	container_layout();
	for (size_t i = 0; i < N(devnull_masks); i++) {
		const char *m = devnull_masks[i];
		assert_slow_path(m, O_RDONLY);
		assert_as_native(m, O_RDONLY);
		assert_as_native(m, O_RDONLY | O_CLOEXEC);
		assert_as_native(m, O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
		assert_as_native(m, O_PATH);
		/* never the real file behind the mask */
		int fd = pm_open(m, O_RDONLY | O_CLOEXEC);
		cr_assert(is_dev_null(fd), "%s is not /dev/null", m);
		close(fd);
	}
	/* a trailing slash or a child of a file: ENOTDIR as native */
	assert_as_native("timer_list/", O_RDONLY);
	assert_as_native("timer_list/.", O_RDONLY);
	assert_as_native("timer_list/x", O_RDONLY);
	assert_as_native("./keys", O_RDONLY);
}

Test(procmask, container_tmpfs_masks_as_native)
{
	container_layout();
	for (size_t i = 0; i < N(tmpfs_masks); i++) {
		char sub[64];
		const char *m = tmpfs_masks[i];
		assert_slow_path(m, O_RDONLY | O_DIRECTORY);
		assert_as_native(m, O_RDONLY | O_DIRECTORY);
		assert_as_native(m, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		assert_as_native(m, O_PATH);
		snprintf(sub, sizeof(sub), "%s/", m);
		assert_as_native(sub, O_RDONLY);
		/* what the mask hides is not there, as natively */
		snprintf(sub, sizeof(sub), "%s/wakeup", m);
		assert_as_native(sub, O_RDONLY);
		snprintf(sub, sizeof(sub), "%s/a/b", m);
		assert_as_native(sub, O_RDONLY);
	}
}

Test(procmask, container_ro_self_bind_reads_genuine)
{
	container_layout();
	assert_slow_path("sys/kernel/hostname", O_RDONLY);
	assert_as_native("sys/kernel/hostname", O_RDONLY);
	assert_as_native("sys/kernel/ostype", O_RDONLY | O_CLOEXEC);
	assert_as_native("sys/kernel", O_RDONLY | O_DIRECTORY);
	assert_as_native("sys", O_RDONLY | O_DIRECTORY);
	assert_as_native("sys//kernel/./hostname", O_RDONLY);
	assert_as_native("sys/kernel/no-such-sysctl", O_RDONLY);
	assert_as_native("sys/kernel/hostname/", O_RDONLY);
	assert_as_native("irq", O_RDONLY | O_DIRECTORY);
	/* the genuine sysctl: procfs, same content as uname */
	int fd = pm_open("sys/kernel/hostname", O_RDONLY);
	struct statfs sfs;
	cr_assert_geq(fd, 0);
	cr_assert_eq(fstatfs(fd, &sfs), 0);
	cr_assert_eq(sfs.f_type, 0x9fa0);
	close(fd);
}

Test(procmask, container_writes_refused)
{
	container_layout();
	/* natively EROFS through the read-only ones */
	assert_as_native("sys/kernel/hostname", O_WRONLY);
	cr_assert_eq(pm_open("sys/kernel/hostname", O_RDWR), -EROFS);
	cr_assert_eq(pm_open("sys/kernel/hostname", O_RDONLY | O_TRUNC), -EROFS);
	cr_assert_eq(pm_open("acpi/new", O_WRONLY | O_CREAT), -EROFS);
	assert_as_native("acpi", O_RDWR | O_TMPFILE);
	assert_as_native("acpi", O_RDONLY | O_TMPFILE);
	/* what open(2) says before it gets to EROFS */
	assert_as_native("sys/kernel", O_WRONLY);
	assert_as_native("sys/kernel/hostname", O_WRONLY | O_CREAT | O_EXCL);
	assert_as_native("sys/kernel/hostname", O_WRONLY | O_DIRECTORY);
	assert_as_native("acpi", O_WRONLY | O_CREAT);
	assert_as_native("acpi/x/y", O_WRONLY | O_CREAT);
	/* O_PATH ignores the write bits, natively too */
	assert_as_native("sys/kernel/hostname", O_PATH | O_WRONLY | O_CREAT);
	assert_as_native("keys", O_PATH | O_RDWR);
	/* a rw /dev/null would swallow the write: refused instead */
	for (size_t i = 0; i < N(devnull_masks); i++) {
		cr_assert_eq(pm_open(devnull_masks[i], O_WRONLY), -EROFS);
		cr_assert_eq(pm_open(devnull_masks[i], O_RDWR | O_APPEND), -EROFS);
	}
	/* a missing file is still ENOENT, as natively */
	assert_as_native("sys/kernel/no-such-sysctl", O_WRONLY);
	assert_as_native("acpi/x", O_WRONLY);
}

/* A /dev/null bind under the read-only /proc/sys (procfs.md A2 as a mask). */
Test(procmask, container_nested_mask)
{
	container_layout();
	cr_assert_eq(test_bind_fd("/dev/null", "/proc/sys/kernel/hostname"), 0);
	assert_slow_path("sys/kernel/hostname", O_RDONLY);
	assert_as_native("sys/kernel/hostname", O_RDONLY);
	int fd = pm_open("sys/kernel/hostname", O_RDONLY);
	cr_assert(is_dev_null(fd));
	close(fd);
	cr_assert_eq(pm_open("sys/kernel/hostname", O_WRONLY), -EROFS);
	assert_as_native("sys/kernel/ostype", O_RDONLY);
}

/* systemd-nspawn style: a rw self-bind of /proc/sys/net inside the ro
 * /proc/sys, and a mask under both. */
Test(procmask, nested_self_binds)
{
	container_layout();
	cr_assert_eq(mount("/proc/sys/net", "/proc/sys/net", NULL, MS_BIND, NULL), 0);
	cr_assert_eq(test_bind_fd("/dev/null", "/proc/sys/net/core/somaxconn"), 0);
	assert_slow_path("sys/net/ipv4/ip_forward", O_RDONLY);
	assert_as_native("sys/net/ipv4/ip_forward", O_RDONLY);
	assert_as_native("sys/net/core/somaxconn", O_RDONLY);
	assert_as_native("sys/net/core", O_RDONLY | O_DIRECTORY);
	cr_assert_eq(pm_open("sys/net/ipv4/ip_forward", O_WRONLY), -EROFS);
	int procfd = proc_own_root();
	nseen = 0;
	cr_assert_gt(procmask_list(procfd, collect, NULL), 0);
	close(procfd);
	cr_expect_str_eq(kind_on("/proc/sys/net"), "self-bind");
	cr_expect_str_eq(kind_on("/proc/sys/net/core/somaxconn"), "devnull-mask");
}

/* Nothing mounted on the way (any more): the ordinary route answers.
 * (proc_open_beneath's walk, used without openat2, leaves O_NOFOLLOW
 * visible in F_GETFL; that is its business, not checked here.) */
Test(procmask, no_mount_on_the_way)
{
	assert_as_native_full("self/cmdline", O_RDONLY, O_NOFOLLOW);
	assert_as_native_full("cpuinfo", O_RDONLY | O_CLOEXEC, O_NOFOLLOW);
	assert_as_native("no-such-file", O_RDONLY);
	assert_as_native_full("self/", O_RDONLY | O_DIRECTORY | O_NOFOLLOW, O_NOFOLLOW);
	assert_as_native_full("self", O_PATH | O_NOFOLLOW, O_NOFOLLOW);
	assert_as_native_full("thread-self/stat", O_PATH, O_NOFOLLOW);
	cr_assert_eq(pm_open("/etc/passwd", O_RDONLY), -EXDEV);
	cr_assert_eq(pm_open("sys/../self/status", O_RDONLY), -EXDEV);
	int procfd = proc_own_root();
	cr_assert_eq(procmask_open(procfd, NULL, O_RDONLY, 0), -EINVAL);
	close(procfd);
}

/* ------------------------------------------------------------------ */
/* Attacks: each control proves it works on a plain open               */
/* ------------------------------------------------------------------ */

static void assert_refused(const char *sub, int flags)
{
	int r = pm_open(sub, flags);
	cr_assert_eq(r, -EXDEV, "%s: expected -EXDEV, got %d", sub, r);
}

/* A1: /proc/self/sched over /proc/self/attr/current (CVE-2025-52881). */
Test(procmask, attack_procfs_bind_over_attr_current)
{
	container_layout();
	int r = test_bind_fd("/proc/self/sched", "/proc/self/attr/current");
	if (r == -ENOENT)
		cr_skip_test("this kernel refuses mounts on attr/current");
	cr_assert_eq(r, 0);
	int a = open("/proc/self/attr/current", O_RDONLY), b = open("/proc/self/sched", O_RDONLY);
	cr_assert(test_same_file(a, b), "control: the bind did not take");
	close(a);
	close(b);
	assert_refused("self/attr/current", O_RDONLY);
	assert_refused("self/attr/current", O_WRONLY);
	/* the thread's own attr/current is another dentry, not covered */
	a = pm_open("thread-self/attr/current", O_RDONLY);
	b = open("/proc/self/sched", O_RDONLY);
	cr_assert_geq(a, 0);
	cr_assert(!test_same_file(a, b));
	close(a);
	close(b);
}

/* A3: rw tmpfs over /proc/self/attr with a fake current and a symlink. */
Test(procmask, attack_tmpfs_over_attr)
{
	char buf[64] = "";
	container_layout();
	cr_assert_eq(mount("tmpfs", "/proc/self/attr", "tmpfs", 0, NULL), 0, "%s", strerror(errno));
	FILE *f = fopen("/proc/self/attr/current", "w");
	cr_assert_not_null(f);
	fputs("unconfined", f);
	fclose(f);
	cr_assert_eq(symlink("/proc/sys/kernel/hostname", "/proc/self/attr/exec"), 0);
	int fd = open("/proc/self/attr/current", O_RDONLY);
	cr_assert_geq(fd, 0);
	cr_assert_eq(read(fd, buf, sizeof(buf) - 1), 10, "control: the fake is not there");
	close(fd);
	assert_refused("self/attr/current", O_RDONLY);
	assert_refused("self/attr/exec", O_RDONLY);
	assert_refused("self/attr", O_RDONLY | O_DIRECTORY);
}

/* A ro tmpfs over /proc/acpi that is not empty substitutes content. */
Test(procmask, attack_nonempty_ro_tmpfs)
{
	TEST_PRIVATE_MNTNS();
	cr_assert_eq(mount("tmpfs", "/proc/acpi", "tmpfs", 0, NULL), 0);
	int fd = open("/proc/acpi/fake", O_WRONLY | O_CREAT, 0644);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(mount(NULL, "/proc/acpi", NULL, MS_REMOUNT | MS_RDONLY, NULL), 0);
	fd = open("/proc/acpi/fake", O_RDONLY);
	cr_assert_geq(fd, 0, "control: the fake is not there");
	close(fd);
	assert_refused("acpi/fake", O_RDONLY);
	assert_refused("acpi/nothing", O_RDONLY);
	assert_refused("acpi", O_RDONLY | O_DIRECTORY);
}

/* A bind of a tmpfs subdirectory is not a fresh (empty) tmpfs. */
Test(procmask, attack_tmpfs_subdir_bind)
{
	char dir[] = "/tmp/pm-XXXXXX", sub[64];
	TEST_PRIVATE_MNTNS();
	cr_assert_eq(mount("tmpfs", "/tmp", "tmpfs", 0, NULL), 0);
	cr_assert_not_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/x", dir);
	cr_assert_eq(mkdir(sub, 0755), 0);
	cr_assert_eq(mount(sub, "/proc/acpi", NULL, MS_BIND, NULL), 0);
	cr_assert_eq(mount(NULL, "/proc/acpi", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL), 0);
	assert_refused("acpi", O_RDONLY | O_DIRECTORY);
}

/* /dev/zero is not /dev/null: it gives content. */
Test(procmask, attack_dev_zero_over_file)
{
	char c = 1;
	container_layout();
	cr_assert_eq(test_bind_fd("/dev/zero", "/proc/cpuinfo"), 0);
	int fd = open("/proc/cpuinfo", O_RDONLY);
	cr_assert_eq(read(fd, &c, 1), 1, "control");
	cr_assert_eq(c, 0, "control: not zeros");
	close(fd);
	assert_refused("cpuinfo", O_RDONLY);
}

/* /dev/zero stacked on a genuine /dev/null mask. */
Test(procmask, attack_stacked_on_mask)
{
	container_layout();
	cr_assert_eq(test_bind_fd("/dev/zero", "/proc/timer_list"), 0);
	int fd = open("/proc/timer_list", O_RDONLY);
	cr_assert(!is_dev_null(fd), "control");
	close(fd);
	assert_refused("timer_list", O_RDONLY);
}

/* A procfs bind of another path: same fs, wrong file. */
Test(procmask, attack_procfs_bind_other_path)
{
	container_layout();
	cr_assert_eq(test_bind_fd("/proc/self/environ", "/proc/cpuinfo"), 0);
	int a = open("/proc/cpuinfo", O_RDONLY), b = open("/proc/self/environ", O_RDONLY);
	cr_assert(test_same_file(a, b), "control");
	close(a);
	close(b);
	assert_refused("cpuinfo", O_RDONLY);
	/* and a procfs directory over /proc/sys */
	cr_assert_eq(test_bind_fd("/proc/self/attr", "/proc/sys"), 0);
	assert_refused("sys/current", O_RDONLY);
	assert_refused("sys", O_RDONLY | O_DIRECTORY);
}

/* A regular file of another fs over a procfs file. */
Test(procmask, attack_regular_file_over_file)
{
	TEST_PRIVATE_MNTNS();
	cr_assert_eq(test_bind_fd("/etc/hostname", "/proc/keys"), 0);
	int a = open("/proc/keys", O_RDONLY), b = open("/etc/hostname", O_RDONLY);
	cr_assert(test_same_file(a, b), "control");
	close(a);
	close(b);
	assert_refused("keys", O_RDONLY);
}

/* A4: a symlink "1" bound over /proc/self. */
Test(procmask, attack_symlink_over_self)
{
	char dir[] = "/tmp/pm-XXXXXX", link[64];
	container_layout();
	cr_assert_not_null(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/self", dir);
	cr_assert_eq(symlink("1", link), 0);
	int r = test_bind_fd(link, "/proc/self");
	unlink(link);
	rmdir(dir);
	cr_assert_eq(r, 0, "bind over /proc/self: %s", strerror(-r));
	int a = open("/proc/self/status", O_RDONLY), b = open("/proc/1/status", O_RDONLY);
	cr_assert(test_same_file(a, b), "control: /proc/self is not pid 1");
	close(a);
	close(b);
	assert_refused("self/status", O_RDONLY);
	assert_refused("self", O_RDONLY | O_DIRECTORY);
	assert_refused("self", O_PATH | O_NOFOLLOW);
}

/* A symlink bound over a mask's path. */
Test(procmask, attack_symlink_over_mask)
{
	char dir[] = "/tmp/pm-XXXXXX", link[64];
	TEST_PRIVATE_MNTNS();
	cr_assert_eq(mount("tmpfs", "/tmp", "tmpfs", 0, NULL), 0);
	cr_assert_not_null(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/l", dir);
	cr_assert_eq(symlink("/etc/hostname", link), 0);
	cr_assert_eq(test_bind_fd(link, "/proc/timer_list"), 0);
	int a = open("/proc/timer_list", O_RDONLY), b = open("/etc/hostname", O_RDONLY);
	cr_assert(test_same_file(a, b), "control");
	close(a);
	close(b);
	assert_refused("timer_list", O_RDONLY);
	assert_refused("timer_list", O_PATH | O_NOFOLLOW);
}

/* A6: the route to mountinfo (thread-self -> task) is itself covered. */
Test(procmask, attack_on_the_mountinfo_route)
{
	container_layout();
	cr_assert_eq(mount("tmpfs", "/proc/self/task", "tmpfs", MS_RDONLY, NULL), 0, "%s", strerror(errno));
	cr_assert_neq(access("/proc/thread-self/mountinfo", F_OK), 0, "control");
	assert_refused("timer_list", O_RDONLY);
	assert_refused("sys/kernel/hostname", O_RDONLY);
	int procfd = proc_own_root();
	cr_assert_eq(procmask_list(procfd, NULL, NULL), -EINVAL);
	close(procfd);
}

/* The fdinfo route (mount ids without statx) covered: genuine or refused. */
Test(procmask, attack_on_the_fdinfo_route)
{
	char fdinfo[64];
	container_layout();
	snprintf(fdinfo, sizeof(fdinfo), "/proc/%d/task/%d/fdinfo", getpid(), (int)gettid());
	int r = mount("tmpfs", fdinfo, "tmpfs", MS_RDONLY, NULL);
	if (r < 0 && errno == ENOENT)
		cr_skip_test("this kernel refuses mounts on fdinfo");
	cr_assert_eq(r, 0, "%s", strerror(errno));
	cr_assert_neq(access("/proc/thread-self/fdinfo/0", F_OK), 0, "control");
	int fd = pm_open("timer_list", O_RDONLY);
	cr_assert(fd == -EXDEV || is_dev_null(fd), "got %d", fd);
	if (fd >= 0)
		close(fd);
	fd = pm_open("sys/kernel/hostname", O_RDONLY);
	cr_assert(fd == -EXDEV || fd >= 0);
	if (fd >= 0) {
		struct statfs sfs;
		cr_assert_eq(fstatfs(fd, &sfs), 0);
		cr_assert_eq(sfs.f_type, 0x9fa0);
		close(fd);
	}
}

/* Long names and paths answer as natively. */
Test(procmask, long_names)
{
	static char sub[PATH_MAX + 16];
	container_layout();
	memset(sub, 'a', sizeof(sub) - 1);
	memcpy(sub, "sys/", 4);
	sub[4 + NAME_MAX + 1] = '\0';
	assert_as_native(sub, O_RDONLY); /* ENAMETOOLONG */
	memcpy(sub, "acpi/", 5);
	sub[5 + NAME_MAX] = '\0';
	assert_as_native(sub, O_RDONLY); /* ENOENT */
	for (size_t i = 0; i + 2 < sizeof(sub); i += 2)
		memcpy(sub + i, "./", 2);
	memcpy(sub, "sys/", 4);
	sub[PATH_MAX] = '\0'; /* with its NUL, longer than the kernel takes */
	cr_assert_eq(pm_open(sub, O_RDONLY), -ENAMETOOLONG);
	sub[PATH_MAX - 1] = '\0'; /* fits: sys itself, as openat(2) says */
	int fd = pm_open(sub, O_RDONLY | O_DIRECTORY);
	int plain = open("/proc/sys", O_RDONLY | O_DIRECTORY);
	cr_assert(test_same_file(fd, plain));
	close(fd);
	close(plain);
}

/* No descriptor left behind, on success or refusal (the shim holds none
 * between calls). */
Test(procmask, no_fd_leak)
{
	static const char *const subs[] = { "timer_list", "sys/kernel/hostname", "acpi", "acpi/x",
		                            "timer_list/x", "cpuinfo", "self/status", "sys/kernel/hostname" };
	container_layout();
	cr_assert_eq(test_bind_fd("/dev/zero", "/proc/cpuinfo"), 0);
	int probe = open("/dev/null", O_RDONLY);
	close(probe);
	for (int round = 0; round < 3; round++)
		for (size_t i = 0; i < N(subs); i++) {
			int fd = pm_open(subs[i], i == N(subs) - 1 ? O_WRONLY : O_RDONLY);
			if (fd >= 0)
				close(fd);
		}
	int procfd = proc_own_root();
	cr_assert_gt(procmask_list(procfd, collect, NULL), 0);
	close(procfd);
	int after = open("/dev/null", O_RDONLY);
	cr_assert_eq(after, probe, "a descriptor was left open");
	close(after);
}

/* ------------------------------------------------------------------ */
/* A mount appearing concurrently                                      */
/* ------------------------------------------------------------------ */

static volatile bool racing;

static const char *flip_source = "/dev/zero";

/* Stack flip_source on target and take it off, again and again. */
static void *flip_mounts(void *arg)
{
	const char *target = arg;
	while (racing) {
		if (test_bind_fd(flip_source, target) == 0)
			umount2(target, 0);
	}
	return NULL;
}

Test(procmask, race_mount_over_mask)
{
	pthread_t t;
	int rounds = test_quick() ? 300 : 3000, opened = 0, refused = 0, escapes = 0;
	container_layout();
	racing = true;
	cr_assert_eq(pthread_create(&t, NULL, flip_mounts, (void *)"/proc/timer_list"), 0);
	for (int i = 0; i < rounds; i++) {
		int fd = pm_open("timer_list", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			opened++;
			if (!is_dev_null(fd))
				escapes++;
			close(fd);
		} else if (fd == -EXDEV) {
			refused++;
		} else {
			cr_expect_fail("unexpected %s", strerror(-fd));
		}
	}
	racing = false;
	pthread_join(t, NULL);
	cr_assert_eq(escapes, 0, "%d of %d opens were not /dev/null", escapes, opened);
	cr_log_info("race: %d opened (all /dev/null), %d refused", opened, refused);
}

/* A FIFO racing onto the mask must not make the open block (the final open
 * of a crossing adds O_NONBLOCK until the object is known to be 1:3).  A
 * blocked open would hang: the timeout fails the test. */
Test(procmask, race_fifo_over_mask, .timeout = 60)
{
	pthread_t t;
	int rounds = test_quick() ? 300 : 3000, escapes = 0, opened = 0;
	container_layout();
	cr_assert_eq(mount("tmpfs", "/tmp", "tmpfs", 0, NULL), 0);
	cr_assert_eq(mkfifo("/tmp/fifo", 0644), 0);
	flip_source = "/tmp/fifo";
	racing = true;
	cr_assert_eq(pthread_create(&t, NULL, flip_mounts, (void *)"/proc/timer_list"), 0);
	for (int i = 0; i < rounds; i++) {
		int fd = pm_open("timer_list", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			opened++;
			if (!is_dev_null(fd) || (fcntl(fd, F_GETFL) & O_NONBLOCK))
				escapes++;
			close(fd);
		} else {
			cr_expect_eq(fd, -EXDEV, "unexpected %s", strerror(-fd));
		}
	}
	racing = false;
	pthread_join(t, NULL);
	cr_assert_eq(escapes, 0);
	cr_log_info("fifo race: %d opened (all /dev/null), %d refused", opened, rounds - opened);
}

/* The same below the read-only /proc/sys: the genuine sysctl or refused. */
Test(procmask, race_mount_below_self_bind)
{
	pthread_t t;
	int rounds = test_quick() ? 300 : 3000, opened = 0, escapes = 0;
	container_layout();
	int genuine = pm_open("sys/kernel/ostype", O_RDONLY | O_CLOEXEC);
	cr_assert_geq(genuine, 0);
	racing = true;
	cr_assert_eq(pthread_create(&t, NULL, flip_mounts, (void *)"/proc/sys/kernel/ostype"), 0);
	for (int i = 0; i < rounds; i++) {
		int fd = pm_open("sys/kernel/ostype", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			opened++;
			if (!test_same_file(fd, genuine))
				escapes++;
			close(fd);
		} else if (fd != -EXDEV) {
			cr_expect_fail("unexpected %s", strerror(-fd));
		}
	}
	racing = false;
	pthread_join(t, NULL);
	close(genuine);
	cr_assert_eq(escapes, 0, "%d of %d opens were not the genuine sysctl", escapes, opened);
}

/* ------------------------------------------------------------------ */
/* procmask_list (pathward doctor)                                     */
/* ------------------------------------------------------------------ */

struct seen {
	char mountpoint[PATH_MAX];
	enum procmask_kind kind;
};
static struct seen seen[64];

static void collect(const struct procmask_mount *m, enum procmask_kind k, void *ctx)
{
	(void)ctx;
	if (nseen < N(seen)) {
		snprintf(seen[nseen].mountpoint, sizeof(seen[nseen].mountpoint), "%s", m->mountpoint);
		seen[nseen++].kind = k;
	}
}

/* The kind listed for the top-most mount on mp ("" if none). */
static const char *kind_on(const char *mp)
{
	const char *k = "";
	for (size_t i = 0; i < nseen; i++)
		if (!strcmp(seen[i].mountpoint, mp))
			k = procmask_kind_name(seen[i].kind);
	return k;
}

static int list_now(void)
{
	int procfd = proc_own_root();
	cr_assert_geq(procfd, 0);
	nseen = 0;
	int n = procmask_list(procfd, collect, NULL);
	close(procfd);
	return n;
}

Test(procmask, list_container_layout)
{
	char p[PATH_MAX];
	container_layout();
	int n = list_now();
	cr_assert_eq(n, (int)nseen, "count %d, calls %zu", n, nseen);
	cr_assert_eq(n, 1 + (int)(N(devnull_masks) + N(tmpfs_masks) + N(ro_binds)));
	cr_assert_str_eq(kind_on("/proc"), "none");
	for (size_t i = 0; i < N(devnull_masks); i++) {
		proc_path(p, sizeof(p), devnull_masks[i]);
		cr_expect_str_eq(kind_on(p), "devnull-mask", "%s", p);
	}
	for (size_t i = 0; i < N(tmpfs_masks); i++) {
		proc_path(p, sizeof(p), tmpfs_masks[i]);
		cr_expect_str_eq(kind_on(p), "tmpfs-mask", "%s", p);
	}
	for (size_t i = 0; i < N(ro_binds); i++) {
		proc_path(p, sizeof(p), ro_binds[i]);
		cr_expect_str_eq(kind_on(p), "self-bind", "%s", p);
	}
}

Test(procmask, list_attacks)
{
	char pid_attr[64];
	container_layout();
	snprintf(pid_attr, sizeof(pid_attr), "/proc/%d/attr", getpid());
	cr_assert_eq(test_bind_fd("/dev/zero", "/proc/cpuinfo"), 0);
	cr_assert_eq(test_bind_fd("/proc/self/environ", "/proc/meminfo"), 0);
	cr_assert_eq(test_bind_fd("/etc/hostname", "/proc/version"), 0);
	cr_assert_eq(mount("tmpfs", pid_attr, "tmpfs", 0, NULL), 0);
	cr_assert_eq(test_bind_fd("/dev/zero", "/proc/timer_list"), 0); /* stacked on a mask */
	cr_assert_eq(mount(NULL, "/proc/acpi", NULL, MS_REMOUNT, NULL), 0);
	int fd = open("/proc/acpi/fake", O_WRONLY | O_CREAT, 0644); /* a ro tmpfs made non-empty */
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(mount(NULL, "/proc/acpi", NULL, MS_REMOUNT | MS_RDONLY, NULL), 0);
	cr_assert_gt(list_now(), 0);
	cr_expect_str_eq(kind_on("/proc/cpuinfo"), "overmount");  /* tmpfs/devtmpfs file, not 1:3 */
	cr_expect_str_eq(kind_on("/proc/meminfo"), "overmount");  /* procfs, another path */
	cr_expect_str_eq(kind_on("/proc/version"), "overmount");  /* another fs */
	cr_expect_str_eq(kind_on(pid_attr), "overmount");         /* per-process */
	cr_expect_str_eq(kind_on("/proc/timer_list"), "overmount");
	cr_expect_str_eq(kind_on("/proc/acpi"), "overmount");
	cr_expect_str_eq(kind_on("/proc/keys"), "devnull-mask");
	cr_expect_str_eq(kind_on("/proc/driver"), "tmpfs-mask");
	cr_expect_str_eq(kind_on("/proc/sys"), "self-bind");
}

Test(procmask, list_plain_proc)
{
	int n = list_now();
	cr_assert_geq(n, 1);
	cr_assert_str_eq(kind_on("/proc"), "none");
}
