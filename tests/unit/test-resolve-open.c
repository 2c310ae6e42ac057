/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-resolve-open.c - pathward_root_open with real open flags: O_CREAT
 * inside the root (also through dangling symlinks), O_EXCL, O_NOFOLLOW,
 * O_DIRECTORY, O_PATH, O_TMPFILE and trailing slashes keep the kernel's
 * meaning.  Three identical trees: openat2(RESOLVE_IN_ROOT) acts on the
 * first (the oracle, when it is allowed), the walker on the second, the
 * default route on the third; errno, the object opened and what was created
 * must agree.  Plus the library's bad-input answers.
 */
#include <sys/mount.h>
#include <signal.h>
#include <sys/resource.h>

#include "test-resolve.h"

struct ocase {
	const char *name, *path;
	int flags;
	int err;              /* expected errno, 0 = success */
	const char *is;       /* success: the object must be this entry (not followed) */
	const char *created;  /* this entry must exist afterwards */
};

static const struct ocase ocases[] = {
	{ "creat-new", "new1", O_CREAT | O_WRONLY, 0, "new1", "new1" },
	{ "creat-abs-dangling", "dang_abs", O_CREAT | O_WRONLY, 0, "created_abs", "created_abs" },
	{ "creat-rel-dangling", "d/dang_rel", O_CREAT | O_WRONLY, 0, "created_rel", "created_rel" },
	{ "creat-dangling-chain", "chain_new", O_CREAT | O_RDWR, 0, "d/created_chain", "d/created_chain" },
	{ "creat-dangling-missing-parent", "dang_deep", O_CREAT | O_WRONLY, ENOENT, NULL, NULL },
	{ "creat-dangling-body-slash", "dang_slash", O_CREAT | O_WRONLY, EISDIR, NULL, NULL },
	{ "creat-dangling-loop", "dang_loop", O_CREAT | O_WRONLY, ELOOP, NULL, NULL },
	{ "creat-up-link", "up/new2", O_CREAT | O_WRONLY, 0, "new2", "new2" },
	{ "creat-dotdot", "../../new3", O_CREAT | O_WRONLY, 0, "new3", "new3" },
	{ "creat-existing", "f", O_CREAT | O_WRONLY, 0, "f", NULL },
	{ "creat-existing-link", "rel_f", O_CREAT | O_WRONLY, 0, "f", NULL },
	{ "creat-excl-existing", "f", O_CREAT | O_EXCL | O_WRONLY, EEXIST, NULL, NULL },
	{ "creat-excl-dangling", "dang_abs2", O_CREAT | O_EXCL | O_WRONLY, EEXIST, NULL, NULL },
	{ "creat-nofollow-dangling", "dang_abs2", O_CREAT | O_NOFOLLOW | O_WRONLY, ELOOP, NULL, NULL },
	{ "creat-trailing-slash-new", "newdir/", O_CREAT | O_WRONLY, EISDIR, NULL, NULL },
	{ "creat-trailing-slash-dir", "d/", O_CREAT | O_RDONLY, EISDIR, NULL, NULL },
	{ "creat-trailing-slash-link", "dang_abs2/", O_CREAT | O_RDONLY, EISDIR, NULL, NULL },
	{ "creat-dot", ".", O_CREAT | O_RDONLY, EISDIR, NULL, NULL },
	{ "creat-excl-dot", ".", O_CREAT | O_EXCL | O_RDONLY, EEXIST, NULL, NULL },
	{ "creat-dir", "d", O_CREAT | O_RDONLY, EISDIR, NULL, NULL },
	{ "creat-under-file", "f/new", O_CREAT | O_WRONLY, ENOTDIR, NULL, NULL },
	{ "creat-trunc", "trunc_me", O_CREAT | O_TRUNC | O_WRONLY, 0, "trunc_me", NULL },
	{ "directory-file", "f", O_RDONLY | O_DIRECTORY, ENOTDIR, NULL, NULL },
	{ "directory-link", "ldir", O_RDONLY | O_DIRECTORY, 0, "d", NULL },
	{ "directory-link-nofollow", "ldir", O_RDONLY | O_DIRECTORY | O_NOFOLLOW, ENOTDIR, NULL, NULL },
	{ "directory-link-abs", "labs_d", O_RDONLY | O_DIRECTORY, 0, "d", NULL },
	{ "nofollow-link", "rel_f", O_RDONLY | O_NOFOLLOW, ELOOP, NULL, NULL },
	{ "nofollow-path-link", "rel_f", O_PATH | O_NOFOLLOW, 0, "rel_f", NULL },
	{ "nofollow-path-dangling", "dang", O_PATH | O_NOFOLLOW, 0, "dang", NULL },
	{ "path-follows", "rel_f", O_PATH, 0, "f", NULL },
	{ "path-dangling", "dang", O_PATH, ENOENT, NULL, NULL },
	{ "nofollow-trailing-slash", "ldir/", O_RDONLY | O_NOFOLLOW, 0, "d", NULL },
	{ "nofollow-trailing-slash-dot", "ldir/.", O_PATH | O_NOFOLLOW, 0, "d", NULL },
	{ "nofollow-trailing-dangling", "dang/", O_PATH | O_NOFOLLOW, ENOENT, NULL, NULL },
	{ "write-dir", "d", O_WRONLY, EISDIR, NULL, NULL },
	{ "file-trailing-slash", "f/", O_RDONLY, ENOTDIR, NULL, NULL },
	{ "tmpfile-dir", "d", O_TMPFILE | O_WRONLY, 0, NULL, NULL },
	{ "tmpfile-link", "labs_d", O_TMPFILE | O_RDWR, 0, NULL, NULL },
	{ "tmpfile-file", "f", O_TMPFILE | O_WRONLY, ENOTDIR, NULL, NULL },
	{ "rdonly-root", "/", O_RDONLY, 0, ".", NULL },
	{ "rdonly-root-dotdot", "..", O_RDONLY | O_DIRECTORY, 0, ".", NULL },
};
#define NOCASES (sizeof(ocases) / sizeof(ocases[0]))

