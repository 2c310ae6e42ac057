/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oracle-inroot - what a contained lookup must give: the identity of
 * openat2(rootfd, PATH, RESOLVE_IN_ROOT), or, where openat2 is refused
 * (old kernel, seccomp answering ENOSYS or EPERM), of the same lookup in a
 * child chroot()ed into ROOT (root only).  Never goes through the shim.
 *
 *   oracle-inroot [-k] ROOT PATH [nofollow]
 *
 * -k: openat2 only (tells a suite whether the kernel path is available).
 * Prints "ok id=DEV:INO mode=0MODE" or err=ENAME (errno of the lookup).
 */
#include "helper.h"

#include <linux/openat2.h>
#include <sys/wait.h>

static int report(int fd)
{
	struct stat st;
	if (fd < 0)
		return h_report_err(-fd);
	if (syscall(SYS_fstat, fd, &st) < 0)
		return h_report_err(errno);
	h_print_stat(&st);
	return 0;
}

/* One message from the child, written with a single write(2) so the
 * parent's single read gets all of it. */
struct verdict {
	int err;
	struct stat st;
};

static int via_chroot(const char *root, const char *path, int flags)
{
	struct verdict v = { .err = EIO };
	int pfd[2];
	pid_t pid;

	if (pipe(pfd) < 0)
		return h_report_err(errno);
	pid = fork();
	if (pid == 0) {
		int fd = -1;
		if (chroot(root) == 0 && chdir("/") == 0)
			fd = (int)syscall(SYS_openat, AT_FDCWD, path, flags);
		v.err = fd < 0 ? errno : 0;
		if (fd >= 0 && syscall(SYS_fstat, fd, &v.st) < 0)
			v.err = errno;
		(void)!write(pfd[1], &v, sizeof(v));
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &v, sizeof(v)) != (ssize_t)sizeof(v))
		v.err = EIO;
	waitpid(pid, NULL, 0);
	if (v.err)
		return h_report_err(v.err);
	h_print_stat(&v.st);
	return 0;
}

int main(int argc, char **argv)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	int rootfd, fd, kernel_only = 0;

	if (argc > 1 && strcmp(argv[1], "-k") == 0) {
		kernel_only = 1;
		argc--;
		argv++;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: oracle-inroot [-k] ROOT PATH [nofollow]\n");
		return 2;
	}
	if (argc > 3 && strcmp(argv[3], "nofollow") == 0)
		how.flags |= O_NOFOLLOW;
	rootfd = (int)syscall(SYS_openat, AT_FDCWD, argv[1], O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return h_report_err(errno);
	do
		fd = (int)syscall(SYS_openat2, rootfd, argv[2], &how, sizeof(how));
	while (fd < 0 && errno == EAGAIN);
	if (fd < 0 && (errno == ENOSYS || errno == EPERM) && !kernel_only)
		return via_chroot(argv[1], argv[2], (int)how.flags);
	return report(fd < 0 ? -errno : fd);
}
