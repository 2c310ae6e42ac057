/* SPDX-License-Identifier: Apache-2.0 */
/*
 * doctor.h - what `pathward doctor` found (cli/doctor.c probes it,
 * cli/report.c prints it as text or JSON).
 */
#ifndef PATHWARD_CLI_DOCTOR_H
#define PATHWARD_CLI_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pathward.h"
#include "procmask.h"

#define DOCTOR_MAX_MOUNTS 256

struct doctor_mount {
	char mountpoint[PATH_MAX];
	char fstype[64];
	char source[256];
	bool ro;
	enum procmask_kind kind;
};

/* Every int result is 0 (or >= 0) for yes, -errno for no and why. */
struct doctor_report {
	char kernel[256];
	int def_r, unmasked_r;              /* pathward_proc_handle_open(DEFAULT/UNMASKED) */
	pathward_proc_handle_t def, unmasked;
	int own_r;                          /* OWN_VIEW: /proc is genuine */
	pathward_proc_handle_t own;
	int openat2_r;
	int statx_r;                        /* statx on /proc itself */
	bool statx_mnt_id, statx_mnt_unique;
	int fsopen_r;
	int mounts_r;                       /* procmask_list: count or -errno */
	size_t nmounts;                     /* kept (at most DOCTOR_MAX_MOUNTS) */
	struct doctor_mount mounts[DOCTOR_MAX_MOUNTS];
	size_t nunknown;
	int io_uring_disabled;              /* sysctl value, -errno when unreadable */
	int ld_so_preload_r;                /* 0 present, -ENOENT absent */
	bool ld_so_preload_ours;            /* it names pathward-preload.so */
	bool secure_exec;                   /* this process runs with AT_SECURE */
	char shim_loaded[PATH_MAX];         /* the shim mapped in this process ("" if not) */
	bool safe;
	char reason[PATH_MAX + 128];        /* why not safe ("" when safe) */
};

/* A human name for a mount's class ("read-only self-bind", ...). */
const char *doctor_kind_text(const struct doctor_mount *m);

void report_text(const struct doctor_report *r);
void report_json(const struct doctor_report *r);

#endif
