/* SPDX-License-Identifier: Apache-2.0 */
/*
 * doctor.c - `pathward doctor`: what this kernel and this /proc give.
 *
 * Every probe asks the kernel directly (a syscall, or the same library
 * calls the shim makes), so the answer holds for this machine, this mount
 * namespace and this seccomp profile, not for the kernel version in
 * general.  The verdict is about /proc: safe when it is a genuine procfs
 * of some pid namespace and everything mounted under it is a mask a
 * container runtime puts there; anything else is named and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "commands.h"
#include "doctor.h"
#include "fd.h"
#include "pathward.h"
#include "procmask.h"
#include "shimpath.h"
#include "sys.h"


static struct doctor_report report;

static void doctor_usage(FILE *f)
{
	fputs("Usage: pathward doctor [--json]\n\n"
	      "Report what this kernel and this /proc give pathward: the procfs handle\n"
	      "tier, openat2, statx mount ids, fsopen, whether /proc is genuine, every\n"
	      "mount under /proc and its class, and what LD_PRELOAD cannot reach here.\n\n"
	      "  --json      print one JSON object instead of text\n"
	      "  -h, --help  show this help\n\n"
	      "Exit status: 0 /proc is safe to use, 1 it is not (the reason is named),\n"
	      "2 usage error.\n",
	      f);
}

static void probe_syscalls(struct doctor_report *r)
{
	struct statx stx;
	int fd = sys_openat2(AT_FDCWD, "/", O_PATH | O_CLOEXEC, 0, RESOLVE_NO_MAGICLINKS);

	r->openat2_r = fd < 0 ? fd : 0;
	safe_close(fd);
	r->statx_r = sys_statx(AT_FDCWD, "/proc", AT_SYMLINK_NOFOLLOW, STATX_MNT_ID | STATX_MNT_ID_UNIQUE, &stx);
	if (r->statx_r == 0) {
		r->statx_mnt_id = stx.stx_mask & (STATX_MNT_ID | STATX_MNT_ID_UNIQUE);
		r->statx_mnt_unique = stx.stx_mask & STATX_MNT_ID_UNIQUE;
	}
	fd = sys_fsopen("proc", FSOPEN_CLOEXEC);
	r->fsopen_r = fd < 0 ? fd : 0;
	safe_close(fd);
}

static void mount_seen(const struct procmask_mount *m, enum procmask_kind k, void *ctx)
{
	struct doctor_report *r = ctx;

	if (k == PROCMASK_UNKNOWN && r->nunknown++ == 0)
		snprintf(r->reason, sizeof(r->reason), "unknown overmount on %s (%s)", m->mountpoint, m->fstype);
	if (r->nmounts == DOCTOR_MAX_MOUNTS)
		return;
	struct doctor_mount *d = &r->mounts[r->nmounts++];
	snprintf(d->mountpoint, sizeof(d->mountpoint), "%s", m->mountpoint);
	snprintf(d->fstype, sizeof(d->fstype), "%s", m->fstype);
	snprintf(d->source, sizeof(d->source), "%s", m->source);
	d->ro = m->ro;
	d->kind = k;
}

/* The process's own /proc: genuine?  Which pid namespace?  What is on it? */
static void probe_proc(struct doctor_report *r)
{
	r->def_r = pathward_proc_handle_open(&r->def, PATHWARD_PROC_DEFAULT);
	r->unmasked_r = pathward_proc_handle_open(&r->unmasked, PATHWARD_PROC_UNMASKED);
	r->own_r = pathward_proc_handle_open(&r->own, PATHWARD_PROC_OWN_VIEW);
	if (r->own_r < 0) {
		snprintf(r->reason, sizeof(r->reason), "/proc is not a genuine procfs root (%s: %s)",
		         cli_errno_name(-r->own_r), strerror(-r->own_r));
		r->mounts_r = r->own_r;
		return;
	}
	r->mounts_r = procmask_list(r->own.fd, mount_seen, r);
	if (r->mounts_r < 0 && !r->reason[0])
		snprintf(r->reason, sizeof(r->reason), "cannot read the mount table through /proc (%s: %s)",
		         cli_errno_name(-r->mounts_r), strerror(-r->mounts_r));
}

/* Small integer sysctl through the verified handle; -errno when unreadable. */
static int read_sysctl_int(const char *subpath)
{
	char buf[32];
	_cleanup_close_ int fd = pathward_proc_open(NULL, PATHWARD_PROC_ROOT, subpath, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fd;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return n < 0 ? -errno : -ENODATA;
	buf[n] = '\0';
	return atoi(buf);
}

/*
 * Is the shim mapped into this process (`pathward run -- pathward doctor`,
 * or /etc/ld.so.preload)?  Scan self/maps for a path ending in SHIM_NAME;
 * a line cut by the buffer is carried over to the next read.
 */
static void probe_shim_loaded(char *out, size_t size)
{
	char buf[8192];
	size_t have = 0;
	_cleanup_close_ int fd = pathward_proc_open(NULL, PATHWARD_PROC_SELF, "maps", O_RDONLY | O_CLOEXEC);

	while (fd >= 0) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n <= 0)
			return;
		have += (size_t)n;
		buf[have] = '\0';
		char *line = buf, *nl;
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			char *path = strchr(line, '/');
			size_t len = path ? strlen(path) : 0;
			if (len > strlen(SHIM_NAME) && strcmp(path + len - strlen(SHIM_NAME), SHIM_NAME) == 0 &&
			    path[len - strlen(SHIM_NAME) - 1] == '/') {
				snprintf(out, size, "%s", path);
				return;
			}
			line = nl + 1;
		}
		have = strlen(line);
		if (have == sizeof(buf) - 1)
			have = 0; /* a line longer than the buffer: not a path we look for */
		memmove(buf, line, have);
	}
}

/* What LD_PRELOAD cannot reach on this machine, where it can be told. */
static void probe_preload(struct doctor_report *r)
{
	char buf[4096];

	r->io_uring_disabled = read_sysctl_int("sys/kernel/io_uring_disabled");
	r->secure_exec = getauxval(AT_SECURE) != 0;
	probe_shim_loaded(r->shim_loaded, sizeof(r->shim_loaded));
	_cleanup_close_ int fd = open("/etc/ld.so.preload", O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		r->ld_so_preload_r = -errno;
		return;
	}
	r->ld_so_preload_r = 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		r->ld_so_preload_ours = strstr(buf, SHIM_NAME) != NULL;
	}
}

int cmd_doctor(int argc, char **argv)
{
	bool json = false;
	struct utsname u;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			doctor_usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "pathward: doctor: unexpected argument '%s' (try 'pathward doctor --help')\n",
			        argv[i]);
			return EXIT_USAGE;
		}
	}

	struct doctor_report *r = &report;
	if (uname(&u) == 0)
		snprintf(r->kernel, sizeof(r->kernel), "%s %s (%s)", u.sysname, u.release, u.machine);
	probe_syscalls(r);
	probe_proc(r);
	probe_preload(r);
	r->safe = r->reason[0] == '\0';

	if (json)
		report_json(r);
	else
		report_text(r);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "pathward: doctor: writing the report: %s\n", strerror(errno));
		return 1;
	}
	pathward_proc_handle_close(r->own_r == 0 ? &r->own : NULL);
	pathward_proc_handle_close(r->def_r == 0 ? &r->def : NULL);
	pathward_proc_handle_close(r->unmasked_r == 0 ? &r->unmasked : NULL);
	if (!r->safe) {
		fprintf(stderr, "pathward: doctor: /proc is not safe to use: %s\n", r->reason);
		return 1;
	}
	return 0;
}