static char top[64];
static int trees[3] = { -1, -1, -1 };

static void mk_tree(int r)
{
	int fd;
	cr_assert((fd = openat(r, "f", O_CREAT | O_WRONLY | O_CLOEXEC, 0644)) >= 0);
	cr_assert(write(fd, "data", 4) == 4);
	close(fd);
	cr_assert((fd = openat(r, "trunc_me", O_CREAT | O_WRONLY | O_CLOEXEC, 0644)) >= 0);
	cr_assert(write(fd, "data", 4) == 4);
	close(fd);
	cr_assert(mkdirat(r, "d", 0755) == 0);
	static const char *links[][2] = {
		{ "d", "ldir" }, { "/d", "labs_d" }, { "f", "rel_f" }, { "nowhere", "dang" },
		{ "/created_abs", "dang_abs" }, { "/absent", "dang_abs2" }, { "../created_rel", "d/dang_rel" },
		{ "/nodir/x", "dang_deep" }, { "newdir2/", "dang_slash" }, { "/d/../d/created_chain", "chain_new" },
		{ "../../..", "up" }, { "loopa", "dang_loop" }, { "loopb", "loopa" }, { "loopa", "loopb" },
	};
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		cr_assert(symlinkat(links[i][0], r, links[i][1]) == 0, "%s", links[i][1]);
}

static void setup(void)
{
	char p[96];
	snprintf(top, sizeof(top), "%s", scratch_dir());
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/t%d", top, i);
		cr_assert(mkdir(p, 0755) == 0);
		trees[i] = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
		cr_assert(trees[i] >= 0);
		mk_tree(trees[i]);
	}
}

