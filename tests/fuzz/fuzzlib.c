/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzzlib.c - see fuzzlib.h.  Raw syscalls throughout, so the shim fuzzer
 * (which links the wrappers into the same binary) builds its fixtures
 * without going through the code under test.
 */
#include "fuzzlib.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys.h"

uint64_t fz_cases;
uint64_t fz_oracle_busy;

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

int fz_count_fds(void)
{
	char buf[4096];
	int n = 0, fd = sys_openat(AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	for (;;) {
		long r = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (r <= 0)
			break;
		for (long off = 0; off < r;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			if (d->d_name[0] != '.')
				n++;
			off += d->d_reclen;
		}
	}
	sys_close(fd);
	return n - 1; /* the directory fd itself */
}

int fz_clear_dir(int dirfd)
{
	char buf[4096];
	int fd = sys_openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	/* Deleting while reading can skip entries: repeat until a pass
	 * finds nothing to delete. */
	for (bool again = true; again;) {
		again = false;
		if (lseek(fd, 0, SEEK_SET) < 0)
			break;
		for (;;) {
			long r = syscall(SYS_getdents64, fd, buf, sizeof(buf));
			if (r <= 0)
				break;
			for (long off = 0; off < r;) {
				struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
				off += d->d_reclen;
				if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
					continue;
				again = true;
				if (syscall(SYS_unlinkat, fd, d->d_name, 0) == 0)
					continue;
				int sub = sys_openat(fd, d->d_name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
				if (sub >= 0) {
					fz_clear_dir(sub);
					sys_close(sub);
				}
				syscall(SYS_unlinkat, fd, d->d_name, AT_REMOVEDIR);
			}
		}
	}
	sys_close(fd);
	return 0;
}

int fz_make_base(char *buf, size_t size)
{
	static const char *const bases[] = { "/dev/shm", "/tmp" };
	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		snprintf(buf, size, "%s/pathward-fuzz.XXXXXX", bases[i]);
		if (!mkdtemp(buf))
			continue;
		int fd = sys_openat(AT_FDCWD, buf, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
		if (fd >= 0)
			return fd;
	}
	fprintf(stderr, "fuzzlib: cannot create a scratch directory\n");
	abort();
}

/* Names hit existing entries most of the time; "L" is NAME_MAX long and
 * "M" one longer (ENAMETOOLONG). */
static char long_name[NAME_MAX + 1], too_long_name[NAME_MAX + 2];
static char near_max[4090];

static void init_names(void)
{
	if (long_name[0])
		return;
	memset(long_name, 'L', NAME_MAX);
	memset(too_long_name, 'M', NAME_MAX + 1);
	/* "./" repeated: one of these is legal, two pass PATH_MAX. */
	for (size_t i = 0; i + 2 < sizeof(near_max); i += 2)
		memcpy(near_max + i, "./", 2);
	near_max[sizeof(near_max) - 2] = '.';
}

static const char *node_name(uint8_t b)
{
	static const char *const names[] = { "a", "b", "c", "d", "a", "b", "...", NULL };
	b %= 8;
	return names[b] ? names[b] : long_name;
}

static const char *token(uint8_t b)
{
	switch (b % 24) {
	case 0: case 1: return "a";
	case 2: case 3: return "b";
	case 4: return "c";
	case 5: return "d";
	case 6: case 7: return ".";
	case 8: case 9: case 10: return "..";
	case 11: return "";
	case 12: return long_name;
	case 13: return too_long_name;
	case 14: return "x";
	case 15: return "...";
	case 16: return near_max;
	case 17: return "a/..";
	case 18: return "..//..";
	case 19: case 20: return "a";
	case 21: return "..";
	default: return "b";
	}
}

static void append(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);
	if (*len + n >= size)
		n = size - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

/* Path grammar: [/]tok(/+tok)*[/]; the control byte picks the leading
 * slash, the trailing slash and the component count (0 gives "" or "/"). */
void fz_path_decode(struct fz_in *in, char *buf, size_t size)
{
	init_names();
	uint8_t c = fz_u8(in);
	size_t len = 0;
	unsigned ncomp = (c >> 3) % 7;
	buf[0] = '\0';
	if (c & 1)
		append(buf, size, &len, "/");
	for (unsigned i = 0; i < ncomp; i++) {
		uint8_t t = fz_u8(in);
		if (i > 0)
			append(buf, size, &len, (t & 0x80) && (t & 0x40) ? "//" : "/");
		append(buf, size, &len, token(t & 0x3f));
	}
	if (c & 2)
		append(buf, size, &len, (c & 4) ? "//" : "/");
}

void fz_layout_decode(struct fz_in *in, struct fz_layout *l)
{
	int dirs[FZ_MAX_NODES], ndirs = 0;
	init_names();
	l->n = fz_u8(in) % (FZ_MAX_NODES + 1);
	for (int i = 0; i < l->n; i++) {
		struct fz_node *nd = &l->node[i];
		uint8_t k = fz_u8(in);
		nd->kind = (enum fz_kind)(k % 3);
		nd->parent = ndirs ? ((k >> 2) % (ndirs + 1)) - 1 : -1;
		if (nd->parent >= 0)
			nd->parent = dirs[nd->parent];
		snprintf(nd->name, sizeof(nd->name), "%s", node_name(fz_u8(in)));
		nd->target[0] = '\0';
		if (nd->kind == FZ_LINK)
			fz_path_decode(in, nd->target, sizeof(nd->target));
		if (nd->kind == FZ_DIR)
			dirs[ndirs++] = i;
	}
}

void fz_layout_build(int rootfd, const struct fz_layout *l)
{
	int fds[FZ_MAX_NODES];
	for (int i = 0; i < l->n; i++) {
		const struct fz_node *nd = &l->node[i];
		int at = nd->parent < 0 ? rootfd : fds[nd->parent];
		fds[i] = -1;
		if (at < 0)
			continue;
		switch (nd->kind) {
		case FZ_DIR:
			if (sys_mkdirat(at, nd->name, 0755) == 0)
				fds[i] = sys_openat(at, nd->name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
			break;
		case FZ_FILE: {
			int fd = sys_openat(at, nd->name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
			if (fd >= 0)
				sys_close(fd);
			break;
		}
		case FZ_LINK:
			/* An empty body is refused by the kernel (ENOENT): skipped. */
			syscall(SYS_symlinkat, nd->target, at, nd->name);
			break;
		}
	}
	for (int i = 0; i < l->n; i++)
		if (fds[i] >= 0)
			sys_close(fds[i]);
}

void fz_layout_print(const struct fz_layout *l)
{
	static const char *const kinds[] = { "dir", "file", "link" };
	for (int i = 0; i < l->n; i++) {
		const struct fz_node *nd = &l->node[i];
		fprintf(stderr, "  node %d: %s parent=%d name=\"%.40s%s\"", i, kinds[nd->kind], nd->parent,
		        nd->name, strlen(nd->name) > 40 ? "..." : "");
		if (nd->kind == FZ_LINK)
			fprintf(stderr, " -> \"%.200s%s\" (%zu bytes)", nd->target,
			        strlen(nd->target) > 200 ? "..." : "", strlen(nd->target));
		fprintf(stderr, "\n");
	}
}

int fz_root_build(int basefd, struct fz_in *in, struct fz_layout *l)
{
	fz_layout_decode(in, l);
	int mk = sys_mkdirat(basefd, "r", 0755);
	if (mk < 0 && mk != -EEXIST)
		abort();
	int rootfd = sys_openat(basefd, "r", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (rootfd < 0)
		abort();
	fz_layout_build(rootfd, l);
	return rootfd;
}
