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
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>

#include "resolve.h"
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
	/* a 4001-byte body: with LONG_REST_PATH's rest it does not fit in the
	 * walker's PATH_MAX buffer, so the walk moves to its larger one */
	char body[4002];
	memset(body, '/', 4000);
	strcpy(body + 4000, "d");
	cr_assert(symlinkat(body, r, "lbody_d") == 0);
}

/* "lbody_d" + 3000 slashes + "../f": resolves to /f. */
static const char *long_rest_path(void)
{
	static char p[3012];
	if (!p[0]) {
		memcpy(p, "lbody_d", 7);
		memset(p + 7, '/', 3000);
		strcpy(p + 3007, "../f");
	}
	return p;
}

/* VmSize in KiB: the walker's larger buffer (168 KiB) must be unmapped. */
static long vm_size_kib(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[128];
	long kib = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmSize: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
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
	long vm = vm_size_kib();
	for (int i = 0; i < 200; i++) {
		char buf[PATH_MAX];
		fd = pathward_root_open(trees[1], "up/ldir/../labs_d/../f", O_RDONLY, 0, PATHWARD_RESOLVE_USERSPACE);
		if (fd >= 0)
			close(fd);
		pathward_resolve(trees[1], "dang/x", PATHWARD_RESOLVE_USERSPACE, buf, sizeof(buf));
		pathward_resolve(trees[1], "ldir/new", PATHWARD_RESOLVE_EXCEPT_LAST, buf, sizeof(buf));
		pathward_resolve(trees[1], p, PATHWARD_RESOLVE_USERSPACE, buf, sizeof(buf));
		fd = pathward_root_open(trees[1], long_rest_path(), O_RDONLY, 0, PATHWARD_RESOLVE_USERSPACE);
		cr_assert(fd >= 0, "long body, long rest: %s", strerror(-fd));
		close(fd);
		cr_assert(pathward_resolve(trees[1], long_rest_path(), PATHWARD_RESOLVE_USERSPACE, buf, sizeof(buf)) == 2);
	}
	after = open("/dev/null", O_RDONLY | O_CLOEXEC);
	close(after);
	cr_expect_eq(before, after, "descriptors leaked: lowest free fd %d -> %d", before, after);
	/* 400 walks through the larger buffer: a leak would be 400 x 168 KiB */
	cr_expect(vm_size_kib() - vm < 4096, "address space grew %ld KiB over 400 long walks", vm_size_kib() - vm);
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
static volatile int sig_open_rc, sig_str_rc, sig_long_rc;
static char sig_buf[PATH_MAX];

static void on_signal(int sig)
{
	(void)sig;
	int fd = pathward_root_open(trees[1], "up/ldir/../labs_d/../rel_f", O_RDONLY, 0, PATHWARD_RESOLVE_USERSPACE);
	sig_open_rc = fd;
	if (fd >= 0)
		close(fd);
	sig_str_rc = pathward_resolve(trees[1], "ldir/../labs_d", PATHWARD_RESOLVE_USERSPACE, sig_buf, sizeof(sig_buf));
	/* and one that needs the walker's larger buffer (mmap, munmap) */
	fd = pathward_root_open(trees[1], long_rest_path(), O_RDONLY, 0, PATHWARD_RESOLVE_USERSPACE);
	sig_long_rc = fd;
	if (fd >= 0)
		close(fd);
}

Test(resolve_open, from_a_signal_handler_on_a_16k_altstack)
{
	static char altstack[16384];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_ONSTACK };

	cr_assert(sigaltstack(&ss, NULL) == 0);
	cr_assert(sigaction(SIGUSR1, &sa, NULL) == 0);
	sig_open_rc = sig_str_rc = sig_long_rc = -1000;
	raise(SIGUSR1);
	cr_expect(sig_open_rc >= 0, "root_open in a handler: %d", sig_open_rc);
	cr_expect(sig_long_rc >= 0, "root_open of a long body in a handler: %d", sig_long_rc);
	cr_expect(sig_str_rc == 2 && strcmp(sig_buf, "/d") == 0, "resolve in a handler: %d %s", sig_str_rc, sig_buf);
}

/* ---- F4: the fd's status flags are the caller's, on every route --------- */