static void teardown(void)
{
	for (int i = 0; i < 3; i++)
		if (trees[i] >= 0) {
			close(trees[i]);
			trees[i] = -1;
		}
	scratch_remove(top);
}

TestSuite(resolve_open, .init = setup, .fini = teardown, .timeout = 30);

static void check(const struct ocase *c, int tree, int fd, const char *route)
{
	if (c->err) {
		cr_expect(fd == -c->err, "[%s] %s: want %s, got %s", route, c->name, strerror(c->err),
		          fd < 0 ? strerror(-fd) : "an fd");
	} else {
		cr_expect(fd >= 0, "[%s] %s: want success, got %s", route, c->name, fd < 0 ? strerror(-fd) : "");
		if (fd >= 0 && c->is) {
			int w = openat(trees[tree], c->is, O_PATH | O_NOFOLLOW | O_CLOEXEC);
			cr_expect(w >= 0 && test_same_file(fd, w), "[%s] %s: not %s", route, c->name, c->is);
			if (w >= 0)
				close(w);
		}
		if (fd >= 0)
			cr_expect(fcntl(fd, F_GETFD) & FD_CLOEXEC, "[%s] %s: not O_CLOEXEC", route, c->name);
	}
	if (c->created)
		cr_expect(faccessat(trees[tree], c->created, F_OK, AT_SYMLINK_NOFOLLOW) == 0,
		          "[%s] %s: %s was not created inside the root", route, c->name, c->created);
	if (fd >= 0)
		close(fd);
}

Test(resolve_open, flags_three_ways)
{
	int refusal = openat2_refusal();
	if (refusal)
		cr_log_info("openat2 refused (%s): oracle tree not run, expectations from the table", strerror(refusal));
	for (size_t i = 0; i < NOCASES; i++) {
		const struct ocase *c = &ocases[i];
		mode_t mode = ((c->flags & O_CREAT) || (c->flags & O_TMPFILE) == O_TMPFILE) ? 0640 : 0;
		if (!refusal)
			check(c, 0, oracle_open(trees[0], c->path, c->flags, mode), "openat2");
		check(c, 1, pathward_root_open(trees[1], c->path, c->flags, mode, PATHWARD_RESOLVE_USERSPACE), "walker");
		check(c, 2, pathward_root_open(trees[2], c->path, c->flags, mode, 0), "default");
	}
}

Test(resolve_open, creat_mode_and_content_match)
{
	struct stat a, b;
	int fd = pathward_root_open(trees[1], "dang_abs", O_CREAT | O_WRONLY, 0600, PATHWARD_RESOLVE_USERSPACE);
	cr_assert(fd >= 0);
	cr_assert(write(fd, "x", 1) == 1);
	close(fd);
	cr_assert(fstatat(trees[1], "created_abs", &a, AT_SYMLINK_NOFOLLOW) == 0);
	cr_expect(S_ISREG(a.st_mode) && (a.st_mode & 0777) == (0600 & ~umask(022)) && a.st_size == 1);
	fd = pathward_root_open(trees[2], "dang_abs", O_CREAT | O_WRONLY, 0600, 0);
	cr_assert(fd >= 0);
	close(fd);
	cr_assert(fstatat(trees[2], "created_abs", &b, AT_SYMLINK_NOFOLLOW) == 0);
	cr_expect((a.st_mode & 07777) == (b.st_mode & 07777));
	/* nothing appeared at the host's /created_abs */
	cr_expect(access("/created_abs", F_OK) != 0);
}

