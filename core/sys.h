/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sys.h - raw system calls returning -errno.
 *
 * core/ is linked into the preload shim, which exports open, openat, statx,
 * readlinkat, ... itself.  A libc call from core would be bound to the shim's
 * own wrapper and recurse, so core reaches the kernel only through these.
 * They also keep core free of glibc version dependencies (openat2, fsopen,
 * open_tree and friends have no glibc 2.36 wrappers).  errno is clobbered by
 * syscall(3); callers in the shim restore it.
 */
#ifndef PATHWARD_SYS_H
#define PATHWARD_SYS_H

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_fsopen
#define SYS_fsopen 430
#endif
#ifndef SYS_fsconfig
#define SYS_fsconfig 431
#endif
#ifndef SYS_fsmount
#define SYS_fsmount 432
#endif
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif

/* Constants of the calls above that glibc 2.36's headers may lack (and
 * <linux/mount.h> clashes with <sys/mount.h>, so it is not included). */
#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x1000U
#endif
#ifndef STATX_MNT_ID_UNIQUE
#define STATX_MNT_ID_UNIQUE 0x4000U /* Linux 6.8 */
#endif
#ifndef FSOPEN_CLOEXEC
#define FSOPEN_CLOEXEC 0x1U
#endif
#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

/* open(2) silently drops what openat2 refuses with EINVAL: unknown bits and
 * extra flags beside O_PATH.  What open(2) keeps, for an openat2 that must
 * answer as a native open would.  0100000 is the kernel's O_LARGEFILE on x86
 * and asm-generic, which glibc defines as 0 on 64-bit (arm64's is 0400000,
 * dropped here; 0100000 is its O_NOFOLLOW, kept anyway). */
#define OPEN_FLAGS_KNOWN                                                                           \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC |     \
	 FASYNC | O_DIRECT | 0100000 | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC | \
	 O_PATH | O_TMPFILE)
#define OPEN_FLAGS_WITH_PATH (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

static inline uint64_t openat2_flags_of_open(int flags)
{
	uint64_t f = (unsigned)flags & OPEN_FLAGS_KNOWN;
	if (f & O_PATH)
		f &= OPEN_FLAGS_WITH_PATH;
	return f;
}

static inline long sys_ret(long r)
{
	return r < 0 ? -errno : r;
}

static inline int sys_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	return (int)sys_ret(syscall(SYS_openat, dirfd, path, flags, mode));
}

/* openat2 with EAGAIN retried (the kernel says EAGAIN when a rename or mount
 * raced with a RESOLVE_IN_ROOT/BENEATH walk; it is never the caller's answer). */
static inline int sys_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve)
{
	struct open_how how = { .flags = flags, .mode = mode, .resolve = resolve };
	long r;
	for (int i = 0; i < 128; i++) {
		r = sys_ret(syscall(SYS_openat2, dirfd, path, &how, sizeof(how)));
		if (r != -EAGAIN)
			break;
	}
	return (int)r;
}

static inline int sys_close(int fd)
{
	return (int)sys_ret(syscall(SYS_close, fd));
}

static inline ssize_t sys_read(int fd, void *buf, size_t n)
{
	return sys_ret(syscall(SYS_read, fd, buf, n));
}

static inline ssize_t sys_write(int fd, const void *buf, size_t n)
{
	return sys_ret(syscall(SYS_write, fd, buf, n));
}

static inline int sys_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return (int)sys_ret(syscall(SYS_newfstatat, dirfd, path, st, flags));
}

static inline int sys_fstat(int fd, struct stat *st)
{
	return (int)sys_ret(syscall(SYS_fstat, fd, st));
}

static inline int sys_fstatfs(int fd, struct statfs *sfs)
{
	return (int)sys_ret(syscall(SYS_fstatfs, fd, sfs));
}

static inline int sys_statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *stx)
{
	return (int)sys_ret(syscall(SYS_statx, dirfd, path, flags, mask, stx));
}

static inline ssize_t sys_readlinkat(int dirfd, const char *path, char *buf, size_t n)
{
	return sys_ret(syscall(SYS_readlinkat, dirfd, path, buf, n));
}

static inline int sys_faccessat2(int dirfd, const char *path, int mode, int flags)
{
	return (int)sys_ret(syscall(SYS_faccessat2, dirfd, path, mode, flags));
}

static inline int sys_fcntl(int fd, int cmd, long arg)
{
	return (int)sys_ret(syscall(SYS_fcntl, fd, cmd, arg));
}

static inline int sys_mkdirat(int dirfd, const char *path, mode_t mode)
{
	return (int)sys_ret(syscall(SYS_mkdirat, dirfd, path, mode));
}

static inline int sys_fsopen(const char *fsname, unsigned flags)
{
	return (int)sys_ret(syscall(SYS_fsopen, fsname, flags));
}

static inline int sys_fsconfig(int fd, unsigned cmd, const char *key, const void *value, int aux)
{
	return (int)sys_ret(syscall(SYS_fsconfig, fd, cmd, key, value, aux));
}

static inline int sys_fsmount(int fd, unsigned flags, unsigned attr)
{
	return (int)sys_ret(syscall(SYS_fsmount, fd, flags, attr));
}

static inline int sys_open_tree(int dirfd, const char *path, unsigned flags)
{
	return (int)sys_ret(syscall(SYS_open_tree, dirfd, path, flags));
}

static inline pid_t sys_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static inline pid_t sys_getpid(void)
{
	return (pid_t)syscall(SYS_getpid);
}

/* For the shim (appended): descriptor moves, the cwd text, and the
 * lock-free syslog datagram. */
static inline int sys_dup3(int oldfd, int newfd, int flags)
{
	return (int)sys_ret(syscall(SYS_dup3, oldfd, newfd, flags));
}

static inline int sys_getcwd(char *buf, size_t size)
{
	return (int)sys_ret(syscall(SYS_getcwd, buf, size));
}

static inline int sys_socket(int domain, int type, int protocol)
{
	return (int)sys_ret(syscall(SYS_socket, domain, type, protocol));
}

static inline int sys_connect(int fd, const void *addr, unsigned addrlen)
{
	return (int)sys_ret(syscall(SYS_connect, fd, addr, addrlen));
}

static inline ssize_t sys_send(int fd, const void *buf, size_t n)
{
	return sys_ret(syscall(SYS_sendto, fd, buf, n, 0, NULL, 0));
}

static inline int sys_sched_yield(void)
{
	return (int)sys_ret(syscall(SYS_sched_yield));
}

/* uname(2): the procfs ladder reads the kernel release once (mount API). */
static inline int sys_uname(struct utsname *u)
{
	return (int)sys_ret(syscall(SYS_uname, u));
}

#endif