static const struct fcase {
	const char *path;
	int flags;
	const char *plain; /* the same entry for a plain openat, NULL = path */
} fcases[] = {
	{ "f", O_RDONLY, NULL },
	{ "f", O_RDWR | O_APPEND, NULL },
	{ "f", O_WRONLY | O_NONBLOCK, NULL },
	{ "d", O_RDONLY | O_DIRECTORY, NULL },
	{ "d", O_RDONLY, NULL },
	{ "f", O_PATH, NULL },
	{ "f", O_NOFOLLOW | O_PATH, NULL },
	{ "d", O_PATH, NULL },
	{ "d", O_NOFOLLOW | O_PATH | O_DIRECTORY, NULL },
	{ "rel_f", O_RDONLY, NULL },          /* followed symlink, relative body */
	{ "labs_d/../f", O_RDWR, "f" }, /* absolute body, then ".." */
	{ "ldir", O_RDONLY | O_DIRECTORY, NULL },
	{ "rel_f", O_PATH, NULL },
	{ "rel_f", O_PATH | O_NOFOLLOW, NULL }, /* the link itself */
	{ "f", O_RDONLY | O_NOFOLLOW, NULL },
	{ "f", O_CREAT | O_WRONLY, NULL },    /* existing: not created */
	{ "f", O_RDWR | O_TRUNC | O_SYNC, NULL },
	{ "f", O_RDONLY | O_NOATIME, NULL },
};

/*
 * Finding F4: without openat2 the walker used to open the last component
 * with O_NOFOLLOW added, which F_GETFL showed.  The shim's entry point
 * (resolve_root_open_exact) must not: for each case the walker's
 * fd (and the default route's, which is the walker under the enosys reruns)
 * must show the same status flags as a plain openat of the same entry and
 * as openat2(RESOLVE_IN_ROOT) when it is allowed, and be the same inode.
 */
Test(resolve_open, walker_status_flags_are_the_callers)
{
	int refusal = openat2_refusal();
	for (size_t i = 0; i < sizeof(fcases) / sizeof(fcases[0]); i++) {
		const struct fcase *c = &fcases[i];
		int ref = openat(trees[1], c->plain ? c->plain : c->path, c->flags | O_CLOEXEC, 0644);
		cr_assert(ref >= 0, "plain openat %s %#o: %s", c->path, c->flags, strerror(errno));
		int want = test_status_flags(ref);
		for (int route = 0; route < 3; route++) {
			int fd;
			if (route == 2 && refusal)
				continue;
			if (route == 2)
				fd = oracle_open(trees[1], c->path, c->flags, (c->flags & O_CREAT) ? 0644 : 0);
			else
				fd = resolve_root_open_exact(trees[1], c->path, c->flags, 0644,
				                             route ? 0 : PATHWARD_RESOLVE_USERSPACE);
			const char *rn = route == 0 ? "walker" : route == 1 ? "default" : "openat2";
			cr_assert(fd >= 0, "[%s] %s %#o: %s", rn, c->path, c->flags, strerror(-fd));
			cr_expect_eq(test_status_flags(fd), want, "[%s] %s %#o: F_GETFL %#o, native %#o", rn, c->path,
			             c->flags, test_status_flags(fd), want);
			cr_expect(test_same_file(fd, ref), "[%s] %s: a different file", rn, c->path);
			close(fd);
		}
		close(ref);
	}
}

/* Created files: O_CREAT on a missing name (the walker creates it with
 * O_EXCL added, which F_GETFL does not show), O_CREAT|O_EXCL (the kernel
 * implies O_NOFOLLOW without showing it), through a dangling symlink, and
 * O_TMPFILE.  Each compared with a plain open creating a twin. */
Test(resolve_open, created_files_show_the_callers_flags)
{
	static const struct {
		const char *walk, *plain;
		int flags;
	} c[] = {
		{ "new_w1", "new_p1", O_CREAT | O_WRONLY },
		{ "new_w2", "new_p2", O_CREAT | O_EXCL | O_RDWR | O_APPEND },
		{ "new_w3", "new_p3", O_CREAT | O_WRONLY | O_NONBLOCK | O_TRUNC },
		{ "dang_abs", "created_p4", O_CREAT | O_WRONLY }, /* dangling /created_abs */
		{ "d", "d", O_TMPFILE | O_RDWR },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int ref = openat(trees[1], c[i].plain, c[i].flags | O_CLOEXEC, 0640);
		cr_assert(ref >= 0, "plain %s: %s", c[i].plain, strerror(errno));
		int fd = pathward_root_open(trees[1], c[i].walk, c[i].flags, 0640, PATHWARD_RESOLVE_USERSPACE);
		cr_assert(fd >= 0, "walker %s %#o: %s", c[i].walk, c[i].flags, strerror(-fd));
		cr_expect_eq(test_status_flags(fd), test_status_flags(ref), "%s %#o: F_GETFL %#o, native %#o",
		             c[i].walk, c[i].flags, test_status_flags(fd), test_status_flags(ref));
		close(fd);
		close(ref);
	}
	cr_expect(faccessat(trees[1], "created_abs", F_OK, AT_SYMLINK_NOFOLLOW) == 0);
	/* O_CREAT without O_EXCL on a name that exists still opens it */
	int fd = pathward_root_open(trees[1], "new_w1", O_CREAT | O_RDONLY, 0640, PATHWARD_RESOLVE_USERSPACE);
	cr_expect(fd >= 0, "existing O_CREAT: %s", strerror(-fd));
	if (fd >= 0)
		close(fd);
}