Test(resolve_open, open2_semantics_are_normalised)
{
	/* open(2) ignores mode without O_CREAT, extra flags with O_PATH and
	 * unknown bits; openat2 would say EINVAL.  Both routes act like open(2). */
	for (int route = 0; route < 2; route++) {
		uint64_t rf = route ? PATHWARD_RESOLVE_USERSPACE : 0;
		int fd = pathward_root_open(trees[1], "f", O_RDONLY, 0777, rf);
		cr_expect(fd >= 0, "mode without O_CREAT: %s", strerror(-fd));
		if (fd >= 0)
			close(fd);
		fd = pathward_root_open(trees[1], "f", O_PATH | O_RDWR | O_TRUNC, 0, rf);
		cr_expect(fd >= 0, "O_PATH with extra flags: %s", strerror(-fd));
		if (fd >= 0) {
			struct stat st;
			cr_expect(fstat(fd, &st) == 0 && st.st_size == 4, "O_PATH must not truncate");
			close(fd);
		}
	}
}

Test(resolve_open, bad_input)
{
	char buf[16];
	int r = trees[1];
	for (int route = 0; route < 2; route++) {
		uint64_t rf = route ? PATHWARD_RESOLVE_USERSPACE : 0;
		cr_expect_eq(pathward_root_open(r, NULL, O_RDONLY, 0, rf), -EFAULT);
		cr_expect_eq(pathward_root_open(-1, "f", O_RDONLY, 0, rf), -EBADF);
		cr_expect_eq(pathward_root_open(r, "", O_RDONLY, 0, rf), -ENOENT);
		cr_expect_eq(pathward_root_open(r, "f", O_RDONLY, 0, rf | (1ULL << 40)), -EINVAL);
		cr_expect_eq(pathward_root_open(r, "f", O_RDONLY, 0, rf | PATHWARD_RESOLVE_EXCEPT_LAST), -EINVAL);
		cr_expect_eq(pathward_resolve(r, NULL, rf, buf, sizeof(buf)), -EFAULT);
		cr_expect_eq(pathward_resolve(-1, "f", rf, buf, sizeof(buf)), -EBADF);
		cr_expect_eq(pathward_resolve(r, "", rf, buf, sizeof(buf)), -ENOENT);
		cr_expect_eq(pathward_resolve(r, "f", rf, NULL, 8), -EFAULT);
		cr_expect_eq(pathward_resolve(r, "f", rf, buf, 0), -ERANGE);
		cr_expect_eq(pathward_resolve(r, "f", rf, buf, 2), -ERANGE, "\"/f\" needs 3 bytes");
		cr_expect_eq(pathward_resolve(r, "f", rf, buf, 3), 2);
		cr_expect_str_eq(buf, "/f");
		cr_expect_eq(pathward_resolve(r, "d/../d/../ldir", rf, buf, 3), 2);
		cr_expect_eq(pathward_resolve(r, "ldir/../rel_f", rf, buf, 2), -ERANGE);
		cr_expect_eq(pathward_resolve(r, "d/../d/../ldir/..", rf, buf, 2), 1, "\"/\" fits in 2");
	}
	cr_expect_eq(pathward_root_open(r, "f", O_RDONLY, 0, PATHWARD_RESOLVE_USERSPACE | PATHWARD_RESOLVE_KERNEL),
	             -EINVAL);
	/* a root that is not a directory */
	int f = openat(r, "f", O_PATH | O_CLOEXEC);
	cr_assert(f >= 0);
	cr_expect_eq(pathward_root_open(f, "x", O_RDONLY, 0, PATHWARD_RESOLVE_USERSPACE), -ENOTDIR);
	cr_expect_eq(pathward_resolve(f, "x", PATHWARD_RESOLVE_USERSPACE, buf, sizeof(buf)), -ENOTDIR);
	close(f);
}

