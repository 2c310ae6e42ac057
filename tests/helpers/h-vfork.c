/* SPDX-License-Identifier: Apache-2.0 */
/*
 * h-vfork - open(PATH) from a vfork child (as Python's subprocess does
 * before exec): the child shares the parent's memory, so a wrapper that
 * allocates, locks or caches there corrupts the parent.
 *
 *   h-vfork [-r] PATH
 *
 * The child formats its line into the parent's buffer with no stdio and
 * _exits; the parent then opens PATH itself and prints both lines:
 *   child: ok fd=...
 *   parent: ok fd=...
 */
#include "helper.h"

#include <sys/wait.h>

int main(int argc, char **argv)
{
	static char child_line[PATH_MAX + 256];
	struct hopts o;
	int i = h_opts(argc, argv, &o), st, fd;
	pid_t pid;

	if (argc - i < 1) {
		fprintf(stderr, "usage: h-vfork [-r] PATH\n");
		return 2;
	}
	snprintf(child_line, sizeof(child_line), "no-child-result\n");
	pid = vfork();
	if (pid == 0) {
		int cfd = open(argv[i], O_RDONLY);
		if (cfd < 0)
			snprintf(child_line, sizeof(child_line), "err=%s\n", h_errname(errno));
		else
			h_fmt_fd(child_line, sizeof(child_line), cfd, o.read);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("vfork child failed\n");
		return 1;
	}
	printf("child: %s", child_line);
	fd = open(argv[i], O_RDONLY);
	printf("parent: ");
	return h_report_fd(fd, errno, o.read);
}
