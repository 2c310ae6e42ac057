/* SPDX-License-Identifier: Apache-2.0 */
/*
 * real.c - the next definition of every wrapped name, resolved once and
 * eagerly (from the atomic once-init), so no wrapper ever calls dlsym on
 * its own path (dlsym takes loader locks and may allocate: unsafe in signal
 * handlers and vfork children).
 *
 * dlsym is pinned to its oldest version: glibc 2.34 moved it into libc as
 * dlsym@GLIBC_2.34, and a shim needing that version does not even load on
 * an older libc (shim.md §3.20, measured: fatal, not fail-open).  The old
 * version still exists in libc 2.34+ as a compat symbol, and in libdl.so.2
 * before.  The file the reference is bound to is the build's: libdl.so.2
 * when built on glibc < 2.34 (runs on 2.17+), libc.so.6 when built on 2.34+
 * (runs on 2.34+ only: mk/shim.mk says why libdl cannot help there).
 *
 * A NULL pointer is tolerated everywhere: "stat" and friends are not
 * exported by glibc < 2.33 (they lived in libc_nonshared.a and called
 * __xstat), statx by glibc < 2.28; the wrappers then fall back to raw
 * syscalls.
 */
#include <dlfcn.h>

#include "shim.h"

#if defined(__x86_64__)
__asm__(".symver shim_dlsym_compat, dlsym@GLIBC_2.2.5");
extern void *shim_dlsym_compat(void *handle, const char *name);
#define SHIM_DLSYM shim_dlsym_compat
#elif defined(__aarch64__)
__asm__(".symver shim_dlsym_compat, dlsym@GLIBC_2.17");
extern void *shim_dlsym_compat(void *handle, const char *name);
#define SHIM_DLSYM shim_dlsym_compat
#else
#define SHIM_DLSYM dlsym
#endif

struct shim_real shim_real;

#define NEXT(field, name) (*(void **)&shim_real.field = SHIM_DLSYM(RTLD_NEXT, name))

void shim_real_resolve(void)
{
	/* Most used first: if dlsym's allocations re-enter a wrapper, the
	 * busy flag sends it to these (or to raw syscalls while NULL). */
	NEXT(open, "open");
	NEXT(open64, "open64");
	NEXT(openat, "openat");
	NEXT(openat64, "openat64");
	NEXT(readlink, "readlink");
	NEXT(stat, "stat");
	NEXT(open_2, "__open_2");
	NEXT(open64_2, "__open64_2");
	NEXT(creat, "creat");
	NEXT(creat64, "creat64");
	NEXT(openat_2, "__openat_2");
	NEXT(openat64_2, "__openat64_2");
	NEXT(fopen, "fopen");
	NEXT(fopen64, "fopen64");
	NEXT(freopen, "freopen");
	NEXT(freopen64, "freopen64");
	NEXT(opendir, "opendir");
	NEXT(stat64, "stat64");
	NEXT(lstat, "lstat");
	NEXT(lstat64, "lstat64");
	NEXT(fstatat, "fstatat");
	NEXT(fstatat64, "fstatat64");
	NEXT(xstat, "__xstat");
	NEXT(xstat64, "__xstat64");
	NEXT(lxstat, "__lxstat");
	NEXT(lxstat64, "__lxstat64");
	NEXT(fxstatat, "__fxstatat");
	NEXT(fxstatat64, "__fxstatat64");
	NEXT(statx, "statx");
	NEXT(access, "access");
	NEXT(faccessat, "faccessat");
	NEXT(eaccess, "eaccess");
	NEXT(euidaccess, "euidaccess");
	NEXT(readlinkat, "readlinkat");
	NEXT(readlink_chk, "__readlink_chk");
	NEXT(readlinkat_chk, "__readlinkat_chk");
	NEXT(realpath, "realpath");
	NEXT(realpath_chk, "__realpath_chk");
	NEXT(canonicalize_file_name, "canonicalize_file_name");
	NEXT(chdir, "chdir");
	NEXT(fchdir, "fchdir");
}
