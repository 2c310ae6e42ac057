/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.c - print a doctor_report for a person (aligned "key: value"
 * lines) or for a program (one JSON object, keys stable: scripts rely on
 * them).  Pure formatting: every fact was gathered by doctor.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "doctor.h"

const char *doctor_kind_text(const struct doctor_mount *m)
{
	switch (m->kind) {
	case PROCMASK_NONE:
		return "the /proc mount";
	case PROCMASK_DEVNULL:
		return "recognised runtime mask (/dev/null)";
	case PROCMASK_EMPTY_TMPFS:
		return "recognised runtime mask (empty read-only tmpfs)";
	case PROCMASK_SELF_BIND:
		return m->ro ? "recognised read-only self-bind" : "recognised self-bind";
	case PROCMASK_UNKNOWN:
		return "UNKNOWN OVERMOUNT";
	}
	return "?";
}

/* "yes" or "no (ENOSYS: Function not implemented)" */
static const char *yes_no(int r, char *buf, size_t size)
{
	if (r >= 0)
		return "yes";
	snprintf(buf, size, "no (%s: %s)", cli_errno_name(-r), strerror(-r));
	return buf;
}

static void flags_text(unsigned f, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s%s", f & PATHWARD_PROC_F_SUBSET ? ", subset=pid" : "",
	         f & PATHWARD_PROC_F_DETACHED ? ", detached" : "", f & PATHWARD_PROC_F_CACHED ? ", cached" : "",
	         f & PATHWARD_PROC_F_OWN_PIDNS ? ", own pid namespace" : ", another pid namespace",
	         f & PATHWARD_PROC_F_MNT_UNIQUE ? ", unique mount id" : "");
}

static void handle_text(const char *label, int r, const pathward_proc_handle_t *h)
{
	char buf[160];

	if (r < 0) {
		printf("%-22s %s\n", label, yes_no(r, buf, sizeof(buf)));
		return;
	}
	flags_text(h->flags, buf, sizeof(buf));
	printf("%-22s %s (mount %llu%s)\n", label, pathward_proc_tier_name(h->tier), (unsigned long long)h->mnt_id,
	       buf);
}

void report_text(const struct doctor_report *r)
{
	char buf[160];

	printf("%-22s %s\n", "kernel:", r->kernel);
	handle_text("handle (default):", r->def_r, &r->def);
	handle_text("handle (unmasked):", r->unmasked_r, &r->unmasked);
	printf("%-22s %s\n", "openat2:", yes_no(r->openat2_r, buf, sizeof(buf)));
	printf("%-22s %s\n", "statx mount ids:",
	       r->statx_r < 0    ? yes_no(r->statx_r, buf, sizeof(buf))
	       : r->statx_mnt_unique ? "yes (unique, STATX_MNT_ID_UNIQUE)"
	       : r->statx_mnt_id     ? "yes (reusable, STATX_MNT_ID)"
	                             : "no (fdinfo fallback)");
	printf("%-22s %s\n", "fsopen(\"proc\"):", yes_no(r->fsopen_r, buf, sizeof(buf)));
	if (r->own_r < 0)
		printf("%-22s NOT a genuine procfs root (%s)\n", "/proc:", cli_errno_name(-r->own_r));
	else
		printf("%-22s genuine procfs, %s pid namespace\n", "/proc:",
		       r->own.flags & PATHWARD_PROC_F_OWN_PIDNS ? "our" : "ANOTHER");

	printf("mounts at or under /proc:");
	if (r->mounts_r < 0)
		printf(" unknown (%s)\n", cli_errno_name(-r->mounts_r));
	else
		printf(" %d\n", r->mounts_r);
	for (size_t i = 0; i < r->nmounts; i++) {
		const struct doctor_mount *m = &r->mounts[i];
		printf("  %-32s %-9s %-3s %s\n", m->mountpoint, m->fstype, m->ro ? "ro" : "rw", doctor_kind_text(m));
	}
	if ((size_t)(r->mounts_r > 0 ? r->mounts_r : 0) > r->nmounts)
		printf("  ... %zu more not shown\n", (size_t)r->mounts_r - r->nmounts);

	puts("LD_PRELOAD cannot reach:");
	puts("  static binaries, set-uid/set-gid and file-capability programs,");
	puts("  raw system calls (Go, io_uring), programs started with a scrubbed environment");
	if (r->io_uring_disabled >= 0)
		printf("%-22s %s (kernel.io_uring_disabled=%d)\n", "io_uring:",
		       r->io_uring_disabled == 0   ? "open to every program"
		       : r->io_uring_disabled == 1 ? "limited to io_uring_group"
		                                   : "disabled",
		       r->io_uring_disabled);
	printf("%-22s %s\n", "/etc/ld.so.preload:",
	       r->ld_so_preload_r == -ENOENT ? "absent"
	       : r->ld_so_preload_r < 0      ? yes_no(r->ld_so_preload_r, buf, sizeof(buf))
	       : r->ld_so_preload_ours       ? "present, lists pathward-preload.so"
	                                     : "present, does not list pathward");
	printf("%-22s %s\n", "shim in this process:", r->shim_loaded[0] ? r->shim_loaded : "not loaded");
	if (r->secure_exec)
		printf("%-22s yes: the shim reads no policy from the environment here\n", "secure execution:");
	printf("%-22s %s%s\n", "verdict:", r->safe ? "/proc is safe to use" : "NOT SAFE: ", r->reason);
}

