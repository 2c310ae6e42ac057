/* SPDX-License-Identifier: Apache-2.0 */
/*
 * procmask.h - container runtime masks under /proc (DESIGN §2 "Masks and
 * container layouts").
 *
 * Inside a runc/Docker container /proc carries a read-only self-bind of
 * /proc/sys (and bus, fs, irq, sysrq-trigger), /dev/null binds over kcore,
 * keys, timer_list, sched_debug, ... and empty read-only tmpfs over acpi,
 * scsi, ...  Those hide; they never substitute content, so an ordinary read
 * through them must behave exactly as without pathward, and a mask must never
 * be bypassed.  Anything else mounted under /proc is an attack.
 */
#ifndef PATHWARD_PROCMASK_H
#define PATHWARD_PROCMASK_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum procmask_kind {
	PROCMASK_NONE = 0,       /* not under /proc, or the /proc mount itself  */
	PROCMASK_DEVNULL,        /* /dev/null (char 1:3) bound over a file      */
	PROCMASK_EMPTY_TMPFS,    /* read-only tmpfs over a directory            */
	PROCMASK_SELF_BIND,      /* procfs bind of the same path (ro: readonly) */
	PROCMASK_UNKNOWN,        /* anything else: an overmount, refused        */
};

/* One line of /proc/<pid>/mountinfo, unescaped (\040 etc.). */
struct procmask_mount {
	uint64_t mnt_id;
	uint64_t parent_id;        /* field 2: the mount this one sits on */
	unsigned dev_major, dev_minor;
	char root[PATH_MAX];       /* path of the mount's root within its fs */
	char mountpoint[PATH_MAX];
	char fstype[64];
	char source[256];
	bool ro;                   /* per-mount "ro" option */
};

/*
 * Parse one mountinfo line of len bytes (a trailing newline is allowed; no
 * NUL needed, none allowed).  Pure, never reads past len.  Octal escapes
 * (\040 \011 \012 \134) are undone.  root and mountpoint must fit
 * (PATH_MAX - 1); fstype and source are cut to fit (never compared against
 * anything that long).  Super options are optional.  0 or -EINVAL.
 */
int procmask_parse_line(const char *line, size_t len, struct procmask_mount *m);

/* Classify m as a mount under the procfs mounted at proc_mountpoint
 * (normally "/proc"; trailing slashes ignored) by the rule at the top of
 * procmask.c.  Pure, by shape only: what mountinfo cannot show (char 1:3,
 * emptiness, same procfs instance) procmask_open/list check on the object. */
enum procmask_kind procmask_classify(const struct procmask_mount *m, const char *proc_mountpoint);

/* Short name of a kind: "none", "devnull-mask", "tmpfs-mask", "self-bind", "overmount". */
const char *procmask_kind_name(enum procmask_kind k);

/*
 * The slow path after proc_open_beneath() said -EXDEV: open subpath beneath
 * the verified own /proc fd when every mount crossed on the way is a
 * recognised mask, pinning each crossing by mount id (read from the
 * process's mountinfo through the verified route) so a concurrent mount is
 * caught.  Returns an fd (flags honoured exactly as open(2) would: nothing
 * added, O_CLOEXEC only when asked), or -EXDEV (an unknown overmount: the
 * attack case; also an absolute path or "..", a symlink met on the way, or
 * the mountinfo route itself overmounted), -EROFS (a write through a mask:
 * refused), or the errno the native open gives behind the mask (ENOENT
 * inside an empty tmpfs mask, ENOTDIR below a /dev/null mask, ...).  When
 * no mount is crossed any more, it is proc_open_beneath()'s answer.
 * About 14 KiB of stack (plus proc_open_beneath's), no heap; procfd is
 * borrowed.
 */
int procmask_open(int procfd, const char *subpath, int flags, mode_t mode);

/*
 * For `pathward doctor`: call fn for every mount at or under the mount of
 * procfd in the thread's mount table (mountinfo order), with its kind: NONE
 * for that /proc mount (and one it covers), UNKNOWN for anything stacked on
 * it.  A mask is confirmed on the object as procmask_open() does (char 1:3,
 * empty read-only tmpfs, same procfs instance); when that fails it is
 * listed as UNKNOWN.  Returns the number of calls or -errno (-EXDEV: the
 * mountinfo route is overmounted or /proc is not in the table).  Lines that
 * do not parse are skipped.
 */
int procmask_list(int procfd, void (*fn)(const struct procmask_mount *m, enum procmask_kind k, void *ctx),
                  void *ctx);

#endif
