/* SPDX-License-Identifier: Apache-2.0 */
/*
 * st-longrel - a relative path too long to join to its directory's name.
 * The shim contains a relative path by joining it to the verified name of
 * its dirfd or cwd (PATH_MAX at most); a path that is itself shorter than
 * PATH_MAX but too long for that join used to go to the native call, where
 * a symlink to an absolute path leaves the root.
 *
 *   st-longrel ROOT OTHER     (ROOT/esc and OTHER/esc: symlinks to a file
 *                              outside that reads "OUT\n"; OTHER is under
 *                              no root)
 * Without the shim (STRESS_EXPECT_SHIM unset) every open reaches "OUT":
 * the attack works.  With it, the ROOT cases must fail with ENAMETOOLONG,
 * and the OTHER cases (nothing to contain) must still reach "OUT".
 */
#include <limits.h>
#include <stdbool.h>

#include "stress.h"

static char rel[PATH_MAX];

/* "././.../esc", as long as PATH_MAX allows. */
static void build_rel(void)
{
	size_t n = 0;
	while (n + 2 + sizeof("esc") < sizeof(rel) - 2) {
		rel[n++] = '.';
		rel[n++] = '/';
	}
	memcpy(rel + n, "esc", sizeof("esc"));
}

static void one(const char *what, const char *dir, bool via_cwd, bool contained, bool shimmed)
{
	char old[PATH_MAX], b[16] = "";
	int dfd = AT_FDCWD;

	if (via_cwd) {
		if (!getcwd(old, sizeof(old)) || chdir(dir) != 0) {
			stress_fail("%s: chdir %s: %s", what, dir, strerror(errno));
			return;
		}
	} else if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		stress_fail("%s: open %s: %s", what, dir, strerror(errno));
		return;
	}
	errno = 0;
	int fd = openat(dfd, rel, O_RDONLY | O_CLOEXEC);
	int err = errno;
	if (fd >= 0) {
		ssize_t n = read(fd, b, sizeof(b) - 1);
		b[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	bool out = fd >= 0 && !strcmp(b, "OUT\n");
	if (shimmed && contained) {
		if (fd >= 0 || err != ENAMETOOLONG)
			stress_fail("%s: want ENAMETOOLONG, got fd %d (%s)%s", what, fd, strerror(err),
			            out ? ": ESCAPED" : "");
	} else if (!out) {
		stress_fail("%s: want the file outside, got fd %d (%s)", what, fd, strerror(err));
	}
	if (via_cwd) {
		if (chdir(old) != 0)
			stress_fail("chdir back: %s", strerror(errno));
	} else {
		close(dfd);
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: st-longrel ROOT OTHER\n");
		return 2;
	}
	const char *e = getenv("STRESS_EXPECT_SHIM");
	bool shimmed = e && !strcmp(e, "1");
	if (strlen(argv[1]) < 2 || strlen(argv[2]) < 2) {
		fprintf(stderr, "st-longrel: ROOT and OTHER must not be /\n");
		return 2;
	}
	build_rel();
	one("openat(ROOT fd, long)", argv[1], false, true, shimmed);
	one("openat(AT_FDCWD in ROOT, long)", argv[1], true, true, shimmed);
	one("openat(OTHER fd, long)", argv[2], false, false, shimmed);
	one("openat(AT_FDCWD in OTHER, long)", argv[2], true, false, shimmed);
	char what[96];
	snprintf(what, sizeof(what), "st-longrel: %zu-byte relative paths (%s)", strlen(rel),
	         shimmed ? "shim" : "plain");
	return stress_done(what);
}
