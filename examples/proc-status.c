/* SPDX-License-Identifier: Apache-2.0 */
/*
 * proc-status.c - read /proc/self/status through a verified procfs handle.
 *
 *   cc -o proc-status proc-status.c $(pkg-config --cflags --libs pathward)
 *
 * An ordinary open("/proc/self/status") trusts whatever is mounted at /proc
 * and under it; pathward_proc_open() refuses an overmount (-EXDEV) and a
 * fake procfs instead of reading it.
 */
#include <fcntl.h>
#include <pathward.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char buf[4096];
	/* NULL: the library's default handle (a private procfs when it can get one). */
	int fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "status", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "proc-status: /proc/self/status: %s\n", strerror(-fd));
		return 1;
	}
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	return n < 0 ? 1 : 0;
}
