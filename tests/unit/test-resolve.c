/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-resolve.c - the resolver's named case table (resolver.md §0, every
 * group), run by each route:
 *   walker:  PATHWARD_RESOLVE_USERSPACE, string form and fd form;
 *   kernel:  PATHWARD_RESOLVE_KERNEL (must fail with the refusal errno when
 *            openat2 is forced to ENOSYS/EPERM);
 *   auto:    no route flag (must silently walk when openat2 is refused);
 *   oracle:  openat2(RESOLVE_IN_ROOT) itself against the expected table (or,
 *            when openat2 is refused, the auto route against it).
 * Opened results are compared by (st_dev, st_ino) with the expected path
 * opened O_PATH|O_NOFOLLOW from the host (it is symlink-free by design).
 */
#include <sys/mount.h>

#include "test-resolve.h"

enum {
	FULL = 0,
	NOLAST = 1,      /* PATHWARD_RESOLVE_EXCEPT_LAST; fd form uses O_NOFOLLOW */
	K_ENOENT = 2,    /* the missing-last extension: openat2 says ENOENT */
	NEED_PROC = 4,   /* needs procfs mounted at <root>/proc */
	NEED_MNT = 8,    /* needs the bind mounts at <root>/m2 and <root>/outbind */
};

struct rcase {
	const char *name;
	const char *path; /* tokens: {N256} {Y255} {DOT40} {DOT41} {SL4095} {SL4096} */
	unsigned how;
	const char *want; /* canonical path inside the root ({PID} expands) */
	int err;          /* or the expected errno */
};

#define OK(n, p, h, w)   { n, p, h, w, 0 }
#define ER(n, p, h, e)   { n, p, h, NULL, e }