/* JSON string: quote, backslash and control bytes escaped; other bytes kept. */
static void json_str(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

/* "error": null or "ENOSYS" */
static void json_err(int r)
{
	if (r >= 0)
		fputs("null", stdout);
	else
		json_str(cli_errno_name(-r));
}

static void handle_json(const char *key, int r, const pathward_proc_handle_t *h)
{
	printf("\"%s\":{\"ok\":%s,\"error\":", key, r >= 0 ? "true" : "false");
	json_err(r);
	if (r >= 0) {
		printf(",\"tier\":");
		json_str(pathward_proc_tier_name(h->tier));
		printf(",\"mnt_id\":%llu,\"subset\":%s,\"detached\":%s,\"own_pidns\":%s,\"mnt_id_unique\":%s",
		       (unsigned long long)h->mnt_id, h->flags & PATHWARD_PROC_F_SUBSET ? "true" : "false",
		       h->flags & PATHWARD_PROC_F_DETACHED ? "true" : "false",
		       h->flags & PATHWARD_PROC_F_OWN_PIDNS ? "true" : "false",
		       h->flags & PATHWARD_PROC_F_MNT_UNIQUE ? "true" : "false");
	}
	putchar('}');
}

static void mounts_json(const struct doctor_report *r)
{
	printf("\"mounts\":[");
	for (size_t i = 0; i < r->nmounts; i++) {
		const struct doctor_mount *m = &r->mounts[i];
		printf("%s{\"mountpoint\":", i ? "," : "");
		json_str(m->mountpoint);
		printf(",\"fstype\":");
		json_str(m->fstype);
		printf(",\"source\":");
		json_str(m->source);
		printf(",\"ro\":%s,\"kind\":", m->ro ? "true" : "false");
		json_str(procmask_kind_name(m->kind));
		printf(",\"recognised\":%s}", m->kind == PROCMASK_UNKNOWN ? "false" : "true");
	}
	printf("],\"mounts_error\":");
	json_err(r->mounts_r);
}

void report_json(const struct doctor_report *r)
{
	printf("{\"version\":\"%s\",\"kernel\":", PATHWARD_VERSION);
	json_str(r->kernel);
	printf(",\"handle\":{");
	handle_json("default", r->def_r, &r->def);
	putchar(',');
	handle_json("unmasked", r->unmasked_r, &r->unmasked);
	printf("},\"openat2\":{\"ok\":%s,\"error\":", r->openat2_r >= 0 ? "true" : "false");
	json_err(r->openat2_r);
	printf("},\"statx_mnt_id\":%s,\"statx_mnt_id_unique\":%s,\"fsopen\":{\"ok\":%s,\"error\":",
	       r->statx_mnt_id ? "true" : "false", r->statx_mnt_unique ? "true" : "false",
	       r->fsopen_r >= 0 ? "true" : "false");
	json_err(r->fsopen_r);
	printf("},\"proc\":{\"genuine\":%s,\"own_pidns\":%s,\"error\":", r->own_r >= 0 ? "true" : "false",
	       r->own_r >= 0 && (r->own.flags & PATHWARD_PROC_F_OWN_PIDNS) ? "true" : "false");
	json_err(r->own_r);
	printf("},");
	mounts_json(r);
	printf(",\"preload\":{\"uncovered\":[\"static\",\"setid\",\"fcaps\",\"raw-syscalls\",\"scrubbed-env\"],"
	       "\"io_uring_disabled\":");
	if (r->io_uring_disabled >= 0)
		printf("%d", r->io_uring_disabled);
	else
		fputs("null", stdout);
	printf(",\"shim_loaded\":");
	if (r->shim_loaded[0])
		json_str(r->shim_loaded);
	else
		fputs("null", stdout);
	printf(",\"ld_so_preload\":%s,\"ld_so_preload_pathward\":%s,\"secure_execution\":%s}",
	       r->ld_so_preload_r == 0 ? "true" : "false", r->ld_so_preload_ours ? "true" : "false",
	       r->secure_exec ? "true" : "false");
	printf(",\"safe\":%s,\"reason\":", r->safe ? "true" : "false");
	if (r->safe)
		fputs("null", stdout);
	else
		json_str(r->reason);
	puts("}");
}
