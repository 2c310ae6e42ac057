/* SPDX-License-Identifier: Apache-2.0 */
/*
 * st-closeall - a daemon-style program that closes every descriptor
 * (0, 1 and 2 included) and then calls the wrappers: the shim must not
 * depend on any descriptor it opened earlier, must hand out the lowest
 * numbers (0, 1, 2, ...) and must hold nothing between calls (a listing
 * of /proc/self/fd shows only the listing's own descriptor).  With no
 * stdout to print to, failures are written to REPORT at the end.
 *
 *   st-closeall ROOT REPORT [ROUNDS]    (ROOT holds t0 with "t0\n", l0 -> t0)
 */
#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>

#include "stress.h"

static char msgs[8192];
static size_t msglen;
static int bad;

#define EXPECT(c, ...)                                                                     \
	do {                                                                               \
		if (!(c)) {                                                                \
			bad++;                                                             \
			if (msglen < sizeof(msgs) - 256)                                   \
				msglen += (size_t)snprintf(msgs + msglen, sizeof(msgs) - msglen, \
				                           __VA_ARGS__);                  \
		}                                                                          \
	} while (0)

static void close_everything(void)
{
	if (syscall(SYS_close_range, 0, ~0U, 0) != 0)
		for (int fd = 0; fd < 1024; fd++)
			syscall(SYS_close, fd);
}

static void round_once(const char *root, long r)
{
	char buf[4096], path[PATH_MAX];
	close_everything();

	int fd = open("/proc/self/stat", O_RDONLY);
	EXPECT(fd == 0, "round %ld: open /proc/self/stat gave %d (%s), want 0\n", r, fd, strerror(errno));
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	EXPECT(n > 0 && strtol(buf, NULL, 10) == (long)getpid(), "round %ld: /proc/self/stat content wrong\n", r);

	snprintf(path, sizeof(path), "%s/t0", root);
	fd = open(path, O_RDONLY);
	EXPECT(fd == 1, "round %ld: open %s gave %d (%s), want 1\n", r, path, fd, strerror(errno));
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	EXPECT(n == 3 && !memcmp(buf, "t0\n", 3), "round %ld: %s content wrong\n", r, path);

	FILE *f = fopen("/proc/self/status", "r");
	EXPECT(f && fileno(f) == 2, "round %ld: fopen /proc/self/status gave fd %d (%s), want 2\n", r,
	       f ? fileno(f) : -1, strerror(errno));
	if (f)
		fclose(f);

	struct stat st;
	snprintf(path, sizeof(path), "%s/l0", root);
	EXPECT(stat(path, &st) == 0 && st.st_size == 3, "round %ld: stat %s failed\n", r, path);
	n = readlink("/proc/self/fd/0", buf, sizeof(buf) - 1);
	EXPECT(n > 0 && (buf[n] = '\0', !strcmp(buf, "/proc/self/stat") || strstr(buf, "/stat")),
	       "round %ld: readlink /proc/self/fd/0 = %s\n", r, n > 0 ? buf : strerror(errno));
	EXPECT(access("/proc/self/exe", F_OK) == 0, "round %ld: access /proc/self/exe failed\n", r);

	/* Nothing but what the program opened itself. */
	close_everything();
	DIR *d = opendir("/proc/self/fd");
	EXPECT(d != NULL, "round %ld: opendir /proc/self/fd: %s\n", r, strerror(errno));
	if (!d)
		return;
	char seen[256] = "";
	size_t sl = 0;
	struct dirent *e;
	int others = 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d)) {
			others++;
			sl += (size_t)snprintf(seen + sl, sizeof(seen) - sl, " %s", e->d_name);
		}
	EXPECT(dirfd(d) == 0, "round %ld: opendir got fd %d, want 0\n", r, dirfd(d));
	EXPECT(others == 0, "round %ld: descriptors open that the program did not open:%s\n", r, seen);
	closedir(d);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: st-closeall ROOT REPORT [ROUNDS]\n");
		return 2;
	}
	long rounds = stress_iters(argc > 3 ? atol(argv[3]) : 200);
	for (long r = 0; r < rounds; r++)
		round_once(argv[1], r);
	close_everything();
	int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 3;
	if (bad == 0)
		msglen = (size_t)snprintf(msgs, sizeof(msgs), "ok st-closeall: %ld rounds\n", rounds);
	if (write(fd, msgs, msglen) < 0)
		return 3;
	close(fd);
	return bad ? 1 : 0;
}
