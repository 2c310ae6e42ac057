/* SPDX-License-Identifier: Apache-2.0 */
/*
 * h-closeall - open(PATH) after the program closed every descriptor,
 * 0, 1 and 2 included (daemons do; Python's child does close_range(5, ~0)),
 * so no descriptor cached by the shim survives.  The result must be fd 0.
 *
 *   h-closeall [-r] OUTFILE PATH
 *
 * The line is written to OUTFILE (created), opened after the call.
 */
#include "helper.h"

int main(int argc, char **argv)
{
	char line[PATH_MAX + 256];
	struct hopts o;
	int i = h_opts(argc, argv, &o), fd, e, out;

	if (argc - i < 2) {
		fprintf(stderr, "usage: h-closeall [-r] OUTFILE PATH\n");
		return 2;
	}
	if (syscall(SYS_close_range, 0U, ~0U, 0U) < 0)
		return 3;
	fd = open(argv[i + 1], O_RDONLY);
	e = errno;
	if (fd < 0)
		snprintf(line, sizeof(line), "err=%s\n", h_errname(e));
	else
		h_fmt_fd(line, sizeof(line), fd, o.read);
	out = (int)syscall(SYS_openat, AT_FDCWD, argv[i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0)
		return 4;
	return write(out, line, strlen(line)) < 0 ? 5 : 0;
}