/* Without a usable /proc the walker still answers (O_NOFOLLOW then shows,
 * the documented fallback) and never fails for it. */
Test(resolve_open, walker_without_proc_still_opens)
{
	if (geteuid() != 0 || unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		int e = errno;
		teardown(); /* Criterion skips .fini with the test */
		cr_skip_test("no private mount namespace (%s)", geteuid() ? "not root" : strerror(e));
	}
	cr_assert(mount("tmpfs", "/proc", "tmpfs", 0, "size=16k") == 0, "tmpfs over /proc: %s", strerror(errno));
	int ref = openat(trees[1], "f", O_RDWR | O_CLOEXEC);
	cr_assert(ref >= 0);
	int fd = pathward_root_open(trees[1], "rel_f", O_RDWR, 0, PATHWARD_RESOLVE_USERSPACE);
	cr_assert(fd >= 0, "walker without /proc: %s", strerror(-fd));
	cr_expect(test_same_file(fd, ref));
	cr_expect_eq(test_status_flags(fd) & ~O_NOFOLLOW, test_status_flags(ref));
	close(fd);
	close(ref);
}

/*
 * The final component is swapped between a regular file and a symlink
 * whose body is the host path of a file outside the root.  Followed by the
 * kernel, that body escapes (the control); the walker either opens the
 * inside file or follows the body inside the root (where it names nothing:
 * ENOENT), never the outside file.  Bounded by iterations.
 */
struct swap_arg {
	int dirfd;
	atomic_bool stop;
};

static void *swap_last(void *p)
{
	struct swap_arg *a = p;
	while (!atomic_load_explicit(&a->stop, memory_order_relaxed))
		if (syscall(SYS_renameat2, a->dirfd, "victim", a->dirfd, "swap", RENAME_EXCHANGE) < 0)
			break;
	return NULL;
}

Test(resolve_open, swapped_in_symlink_is_never_followed_outside)
{
	char outside[128];
	struct stat out, in;
	struct swap_arg a = { .dirfd = trees[1] };
	long n = test_quick() ? 2000 : 5000, escapes = 0, inside = 0, control = 0;
	static const int fl[] = { O_RDONLY, O_RDWR | O_APPEND, O_PATH, O_WRONLY | O_NONBLOCK };
	pthread_t th;

	snprintf(outside, sizeof(outside), "%s/outside", top);
	cr_assert(close(open(outside, O_CREAT | O_WRONLY | O_CLOEXEC, 0644)) == 0);
	cr_assert(stat(outside, &out) == 0);
	cr_assert(close(openat(trees[1], "victim", O_CREAT | O_WRONLY | O_CLOEXEC, 0644)) == 0);
	cr_assert(fstatat(trees[1], "victim", &in, 0) == 0);
	cr_assert(symlinkat(outside, trees[1], "swap") == 0);
	/* control: the kernel, following the symlink itself, lands outside */
	int c = openat(trees[1], "swap", O_RDONLY | O_CLOEXEC);
	cr_assert(c >= 0 && fstat(c, &in) == 0 && in.st_ino == out.st_ino && in.st_dev == out.st_dev,
	          "control: the symlink does not lead outside");
	close(c);
	cr_assert(fstatat(trees[1], "victim", &in, 0) == 0);

	cr_assert(pthread_create(&th, NULL, swap_last, &a) == 0);
	/* At least n walks, and on until the control has shown the race (the
	 * swapper may not be scheduled at once on a loaded machine); capped. */
	long i;
	for (i = 0; i < n || (control == 0 && i < 400000); i++) {
		struct stat st;
		int fd = pathward_root_open(trees[1], "victim", fl[i % 4], 0, PATHWARD_RESOLVE_USERSPACE);
		if (fd >= 0) {
			cr_assert(fstat(fd, &st) == 0);
			if (st.st_dev == out.st_dev && st.st_ino == out.st_ino)
				escapes++;
			else if (st.st_dev == in.st_dev && st.st_ino == in.st_ino)
				inside++;
			close(fd);
		} else {
			cr_expect(fd == -ENOENT || fd == -EAGAIN, "unexpected %s", strerror(-fd));
		}
		/* control in the same race: the kernel following the name */
		fd = openat(trees[1], "victim", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (fstat(fd, &st) == 0 && st.st_dev == out.st_dev && st.st_ino == out.st_ino)
				control++;
			close(fd);
		}
	}
	atomic_store(&a.stop, true);
	pthread_join(th, NULL);
	cr_log_info("swap race: %ld walks, %ld inside, %ld escapes; control escaped %ld times", i, inside, escapes,
	            control);
	cr_assert(control > 0, "the control never reached the outside file: the race is not exercised");
	cr_assert(inside > 0, "the walker never opened the inside file");
	cr_assert_eq(escapes, 0, "the walker followed the swapped-in symlink outside %ld times", escapes);
}
