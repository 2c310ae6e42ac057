/* SPDX-License-Identifier: Apache-2.0 */
/*
 * h-stat - one call of the stat family.
 *
 *   h-stat [-C DIR] [-d DIR] FUNC PATH [AT_FLAGS]
 *
 * FUNC: stat stat64 lstat lstat64 fstatat fstatat64 statx, and the
 * pre-2.33 entry points __xstat __xstat64 __lxstat __lxstat64 __fxstatat
 * __fxstatat64 (bound to their GLIBC_2.2.5 versions with .symver, as an
 * old binary would be).  AT_FLAGS for the dirfd forms: "nofollow",
 * "empty", "nofollow,empty" or "0".
 * Prints "ok id=DEV:INO mode=0MODE" (statx adds mnt=ID when the kernel
 * returns one) or err=ENAME.
 */
#include "helper.h"

#include <sys/types.h>

int __xstat(int ver, const char *path, struct stat *st);
int __xstat64(int ver, const char *path, struct stat64 *st);
int __lxstat(int ver, const char *path, struct stat *st);
int __lxstat64(int ver, const char *path, struct stat64 *st);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags);
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags);
__asm__(".symver __xstat,__xstat@GLIBC_2.2.5");
__asm__(".symver __xstat64,__xstat64@GLIBC_2.2.5");
__asm__(".symver __lxstat,__lxstat@GLIBC_2.2.5");
__asm__(".symver __lxstat64,__lxstat64@GLIBC_2.2.5");
__asm__(".symver __fxstatat,__fxstatat@GLIBC_2.4");
__asm__(".symver __fxstatat64,__fxstatat64@GLIBC_2.4");

#define VER 1 /* _STAT_VER_LINUX on x86_64 */

static int at_flags(const char *s)
{
	int f = 0;
	if (strstr(s, "nofollow"))
		f |= AT_SYMLINK_NOFOLLOW;
	if (strstr(s, "empty"))
		f |= AT_EMPTY_PATH;
	return f;
}

static int do_statx(int dfd, const char *p, int fl)
{
	struct statx sx;
	int r;

	errno = 0;
	r = statx(dfd, p, fl, STATX_BASIC_STATS | STATX_MNT_ID, &sx);
	if (r < 0)
		return h_report_err(errno);
	if (errno)
		printf("errno-changed=%s ", h_errname(errno));
	printf("ok id=%u:%u:%llu mode=0%o", sx.stx_dev_major, sx.stx_dev_minor, (unsigned long long)sx.stx_ino,
	       (unsigned)sx.stx_mode);
	if (sx.stx_mask & STATX_MNT_ID)
		printf(" mnt=%llu", (unsigned long long)sx.stx_mnt_id);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct hopts o;
	int i = h_opts(argc, argv, &o), r, fl;
	struct stat st;
	struct stat64 st64;
	const char *fn, *p;
	int is64 = 0;

	if (argc - i < 2) {
		fprintf(stderr, "usage: h-stat [-C DIR] [-d DIR] FUNC PATH [AT_FLAGS]\n");
		return 2;
	}
	fn = argv[i];
	p = argv[i + 1];
	fl = argc - i > 2 ? at_flags(argv[i + 2]) : 0;
	h_setup(&o);
	if (strcmp(fn, "statx") == 0)
		return do_statx(o.dirfd, p, fl);
	errno = 0;
	if (strcmp(fn, "stat") == 0)
		r = stat(p, &st);
	else if (strcmp(fn, "lstat") == 0)
		r = lstat(p, &st);
	else if (strcmp(fn, "fstatat") == 0)
		r = fstatat(o.dirfd, p, &st, fl);
	else if (strcmp(fn, "__xstat") == 0)
		r = __xstat(VER, p, &st);
	else if (strcmp(fn, "__lxstat") == 0)
		r = __lxstat(VER, p, &st);
	else if (strcmp(fn, "__fxstatat") == 0)
		r = __fxstatat(VER, o.dirfd, p, &st, fl);
	else {
		is64 = 1;
		if (strcmp(fn, "stat64") == 0)
			r = stat64(p, &st64);
		else if (strcmp(fn, "lstat64") == 0)
			r = lstat64(p, &st64);
		else if (strcmp(fn, "fstatat64") == 0)
			r = fstatat64(o.dirfd, p, &st64, fl);
		else if (strcmp(fn, "__xstat64") == 0)
			r = __xstat64(VER, p, &st64);
		else if (strcmp(fn, "__lxstat64") == 0)
			r = __lxstat64(VER, p, &st64);
		else if (strcmp(fn, "__fxstatat64") == 0)
			r = __fxstatat64(VER, o.dirfd, p, &st64, fl);
		else {
			fprintf(stderr, "h-stat: unknown function %s\n", fn);
			return 2;
		}
	}
	if (r < 0)
		return h_report_err(errno);
	if (errno)
		printf("errno-changed=%s ", h_errname(errno));
	if (is64) {
		/* x86_64: struct stat64 has the layout of struct stat. */
		memcpy(&st, &st64, sizeof(st));
	}
	h_print_stat(&st);
	return 0;
}
