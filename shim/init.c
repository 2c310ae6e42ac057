/* SPDX-License-Identifier: Apache-2.0 */
/*
 * init.c - one atomic once-initialisation: real pointers, then the policy
 * snapshot (read once, never re-read: clearenv/setenv later change nothing),
 * then the starting cwd's class - one getcwd for both; which roots are
 * symlinked is left to their first use (at.c).
 *
 * It runs from the constructor or from the first wrapper called, whichever
 * comes first (another library's constructor can call fopen before ours
 * runs: libselinux does).  The thread that wins the compare-and-swap does
 * the work with shim_busy set, so anything it re-enters (dlsym allocating,
 * a malloc that reads a file) passes straight through; other threads wait
 * for READY.  Gap: a fork() by another thread in the middle of the
 * initialisation leaves the child waiting forever (no thread finishes it).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/auxv.h>

#include "shim.h"
#include "sys.h"

_Atomic int shim_state;
struct policy shim_policy;
__thread int shim_busy __attribute__((tls_model("initial-exec")));

/* Diagnostics are kept until the state is READY, then logged once. */
static struct policy_diag diags[POLICY_MAX_DIAGS];
static int ndiags;

/* The starting directory: relative roots are taken against it, and its
 * class is the first cwd hint (at.c keeps pointing at it). */
static char cwd[PATH_MAX];

static void policy_load(void)
{
	const char *roots = NULL, *proc = NULL, *mode = NULL, *log = NULL;

	/* Secure-execution mode (set-uid, file capabilities, AT_SECURE): the
	 * environment belongs to someone else; read nothing of it. */
	if (getauxval(AT_SECURE) == 0) {
		roots = secure_getenv("PATHWARD_ROOTS");
		proc = secure_getenv("PATHWARD_PROC");
		mode = secure_getenv("PATHWARD_MODE");
		log = secure_getenv("PATHWARD_LOG");
	}
	if (sys_getcwd(cwd, sizeof(cwd)) < 0 || cwd[0] != '/')
		cwd[0] = '\0';
	ndiags = policy_parse(&shim_policy, roots, proc, mode, log, cwd[0] ? cwd : NULL, diags, POLICY_MAX_DIAGS);
}

static void report_diags(void)
{
	char text[512];
	for (int i = 0; i < ndiags && i < POLICY_MAX_DIAGS; i++) {
		if (policy_diag_format(&diags[i], text, sizeof(text)) > 0)
			shim_log_note(text);
	}
}

void shim_init(void)
{
	int expect = SHIM_UNINIT;

	if (atomic_load_explicit(&shim_state, memory_order_acquire) == SHIM_READY)
		return;
	if (atomic_compare_exchange_strong(&shim_state, &expect, SHIM_INITIALISING)) {
		int saved = errno; /* the first wrapper call must not see errno move */
		shim_busy++;
		shim_real_resolve();
		policy_load();
		shim_cwd_start(cwd[0] ? cwd : NULL);
		shim_busy--;
		atomic_store_explicit(&shim_state, SHIM_READY, memory_order_release);
		report_diags();
		errno = saved;
		return;
	}
	if (shim_busy)
		return; /* our own initialisation, re-entered: caller passes through */
	int saved = errno;
	while (atomic_load_explicit(&shim_state, memory_order_acquire) != SHIM_READY)
		sys_sched_yield();
	errno = saved;
}

__attribute__((constructor)) static void shim_ctor(void)
{
	shim_init();
}
