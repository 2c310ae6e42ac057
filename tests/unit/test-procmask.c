/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-procmask.c - the runtime-mask classifier (core/procmask.c).
 *
 * Pure part: the mountinfo parser (escapes, malformed and over-long lines)
 * and the classification table.
 */
#include <limits.h>
#include <stdint.h>

#include "common.h"
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
	static char line[4 * PATH_MAX + 1024], big[4 * PATH_MAX];
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
	snprintf(line, sizeof(line), "1 1 1:1 / /x rw - fuse.%s %s rw", big, big);
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
