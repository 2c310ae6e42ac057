/* SPDX-License-Identifier: Apache-2.0 */
/*
 * asan-defaults.c - preloaded in front of the ASan runtime by the shim
 * suites under `make asan-test` (mk/sanitize.mk builds it into
 * $(ASAN_BUILD)/tests/shim/asan-defaults.so and lists it first in
 * PATHWARD_ASAN_PRELOAD).  It defines no libc name, so the runtime still
 * interposes malloc and the rest ahead of libc; it only answers two
 * questions the preloaded runtime (gcc 12's libasan.so.8) asks at start-up:
 *
 * __asan_default_options: a preloaded runtime reads ASAN_OPTIONS from
 *   /proc/self/environ only (no getenv fallback), so under an overmounted
 *   /proc (attack.bats A4, A7, A8) or a cleared environment it would run
 *   with LeakSanitizer on and the link-order check on.  The runtime calls
 *   this hook through its PLT; its own weak definition loses only to one
 *   found earlier in the lookup order, hence first in LD_PRELOAD (and
 *   verify_asan_link_order=0 among the options).  ASAN_OPTIONS, where it
 *   can be read, still overrides these.
 *
 * swift_demangle: the runtime looks it up with dlsym at start-up and calls
 *   dlerror() when it is missing; dlerror translates its message under
 *   glibc's gettext lock.  When the runtime's first call comes from a
 *   library constructor that already holds that lock (libgpg-error's
 *   bindtextdomain, pulled in by libsystemd: ps, top, pgrep), the lock is
 *   corrupted and the program hangs in main's textdomain() (the
 *   corpus.bats lines 21-23; llvm-project issue 49223).  Found here, the
 *   lookup succeeds and dlerror has nothing to translate.  Returning NULL
 *   means "not a Swift name": the runtime then demangles as C++.
 */
#include <stddef.h>
#include <stdint.h>

#ifndef PW_ASAN_OPTIONS
#error "build with -DPW_ASAN_OPTIONS='\"...\"' (mk/sanitize.mk)"
#endif

const char *__asan_default_options(void);
char *swift_demangle(const char *name, size_t name_len, char *out, size_t *out_len, uint32_t flags);

const char *__asan_default_options(void)
{
	return PW_ASAN_OPTIONS;
}

char *swift_demangle(const char *name, size_t name_len, char *out, size_t *out_len, uint32_t flags)
{
	(void)name;
	(void)name_len;
	(void)out;
	(void)out_len;
	(void)flags;
	return NULL;
}
