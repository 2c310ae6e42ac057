/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exe.h - will LD_PRELOAD reach this program?  (DESIGN §6)
 *
 * ld.so is what loads the shim, so a program without an ELF interpreter
 * (static, PT_INTERP absent) never sees it, and a program the kernel runs
 * in secure-execution mode (set-uid, set-gid, file capabilities) has
 * LD_PRELOAD ignored or restricted to system directories.
 */
#ifndef PATHWARD_CLI_EXE_H
#define PATHWARD_CLI_EXE_H

#include <stddef.h>

/* Reasons, as bits. */
#define EXE_STATIC 0x1u /* an ELF without PT_INTERP */
#define EXE_SETID  0x2u /* set-uid/set-gid to someone else */
#define EXE_FCAPS  0x4u /* file capabilities, for a non-root caller */

/* Find cmd the way execvp does (PATH search when it has no '/'), writing the
 * path to out.  0, or -ENOENT when no executable regular file matches. */
int exe_locate(const char *cmd, char *out, size_t size);

/* The EXE_* bits that apply to the file at path (0 when covered, or when it
 * cannot be read: exec will report that). */
unsigned exe_uncovered(const char *path);

/* Print one stderr warning when cmd (as execvp will find it) is out of
 * the shim's reach. */
void exe_warn_uncovered(const char *cmd);

#endif