static const struct rcase cases[] = {
	/* 1. plain lookups: the answer is what openat2 opens */
	OK("file", "f", FULL, "/f"),
	OK("file-abs", "/f", FULL, "/f"),
	OK("dir", "d", FULL, "/d"),
	OK("nested", "d/e/h", FULL, "/d/e/h"),
	OK("nested-abs", "/d/e/h", FULL, "/d/e/h"),
	OK("deep", "a/b/c/file", FULL, "/a/b/c/file"),
	OK("root-slash", "/", FULL, "/"),
	OK("root-dot", ".", FULL, "/"),
	OK("root-dotslash", "./", FULL, "/"),
	OK("root-many-slashes", "////", FULL, "/"),
	OK("nolast-file", "f", NOLAST, "/f"),
	OK("nolast-dir", "d/e", NOLAST, "/d/e"),
	OK("nolast-root", "/", NOLAST, "/"),
	/* 2. ".." is physical and clamped at the root */
	OK("dotdot-root", "..", FULL, "/"),
	OK("dotdot-root-many", "../../../..", FULL, "/"),
	OK("dotdot-abs", "/../f", FULL, "/f"),
	OK("dotdot-then-dir", "../d/g", FULL, "/d/g"),
	OK("dotdot-inner", "d/e/../g", FULL, "/d/g"),
	OK("dotdot-back-to-root", "a/b/c/../../..", FULL, "/"),
	OK("dotdot-past-root", "a/b/c/../../../../../f", FULL, "/f"),
	OK("dotdot-trailing", "d/e/..", FULL, "/d"),
	OK("dotdot-nolast", "d/e/..", NOLAST, "/d"),
	OK("dotdot-nolast-root", "d/..", NOLAST, "/"),
	OK("dotdot-through-link", "ldir/e/..", FULL, "/d"),
	OK("dotdot-after-abs-link", "abs_e/..", FULL, "/d"),
	OK("dotdot-after-rel-link", "rel_e/../g", FULL, "/d/g"),
	OK("dotdot-link-parent-physical", "lde/..", FULL, "/d"),
	OK("dotdot-in-link-body", "l_dd", FULL, "/a"),
	OK("dotdot-link-escape", "up/f", FULL, "/f"),
	OK("dotdot-link-escape-nested", "d/up/d/g", FULL, "/d/g"),
	OK("dotdot-link-escape-deep", "d/e/up3/f", FULL, "/f"),
	OK("dotdot-many-link", "a/b/c/upup/run/sock", FULL, "/run/sock"),
	/* 3. symlinks: absolute restarts at the root, relative from the link's dir */
	OK("link-rel-file", "rel_f", FULL, "/f"),
	OK("link-abs-file", "abs_f", FULL, "/f"),
	OK("link-rel-nested", "rel_g", FULL, "/d/g"),
	OK("link-abs-nested", "abs_g", FULL, "/d/g"),
	OK("link-dir", "ldir", FULL, "/d"),
	OK("link-dir-child", "ldir/g", FULL, "/d/g"),
	OK("link-abs-dir-child", "d/abs_e/h", FULL, "/d/e/h"),
	OK("link-wormhole", "var/sock", FULL, "/run/sock"),
	OK("link-wormhole-rel", "var2/sock", FULL, "/run/sock"),
	OK("link-wormhole-deep", "a/var/sock", FULL, "/run/sock"),
	OK("link-root", "rootlink/f", FULL, "/f"),
	OK("link-root-final", "rootlink", FULL, "/"),
	OK("link-self-dot", "d/self/self/g", FULL, "/d/g"),
	OK("link-chain", "chain1", FULL, "/f"),
	OK("link-chain-nolast", "chain1", NOLAST, "/chain1"),
	OK("link-chain-mid", "chain_d/g", FULL, "/d/g"),
	OK("link-abs-with-dots", "abs_dots/h", FULL, "/d/e/h"),
	/* absolute bodies back down through directories already walked */
	OK("link-abs-shared-prefix", "a/b/c/toab/c/file", FULL, "/a/b/c/file"),
	OK("link-abs-same-dir", "a/b/c/toabc/file", FULL, "/a/b/c/file"),
	OK("link-abs-shared-then-dotdot", "a/b/c/toab/../b/c/file", FULL, "/a/b/c/file"),
	OK("link-abs-shared-then-link", "a/b/c/toavar/sock", FULL, "/run/sock"),
	OK("link-abs-shared-twice", "a/b/c/toab/c/toabc/toab/c/file", FULL, "/a/b/c/file"),
	OK("link-abs-shared-nolast", "a/b/c/toab/c/toab", NOLAST, "/a/b/c/toab"),
	OK("link-abs-diverging", "a/b/c/tod/e/h", FULL, "/d/e/h"),
	OK("link-body-double-slash", "dslash2/g", FULL, "/d/g"),
	OK("link-rel-in-sub", "d/e/rel_up/g", FULL, "/d/g"),
	OK("link-nolast-parent-followed", "ldir/rel_up", NOLAST, "/d/rel_up"),
	OK("link-nolast-parents", "var/sock", NOLAST, "/run/sock"),
	OK("link-nolast-final-link", "rel_f", NOLAST, "/rel_f"),
	OK("link-nolast-abs-final", "abs_f", NOLAST, "/abs_f"),
	OK("link-nolast-two-level", "ldir/abs_e", NOLAST, "/d/abs_e"),
	OK("link-nolast-link2", "ldir/abs_e/h", NOLAST, "/d/e/h"),
	ER("link-body-slash-file", "fslash", FULL, ENOTDIR),
	OK("link-body-slash-file-nolast", "fslash", NOLAST, "/fslash"),
	OK("link-body-slash-dir", "dslash", FULL, "/d"),
	OK("link-body-slash-dir-child", "dslash/g", FULL, "/d/g"),
	ER("link-through-file", "through_f", FULL, ENOTDIR),
	/* budget: 40 symlinks per resolution, nested bodies included */
	OK("budget-40", "{DOT40}f", FULL, "/f"),
	ER("budget-41", "{DOT41}f", FULL, ELOOP),
	OK("budget-40-in-body", "dot39f", FULL, "/f"),
	ER("budget-41-in-body", "dot40f", FULL, ELOOP),
	OK("budget-40-nolast", "{DOT40}rel_f", NOLAST, "/rel_f"),
	ER("loop-pair", "loop1", FULL, ELOOP),
	ER("loop-self", "selfloop", FULL, ELOOP),
	ER("loop-mid", "loop1/x", FULL, ELOOP),
	OK("loop-nolast", "loop1", NOLAST, "/loop1"),
	ER("loop-nolast-slash", "loop1/", NOLAST, ELOOP),
	ER("loop-dir", "loopd/x", FULL, ELOOP),
	/* bodies near PATH_MAX: the kernel keeps a stack of bodies, so a body
	 * and the rest of the path (and the rests of nested bodies) never limit
	 * each other; only the 40-link budget does */
	OK("long-body-long-rest", "lbd{SL4095}e/h", FULL, "/d/e/h"),
	OK("long-body-long-rest-nolast", "lbd{SL4095}e/h", NOLAST, "/d/e/h"),
	OK("long-body-fills-front", "kfill/h", FULL, "/d/e/h"),
	OK("long-body-one-short", "kfil2/h", FULL, "/d/e/h"),
	OK("long-bodies-nested-40", "n1/e/h", FULL, "/d/e/h"),
	OK("long-bodies-nested-40-nolast", "n1/e/h", NOLAST, "/d/e/h"),
	ER("long-bodies-nested-41", "n0/e/h", FULL, ELOOP),
	ER("long-body-self-growing", "selfgrow", FULL, ELOOP),
	ER("long-body-self-growing-mid", "selfgrow/x", FULL, ELOOP),
	OK("long-body-self-growing-nolast", "selfgrow", NOLAST, "/selfgrow"),
	/* 4. missing tails */
	ER("missing-full", "nothere", FULL, ENOENT),
	ER("missing-full-nested", "d/nothere", FULL, ENOENT),
	ER("missing-deep-full", "nothere/x", FULL, ENOENT),
	OK("missing-last", "newname", NOLAST | K_ENOENT, "/newname"),
	OK("missing-last-abs", "/newname", NOLAST | K_ENOENT, "/newname"),
	OK("missing-last-nested", "d/newname", NOLAST | K_ENOENT, "/d/newname"),
	OK("missing-last-via-link", "var/newname", NOLAST | K_ENOENT, "/run/newname"),
	OK("missing-last-via-ldir", "ldir/newname", NOLAST | K_ENOENT, "/d/newname"),
	OK("missing-last-via-up", "up/newname", NOLAST | K_ENOENT, "/newname"),
	OK("missing-last-after-dotdot", "d/e/../newname", NOLAST | K_ENOENT, "/d/newname"),
	OK("missing-last-double-slash", "d//newname", NOLAST | K_ENOENT, "/d/newname"),
	ER("missing-deep-nolast", "nothere/x", NOLAST, ENOENT),
	ER("missing-deep-dotdot", "nothere/../f", NOLAST, ENOENT),
	ER("missing-trailing-slash", "newname/", NOLAST, ENOENT),
	ER("missing-trailing-dot", "newname/.", NOLAST, ENOENT),
	ER("missing-under-file", "f/newname", NOLAST, ENOTDIR),
	ER("missing-under-dangling", "dang/newname", NOLAST, ENOENT),
	ER("missing-name-too-long", "{N256}", NOLAST, ENAMETOOLONG),
	ER("missing-name-too-long-nested", "d/{N256}", NOLAST, ENAMETOOLONG),
	ER("missing-before-long", "nothere/{N256}", NOLAST, ENOENT),
	ER("dangling-full", "dang", FULL, ENOENT),
	OK("dangling-nolast", "dang", NOLAST, "/dang"),
	ER("dangling-abs-full", "dang_abs", FULL, ENOENT),
	OK("dangling-abs-nolast", "dang_abs", NOLAST, "/dang_abs"),
	ER("dangling-mid", "dang/x", FULL, ENOENT),
	ER("dangling-chain-through-file", "dang_file", FULL, ENOTDIR),
	/* 5. the last component in except-last mode; trailing slashes */
	OK("trail-dir", "d/", FULL, "/d"),
	OK("trail-dir-nolast", "d/", NOLAST, "/d"),
	OK("trail-link-nolast", "ldir/", NOLAST, "/d"),
	OK("trail-dot-link-nolast", "ldir/.", NOLAST, "/d"),
	OK("trail-many-slashes-nolast", "ldir///", NOLAST, "/d"),
	OK("trail-wormhole-nolast", "var/", NOLAST, "/run"),
	ER("trail-file", "f/", FULL, ENOTDIR),
	ER("trail-file-nolast", "f/", NOLAST, ENOTDIR),
	ER("trail-file-dot", "f/.", FULL, ENOTDIR),
	ER("trail-file-dotdot", "f/..", FULL, ENOTDIR),
	ER("trail-link-file", "rel_f/", FULL, ENOTDIR),
	ER("trail-link-file-nolast", "rel_f/", NOLAST, ENOTDIR),
	ER("trail-dangling", "dang/", FULL, ENOENT),
	ER("trail-dangling-nolast", "dang/", NOLAST, ENOENT),
	ER("mid-file", "f/x", FULL, ENOTDIR),
	ER("mid-file-nolast", "f/x", NOLAST, ENOTDIR),
	ER("mid-link-file", "rel_f/x", FULL, ENOTDIR),
	/* 6. input hygiene */
	ER("empty", "", FULL, ENOENT),
	ER("empty-nolast", "", NOLAST, ENOENT),
	ER("path-max", "{SL4096}f", FULL, ENAMETOOLONG),
	ER("path-max-nolast", "{SL4096}f", NOLAST, ENAMETOOLONG),
	OK("path-max-minus-one", "{SL4095}f", FULL, "/f"),
	ER("name-max-plus-one", "{N256}", FULL, ENAMETOOLONG),
	OK("name-max", "{Y255}", FULL, "/{Y255}"),
	OK("name-max-nolast", "d/../{Y255}", NOLAST, "/{Y255}"),
	ER("name-long-before-dotdot", "{N256}/..", FULL, ENAMETOOLONG),
	ER("name-long-after-missing", "nothere/{N256}", FULL, ENOENT),
	ER("name-long-nolast-dotdot", "{N256}/..", NOLAST, ENAMETOOLONG),
	OK("relative-equals-absolute", "d/e/h", FULL, "/d/e/h"),
	OK("double-slash", "d//e///h", FULL, "/d/e/h"),
	OK("slash-dot-slash", "/./d/./e/./h", FULL, "/d/e/h"),
	OK("bytes-newline", "nl\nname", FULL, "/nl\nname"),
	OK("bytes-tab", "tab\tname", FULL, "/tab\tname"),
	OK("bytes-backslash", "back\\slash", FULL, "/back\\slash"),
	OK("bytes-non-utf8", "\xff\xfe", FULL, "/\xff\xfe"),
	OK("bytes-space", "sp ace/x", FULL, "/sp ace/x"),
	OK("bytes-newline-missing", "nl\nnew", NOLAST | K_ENOENT, "/nl\nnew"),
	OK("bytes-link-to-odd", "odd_link", FULL, "/\xff\xfe"),
	ER("bytes-missing-odd", "\xfe\xff", FULL, ENOENT),
	/* 7. magic links (procfs mounted inside the root) */
	ER("magic-fd", "proc/self/fd/0", FULL | NEED_PROC, EXDEV),
	ER("magic-exe", "proc/self/exe", FULL | NEED_PROC, EXDEV),
	ER("magic-cwd", "proc/self/cwd", FULL | NEED_PROC, EXDEV),
	ER("magic-root", "proc/self/root", FULL | NEED_PROC, EXDEV),
	ER("magic-root-mid", "proc/self/root/etc", FULL | NEED_PROC, EXDEV),
	ER("magic-ns", "proc/self/ns/net", FULL | NEED_PROC, EXDEV),
	ER("magic-trailing-slash-nolast", "proc/self/cwd/", NOLAST | NEED_PROC, EXDEV),
	OK("magic-nolast-fd", "proc/self/fd/0", NOLAST | NEED_PROC, "/proc/{PID}/fd/0"),
	OK("magic-nolast-exe", "proc/self/exe", NOLAST | NEED_PROC, "/proc/{PID}/exe"),
	OK("proc-self-followed", "proc/self", FULL | NEED_PROC, "/proc/{PID}"),
	OK("proc-thread-self-followed", "proc/thread-self", FULL | NEED_PROC, "/proc/{PID}/task/{PID}"),
	OK("proc-self-nolast", "proc/self", NOLAST | NEED_PROC, "/proc/self"),
	OK("proc-self-status", "proc/self/status", FULL | NEED_PROC, "/proc/{PID}/status"),
	OK("proc-mounts-rel-link", "proc/mounts", FULL | NEED_PROC, "/proc/{PID}/mounts"),
	OK("proc-dotdot", "proc/self/..", FULL | NEED_PROC, "/proc"),
	/* 8. mount points are crossed; ".." from a mount root goes to its parent */
	OK("mount-cross", "m2/z", FULL | NEED_MNT, "/m2/z"),
	OK("mount-dotdot", "m2/..", FULL | NEED_MNT, "/"),
	OK("mount-dotdot-file", "m2/../f", FULL | NEED_MNT, "/f"),
	OK("mount-outside-bind", "outbind/o", FULL | NEED_MNT, "/outbind/o"),
	OK("mount-outside-dotdot", "outbind/../../f", FULL | NEED_MNT, "/f"),
	OK("mount-outside-abs-link", "outbind/abs", FULL | NEED_MNT, "/f"),
	OK("mount-outside-rel-up", "outbind/relup/f", FULL | NEED_MNT, "/f"),
	/* 10. output form */
	OK("form-no-trailing-slash", "d/e/", FULL, "/d/e"),
	OK("form-single-slashes", "//d//e//", FULL, "/d/e"),
	OK("form-root-from-link", "rootlink/", NOLAST, "/"),
	OK("form-root-nolast-dotdot", "..", NOLAST, "/"),
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static char root_path[64];
static int rootfd = -1;
static bool have_proc, have_mnt;
static char outside_path[80];

static void mk_dir(int dfd, const char *p)
{
	cr_assert(mkdirat(dfd, p, 0755) == 0, "mkdir %s: %s", p, strerror(errno));
}
static void mk_file(int dfd, const char *p)
{
	int fd = openat(dfd, p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	cr_assert(fd >= 0, "create %s: %s", p, strerror(errno));
	close(fd);
}
static void mk_link(int dfd, const char *body, const char *p)
{
	cr_assert(symlinkat(body, dfd, p) == 0, "symlink %s: %s", p, strerror(errno));
}

static void repeat(char *dst, const char *s, int n)
{
	dst[0] = '\0';
	while (n-- > 0)
		strcat(dst, s);
}

/* Symlinks whose bodies are near PATH_MAX (symlink(2) takes up to 4095
 * bytes).  Padding is slashes, which name nothing, so only the length of
 * what is left to walk changes. */
static void build_long_bodies(int r)
{
	static char body[PATH_MAX];
	char name[16];

	/* absolute: 4000 slashes then d */
	memset(body, '/', 4000);
	strcpy(body + 4000, "d");
	mk_link(r, body, "lbd");
	/* "kfill/h" is 7 bytes, so "kfill" is read into the 4089 bytes in front
	 * of its own name: a 4089-byte body fills them exactly (read again from
	 * a larger buffer), a 4088-byte one fits */
	body[0] = 'd';
	memset(body + 1, '/', 4087);
	strcpy(body + 4088, "e");
	mk_link(r, body, "kfill");
	body[0] = 'd';
	memset(body + 1, '/', 4086);
	strcpy(body + 4087, "e");
	mk_link(r, body, "kfil2");
	/* nK -> "n(K+1)" + 3990 slashes + ".", n40 -> "d" + ...: each level
	 * leaves 3991 bytes to walk after the next link, 40 levels deep */
	for (int k = 0; k <= 40; k++) {
		int h = snprintf(body, sizeof(body), k < 40 ? "n%d" : "d", k + 1);
		memset(body + h, '/', 3990);
		strcpy(body + h + 3990, ".");
		snprintf(name, sizeof(name), "n%d", k);
		mk_link(r, body, name);
	}
	/* a link whose body is itself plus 4000 bytes: ELOOP, not a too-long name */
	strcpy(body, "selfgrow");
	memset(body + 8, '/', 4000);
	strcpy(body + 4008, "x");
	mk_link(r, body, "selfgrow");
}

/* The layout the table is written against. */
static void build_layout(int r)
{
	static char body[512], name[300];

	mk_file(r, "f");
	mk_dir(r, "d");
	mk_file(r, "d/g");
	mk_dir(r, "d/e");
	mk_file(r, "d/e/h");
	mk_dir(r, "a");
	mk_dir(r, "a/b");
	mk_dir(r, "a/b/c");
	mk_file(r, "a/b/c/file");
	mk_dir(r, "run");
	mk_file(r, "run/sock");
	mk_link(r, "/run", "var");
	mk_link(r, "../run", "var2");
	mk_link(r, "/run", "a/var");
	mk_link(r, "/f", "abs_f");
	mk_link(r, "f", "rel_f");
	mk_link(r, "d/g", "rel_g");
	mk_link(r, "/d/g", "abs_g");
	mk_link(r, "../../../..", "up");
	mk_link(r, "../..", "d/up");
	mk_link(r, "../../../../../..", "d/e/up3");
	mk_link(r, "../../../../../../..", "a/b/c/upup");
	mk_link(r, "/d/e", "d/abs_e");
	mk_link(r, "/d/e", "abs_e");
	mk_link(r, "d/e", "rel_e");
	mk_link(r, "d/e", "lde");
	mk_link(r, ".", "d/self");
	mk_link(r, "d", "ldir");
	mk_link(r, "d/e/../../a", "l_dd");
	mk_link(r, "/", "rootlink");
	mk_link(r, "chain2", "chain1");
	mk_link(r, "chain3", "chain2");
	mk_link(r, "/f", "chain3");
	mk_link(r, "ldir", "chain_d");
	mk_link(r, "/d/../d/./e/", "abs_dots");
	mk_link(r, "/a/b", "a/b/c/toab");
	mk_link(r, "/a/b/c", "a/b/c/toabc");
	mk_link(r, "/a/var", "a/b/c/toavar");
	mk_link(r, "/d", "a/b/c/tod");
	mk_link(r, "d//", "dslash2");
	mk_link(r, "..", "d/e/rel_up");
	mk_link(r, "..", "d/rel_up");
	mk_link(r, "f/", "fslash");
	mk_link(r, "d/", "dslash");
	mk_link(r, "f/x", "through_f");
	mk_link(r, ".", "dot");
	repeat(body, "dot/", 39);
	strcat(body, "f");
	mk_link(r, body, "dot39f"); /* 1 + 39 hops */
	repeat(body, "dot/", 40);
	strcat(body, "f");
	mk_link(r, body, "dot40f"); /* 1 + 40 hops */
	mk_link(r, "loop2", "loop1");
	mk_link(r, "loop1", "loop2");
	mk_link(r, "selfloop", "selfloop");
	mk_link(r, "loopd/x", "loopd");
	mk_link(r, "nowhere", "dang");
	mk_link(r, "/nowhere/deeper", "dang_abs");
	mk_link(r, "f/sub", "dang_file");
	mk_file(r, "nl\nname");
	mk_file(r, "tab\tname");
	mk_file(r, "back\\slash");
	mk_file(r, "\xff\xfe");
	mk_link(r, "/\xff\xfe", "odd_link");
	mk_dir(r, "sp ace");
	mk_file(r, "sp ace/x");
	memset(name, 'y', 255);
	name[255] = '\0';
	mk_file(r, name);
	mk_dir(r, "proc");
	mk_dir(r, "x");
	mk_dir(r, "x/y");
	mk_file(r, "x/y/z");
	mk_dir(r, "m2");
	mk_dir(r, "outbind");
	build_long_bodies(r);
}

/* An "outside" directory beside the root, bound into it at /outbind. */
static void build_outside(void)
{
	int o;
	snprintf(outside_path, sizeof(outside_path), "%s-outside", root_path);
	cr_assert(mkdir(outside_path, 0755) == 0 || errno == EEXIST);
	o = open(outside_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	cr_assert(o >= 0);
	if (faccessat(o, "o", F_OK, AT_SYMLINK_NOFOLLOW) != 0) {
		mk_file(o, "o");
		mk_link(o, "/f", "abs");
		mk_link(o, "../..", "relup");
	}
	close(o);
}

/* Mounts (private namespace only): procfs at <root>/proc, x/y at m2, the
 * outside directory at outbind.  Without them the cases that need them are
 * reported and passed over, never silently. */
static void setup_mounts(void)
{
	char p[128], q[128];

	if (geteuid() != 0 || unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		cr_log_warn("no private mount namespace (%s): proc/mount cases not run", strerror(errno));
		return;
	}
	snprintf(p, sizeof(p), "%s/proc", root_path);
	have_proc = mount("proc", p, "proc", 0, NULL) == 0;
	if (!have_proc)
		cr_log_warn("mount proc in the root: %s", strerror(errno));
	snprintf(p, sizeof(p), "%s/x/y", root_path);
	snprintf(q, sizeof(q), "%s/m2", root_path);
	have_mnt = mount(p, q, NULL, MS_BIND, NULL) == 0;
	snprintf(q, sizeof(q), "%s/outbind", root_path);
	have_mnt = have_mnt && mount(outside_path, q, NULL, MS_BIND, NULL) == 0;
	if (!have_mnt)
		cr_log_warn("bind mounts in the root: %s", strerror(errno));
}

static void setup(void)
{
	snprintf(root_path, sizeof(root_path), "%s", scratch_dir());
	rootfd = open(root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	cr_assert(rootfd >= 0);
	build_layout(rootfd);
	build_outside();
	setup_mounts();
	/* an fd opened before unshare() sees the old namespace's mounts */
	close(rootfd);
	rootfd = open(root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	cr_assert(rootfd >= 0);
}

/* A plain umount is synchronous; a lazy one may still pin the mount point
 * when the scratch tree is removed right after. */
static void unmount(const char *p)
{
	if (umount2(p, 0) != 0)
		umount2(p, MNT_DETACH);
}

static void teardown(void)
{
	char p[128];
	if (have_proc) {
		snprintf(p, sizeof(p), "%s/proc", root_path);
		unmount(p);
	}
	if (have_mnt) {
		snprintf(p, sizeof(p), "%s/m2", root_path);
		unmount(p);
		snprintf(p, sizeof(p), "%s/outbind", root_path);
		unmount(p);
	}
	if (rootfd >= 0)
		close(rootfd);
	scratch_remove(outside_path);
	scratch_remove(root_path);
}

/* Expand a table string's tokens into out (PATH_MAX + 64 bytes). */
static void expand(const char *in, char *out)
{
	char num[16];
	size_t o = 0;
	snprintf(num, sizeof(num), "%d", (int)getpid());
	while (*in) {
		const char *tok[] = { "{N256}", "{Y255}", "{DOT40}", "{DOT41}", "{SL4095}", "{SL4096}", "{PID}" };
		size_t t;
		for (t = 0; t < sizeof(tok) / sizeof(tok[0]); t++)
			if (strncmp(in, tok[t], strlen(tok[t])) == 0)
				break;
		if (t == sizeof(tok) / sizeof(tok[0])) {
			out[o++] = *in++;
			continue;
		}
		in += strlen(tok[t]);
		if (t <= 1) {
			memset(out + o, t == 0 ? 'n' : 'y', t == 0 ? 256 : 255);
			o += t == 0 ? 256 : 255;
		} else if (t <= 3) {
			for (int i = 0; i < (t == 2 ? 40 : 41); i++, o += 4)
				memcpy(out + o, "dot/", 4);
		} else if (t <= 5) {
			/* slashes so that the whole path is 4095 / 4096 bytes */
			size_t total = t == 4 ? 4095 : 4096, rest = strlen(in);
			memset(out + o, '/', total - rest - o);
			o = total - rest;
		} else {
			memcpy(out + o, num, strlen(num));
			o += strlen(num);
		}
	}
	out[o] = '\0';
}

static bool case_runs(const struct rcase *c)
{
	if ((c->how & NEED_PROC) && !have_proc)
		return false;
	if ((c->how & NEED_MNT) && !have_mnt)
		return false;
	return true;
}

/* The expected object, opened from the host without following. */
static int want_open(const char *want)
{
	char host[PATH_MAX + 128];
	snprintf(host, sizeof(host), "%s%s", root_path, strcmp(want, "/") == 0 ? "" : want);
	return open(host, O_PATH | O_NOFOLLOW | O_CLOEXEC);
}

/* fd form: an fd on the expected object, or the expected errno (the kernel's
 * ENOENT for the missing-last extension). */
static void check_fd(const struct rcase *c, const char *path, const char *want, int fd, const char *route)
{
	int err = (c->how & K_ENOENT) ? ENOENT : c->err;
	if (err) {
		cr_expect(fd == -err, "[%s] %s: fd form want %s, got %s", route, c->name, strerror(err),
		          fd < 0 ? strerror(-fd) : "an fd");
	} else {
		int w = want_open(want);
		cr_assert(w >= 0, "%s: expected object %s missing on the host", c->name, want);
		cr_expect(fd >= 0 && test_same_file(fd, w), "[%s] %s: fd form want %s, got %s", route, c->name,
		          want, fd < 0 ? strerror(-fd) : "another object");
		close(w);
	}
	if (fd >= 0)
		close(fd);
	(void)path;
}

static void check_str(const struct rcase *c, const char *want, int r, const char *buf, const char *route)
{
	if (c->err)
		cr_expect(r == -c->err, "[%s] %s: want %s, got %s", route, c->name, strerror(c->err),
		          r < 0 ? strerror(-r) : buf);
	else
		cr_expect(r >= 0 && strcmp(buf, want) == 0 && (size_t)r == strlen(want),
		          "[%s] %s: want \"%s\", got \"%s\"", route, c->name, want, r < 0 ? strerror(-r) : buf);
}

static int fd_flags(const struct rcase *c)
{
	return O_PATH | ((c->how & NOLAST) ? O_NOFOLLOW : 0);
}

static uint64_t str_flags(const struct rcase *c)
{
	return (c->how & NOLAST) ? PATHWARD_RESOLVE_EXCEPT_LAST : 0;
}

/* Run every case through one route; returns how many ran. */
static size_t run_route(uint64_t route, const char *label)
{
	static char path[PATH_MAX + 64], want[PATH_MAX + 64], buf[PATH_MAX];
	size_t ran = 0;

	for (size_t i = 0; i < NCASES; i++) {
		const struct rcase *c = &cases[i];
		if (!case_runs(c))
			continue;
		expand(c->path, path);
		expand(c->want ? c->want : "", want);
		int s, fd;
		if (route == ROUTE_WALK) { /* deterministic: asked once */
			s = pathward_resolve(rootfd, path, str_flags(c) | route, buf, sizeof(buf));
			fd = pathward_root_open(rootfd, path, fd_flags(c), 0, route);
		} else { /* openat2's ELOOP is asked again (test-resolve.h) */
			KERNEL_SETTLE(s, pathward_resolve(rootfd, path, str_flags(c) | route, buf, sizeof(buf)));
			KERNEL_SETTLE(fd, pathward_root_open(rootfd, path, fd_flags(c), 0, route));
		}
		check_str(c, want, s, buf, label);
		check_fd(c, path, want, fd, label);
		ran++;
	}
	return ran;
}

TestSuite(resolve, .init = setup, .fini = teardown, .timeout = 60);

Test(resolve, table_has_every_group)
{
	cr_expect(NCASES >= 120, "the table has %zu cases", NCASES);
}

Test(resolve, table_walker)
{
	size_t ran = run_route(ROUTE_WALK, "walker");
	cr_log_info("walker: %zu of %zu cases", ran, NCASES);
}

Test(resolve, table_auto)
{
	run_route(ROUTE_AUTO, openat2_refusal() ? "auto(walker)" : "auto(kernel)");
}

Test(resolve, table_kernel)
{
	static char path[PATH_MAX + 64], buf[PATH_MAX];
	int refusal = openat2_refusal();

	if (!refusal) {
		run_route(ROUTE_KERNEL, "kernel");
		return;
	}
	/* openat2 forced off: the kernel route must say so, never walk */
	for (size_t i = 0; i < NCASES; i++) {
		const struct rcase *c = &cases[i];
		int want = c->err == ENOENT && !*c->path ? ENOENT : refusal;
		expand(c->path, path);
		if (strlen(path) >= PATH_MAX)
			want = ENAMETOOLONG;
		cr_expect(pathward_resolve(rootfd, path, str_flags(c) | ROUTE_KERNEL, buf, sizeof(buf)) == -want,
		          "%s: kernel route must fail with %s", c->name, strerror(want));
		cr_expect(pathward_root_open(rootfd, path, fd_flags(c), 0, ROUTE_KERNEL) == -want,
		          "%s: kernel open must fail with %s", c->name, strerror(want));
	}
}

/* The oracle: openat2 itself must agree with the table (fd form), so the
 * table is known to be the kernel's answer.  When openat2 is refused, the
 * table is checked against the default route instead (which walks). */
Test(resolve, table_oracle)
{
	static char path[PATH_MAX + 64], want[PATH_MAX + 64];
	int refusal = openat2_refusal();

	if (refusal)
		cr_log_info("openat2 refused (%s): oracle replaced by the default route", strerror(refusal));
	for (size_t i = 0; i < NCASES; i++) {
		const struct rcase *c = &cases[i];
		int fd;
		if (!case_runs(c))
			continue;
		expand(c->path, path);
		expand(c->want ? c->want : "", want);
		if (!refusal && strlen(path) < PATH_MAX && *path)
			fd = oracle_open(rootfd, path, fd_flags(c), 0);
		else
			fd = pathward_root_open(rootfd, path, fd_flags(c), 0, ROUTE_AUTO);
		check_fd(c, path, want, fd, refusal ? "auto" : "openat2");
	}
}