/* The walker holds one fd per level and says so past RESOLVE_DEPTH_MAX. */
Test(resolve_open, walker_depth_bound_and_no_fd_leak)
{
	char p[400] = "";
	int before, after, fd;

	/* a 130-deep directory chain: 128 components are 127 held levels and
	 * the last name; one level more is past the bound */
	for (int i = 0; i < 130; i++) {
		strcat(p, i ? "/q" : "q");
		cr_assert(mkdirat(trees[1], p, 0755) == 0);
		if (i == 127) {
			fd = pathward_root_open(trees[1], p, O_PATH, 0, PATHWARD_RESOLVE_USERSPACE);
			cr_expect(fd >= 0, "128 components: %s", strerror(-fd));
			if (fd >= 0)
				close(fd);
		}
	}
	fd = pathward_root_open(trees[1], p, O_PATH, 0, PATHWARD_RESOLVE_USERSPACE);
	cr_expect(fd == -ENAMETOOLONG, "130 levels: the walker's documented bound, got %s", strerror(-fd));
	if (fd >= 0)
		close(fd);

	before = open("/dev/null", O_RDONLY | O_CLOEXEC);
	close(before);
	for (int i = 0; i < 200; i++) {
		char buf[PATH_MAX];
		fd = pathward_root_open(trees[1], "up/ldir/../labs_d/../f", O_RDONLY, 0, PATHWARD_RESOLVE_USERSPACE);
		if (fd >= 0)
			close(fd);
		pathward_resolve(trees[1], "dang/x", PATHWARD_RESOLVE_USERSPACE, buf, sizeof(buf));
		pathward_resolve(trees[1], "ldir/new", PATHWARD_RESOLVE_EXCEPT_LAST, buf, sizeof(buf));
		pathward_resolve(trees[1], p, PATHWARD_RESOLVE_USERSPACE, buf, sizeof(buf));
	}
	after = open("/dev/null", O_RDONLY | O_CLOEXEC);
	close(after);
	cr_expect_eq(before, after, "descriptors leaked: lowest free fd %d -> %d", before, after);
}

