/* SPDX-License-Identifier: Apache-2.0 */
/*
 * enosys - run a command with chosen syscalls failing, as an old kernel or a
 * container runtime's seccomp profile would make them fail (libpathrs's
 * fake-enosys, runc#4984).  No test-only switch lives in production code:
 * the library sees exactly what it would see on such a system.
 *
 *   enosys [-e ENOSYS|EPERM] -s openat2,statx,fsopen,open_tree -- CMD [ARG]...
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys.h"

#if defined(__x86_64__)
#define PW_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define PW_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "enosys: add this architecture's AUDIT_ARCH"
#endif

static const struct {
	const char *name;
	int nr;
} known[] = {
	{ "openat2", SYS_openat2 },   { "statx", SYS_statx },
	{ "fsopen", SYS_fsopen },     { "fsconfig", SYS_fsconfig },
	{ "fsmount", SYS_fsmount },   { "open_tree", SYS_open_tree },
	{ "faccessat2", SYS_faccessat2 },
	/* the shim's last-slot helper thread (a sandbox that refuses threads);
	 * the program run must not fork, and neither can enosys after the
	 * filter: it execs CMD directly */
	{ "clone", SYS_clone },       { "clone3", SYS_clone3 },
};

static int lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i].name, name) == 0)
			return known[i].nr;
	return -1;
}

static void usage(void)
{
	fprintf(stderr, "usage: enosys [-e ENOSYS|EPERM] -s SYSCALL[,SYSCALL]... -- CMD [ARG]...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int err = ENOSYS, nrs[16], n = 0, opt;
	char *list = NULL;

	while ((opt = getopt(argc, argv, "+e:s:")) != -1) {
		if (opt == 'e' && strcmp(optarg, "ENOSYS") == 0)
			err = ENOSYS;
		else if (opt == 'e' && strcmp(optarg, "EPERM") == 0)
			err = EPERM;
		else if (opt == 's')
			list = optarg;
		else
			usage();
	}
	if (!list || optind >= argc)
		usage();
	for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int nr = lookup(tok);
		if (nr < 0 || n == 16) {
			fprintf(stderr, "enosys: unknown syscall '%s'\n", tok);
			return 2;
		}
		nrs[n++] = nr;
	}

	struct sock_filter f[4 + 2 * 16 + 1];
	int k = 0;
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PW_AUDIT_ARCH, 1, 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (int i = 0; i < n; i++) {
		f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nrs[i], 0, 1);
		f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned)err);
	}
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = (unsigned short)k, .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("enosys: seccomp");
		return 1;
	}
	execvp(argv[optind], argv + optind);
	fprintf(stderr, "enosys: %s: %s\n", argv[optind], strerror(errno));
	return 127;
}
