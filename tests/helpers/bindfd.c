/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bindfd - bind-mount SRC over DST through O_PATH|O_NOFOLLOW descriptors,
 * so either may be a symlink (procfs.md §4 "fd trick"): mount(8) would
 * follow both.  Test set-up only, run inside a private mount namespace and
 * never under the shim.
 *
 *   bindfd SRC DST
 *
 * Exit 0, or 1 with "bindfd: SRC -> DST: ENAME" on stderr.
 */
#include "helper.h"

#include <sys/mount.h>

int main(int argc, char **argv)
{
	char s[64], d[64];
	int sfd, dfd;

	if (argc != 3) {
		fprintf(stderr, "usage: bindfd SRC DST\n");
		return 2;
	}
	sfd = (int)syscall(SYS_openat, AT_FDCWD, argv[1], O_PATH | O_NOFOLLOW | O_CLOEXEC);
	dfd = (int)syscall(SYS_openat, AT_FDCWD, argv[2], O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (sfd < 0 || dfd < 0) {
		fprintf(stderr, "bindfd: %s -> %s: open %s\n", argv[1], argv[2], h_errname(errno));
		return 1;
	}
	snprintf(s, sizeof(s), "/proc/self/fd/%d", sfd);
	snprintf(d, sizeof(d), "/proc/self/fd/%d", dfd);
	if (syscall(SYS_mount, s, d, NULL, MS_BIND, NULL) < 0) {
		fprintf(stderr, "bindfd: %s -> %s: %s\n", argv[1], argv[2], h_errname(errno));
		return 1;
	}
	return 0;
}