/* EMFILE mid-walk is an error, not a wrong answer. */
Test(resolve_open, walker_emfile)
{
	struct rlimit rl = { 8, 8 };
	cr_assert(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	int fd = pathward_root_open(trees[1], "ldir/../ldir/../ldir/../d/../d/../f", O_RDONLY, 0,
	                            PATHWARD_RESOLVE_USERSPACE);
	cr_expect(fd >= 0 || fd == -EMFILE, "got %s", strerror(-fd));
	while (dup(0) >= 0)
		; /* fill the table */
	fd = pathward_root_open(trees[1], "d/g", O_RDONLY, 0, PATHWARD_RESOLVE_USERSPACE);
	cr_expect_eq(fd, -EMFILE);
}

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

/* A nosymfollow mount inside the root: the kernel refuses to follow its
 * symlinks (ELOOP) and so must the walker, which follows them itself. */
Test(resolve_open, nosymfollow_mount_is_honoured)
{
	char m[128], buf[PATH_MAX];
	static const struct {
		const char *path;
		int flags;
		int err;
	} c[] = {
		{ "m/l", O_RDONLY, ELOOP },         { "m/l/", O_PATH | O_NOFOLLOW, ELOOP },
		{ "m/l", O_PATH | O_NOFOLLOW, 0 },  { "m/d/../l", O_PATH, ELOOP },
		{ "m/f", O_RDONLY, 0 },             { "tom", O_RDONLY, 0 }, /* a link to the mount from outside it */
		{ "m/abs/x", O_PATH, ELOOP },
	};
	int r, root;

	if (geteuid() != 0 || unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		int e = errno;
		teardown(); /* Criterion skips .fini with the test */
		cr_skip_test("no private mount namespace (%s)", geteuid() ? "not root" : strerror(e));
	}
	snprintf(m, sizeof(m), "%s/t1/m", top);
	cr_assert(mkdir(m, 0755) == 0);
	if (mount("tmpfs", m, "tmpfs", MS_NOSYMFOLLOW, "size=64k") != 0) {
		int e = errno;
		teardown();
		cr_skip_test("tmpfs with MS_NOSYMFOLLOW: %s", strerror(e));
	}
	root = open(m, O_PATH | O_DIRECTORY | O_CLOEXEC); /* after unshare: sees the mount */
	cr_assert(root >= 0);
	cr_assert(close(openat(root, "f", O_CREAT | O_WRONLY | O_CLOEXEC, 0644)) == 0);
	cr_assert(mkdirat(root, "d", 0755) == 0);
	cr_assert(symlinkat("f", root, "l") == 0);
	cr_assert(symlinkat("/", root, "abs") == 0);
	close(root);
	snprintf(m, sizeof(m), "%s/t1", top);
	root = open(m, O_PATH | O_DIRECTORY | O_CLOEXEC);
	cr_assert(symlinkat("m/f", root, "tom") == 0);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		/* openat2 refused: the expected errno stands in, -EBADF for "an fd" */
		int k = openat2_refusal() ? (c[i].err ? -c[i].err : -EBADF) : oracle_open(root, c[i].path, c[i].flags, 0);
		int w = pathward_root_open(root, c[i].path, c[i].flags, 0, PATHWARD_RESOLVE_USERSPACE);
		cr_expect(c[i].err ? k == -c[i].err : (k >= 0 || k == -EBADF), "openat2 %s: %s", c[i].path,
		          strerror(-k));
		cr_expect(c[i].err ? w == -c[i].err : w >= 0, "walker %s: %s", c[i].path, strerror(-w));
		if (k >= 0 && w >= 0)
			cr_expect(test_same_file(k, w), "%s: different objects", c[i].path);
		if (k >= 0)
			close(k);
		if (w >= 0)
			close(w);
	}
	r = pathward_resolve(root, "m/l", PATHWARD_RESOLVE_USERSPACE, buf, sizeof(buf));
	cr_expect_eq(r, -ELOOP);
	r = pathward_resolve(root, "m/l", PATHWARD_RESOLVE_USERSPACE | PATHWARD_RESOLVE_EXCEPT_LAST, buf, sizeof(buf));
	cr_expect(r > 0 && strcmp(buf, "/m/l") == 0, "except-last does not follow: %s", r < 0 ? strerror(-r) : buf);
	close(root);
	snprintf(m, sizeof(m), "%s/t1/m", top);
	/* a plain umount is synchronous: a lazy one may still pin the mount
	 * point when the scratch tree is removed */
	cr_expect(umount2(m, 0) == 0 || umount2(m, MNT_DETACH) == 0, "umount %s: %s", m, strerror(errno));
}

/* Async-signal-safety and stack use: both routes from a signal handler on
 * a small alternate stack (the walker's frame is about 5 KiB; the string
 * form adds one PATH_MAX buffer for the /proc check). */
static volatile int sig_open_rc, sig_str_rc;
static char sig_buf[PATH_MAX];

static void on_signal(int sig)
{
	(void)sig;
	int fd = pathward_root_open(trees[1], "up/ldir/../labs_d/../rel_f", O_RDONLY, 0, PATHWARD_RESOLVE_USERSPACE);
	sig_open_rc = fd;
	if (fd >= 0)
		close(fd);
	sig_str_rc = pathward_resolve(trees[1], "ldir/../labs_d", PATHWARD_RESOLVE_USERSPACE, sig_buf, sizeof(sig_buf));
}

Test(resolve_open, from_a_signal_handler_on_a_16k_altstack)
{
	static char altstack[16384];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_ONSTACK };

	cr_assert(sigaltstack(&ss, NULL) == 0);
	cr_assert(sigaction(SIGUSR1, &sa, NULL) == 0);
	sig_open_rc = sig_str_rc = -1000;
	raise(SIGUSR1);
	cr_expect(sig_open_rc >= 0, "root_open in a handler: %d", sig_open_rc);
	cr_expect(sig_str_rc == 2 && strcmp(sig_buf, "/d") == 0, "resolve in a handler: %d %s", sig_str_rc, sig_buf);
}
