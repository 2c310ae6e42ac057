/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exe.c - tell the person when the shim cannot reach the program.
 *
 * The check only warns: pathward still execs, because refusing would
 * break a legitimate `pathward run -- sudo ...` wrapper, and the program
 * is no less safe than without pathward.  It reads the file the way the
 * kernel will see it (ELF header and program headers), not its name.
 */
#include "exe.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fd.h"

static bool exe_candidate(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int exe_locate(const char *cmd, char *out, size_t size)
{
	if (strchr(cmd, '/')) {
		if (strlen(cmd) >= size)
			return -ENAMETOOLONG;
		strcpy(out, cmd);
		return 0;
	}
	/* glibc's execvp default when PATH is unset (confstr _CS_PATH). */
	const char *path = getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin";
	for (const char *p = path;;) {
		size_t n = strcspn(p, ":");
		int len = snprintf(out, size, "%.*s%s%s", (int)n, n ? p : ".", "/", cmd);
		if (len > 0 && (size_t)len < size && exe_candidate(out))
			return 0;
		if (!p[n])
			break;
		p += n + 1;
	}
	return -ENOENT;
}

/* Does the ELF at fd have a PT_INTERP program header?  -1: not ELF (a
 * script: its interpreter is what runs, and that is normally dynamic). */
static int elf_has_interp(int fd)
{
	unsigned char ident[EI_NIDENT];
	if (pread(fd, ident, sizeof(ident), 0) != (ssize_t)sizeof(ident) || memcmp(ident, ELFMAG, SELFMAG) != 0)
		return -1;

	bool is64 = ident[EI_CLASS] == ELFCLASS64;
	Elf64_Ehdr e64;
	Elf32_Ehdr e32;
	off_t phoff;
	size_t phnum, phentsize;
	if (is64) {
		if (pread(fd, &e64, sizeof(e64), 0) != (ssize_t)sizeof(e64))
			return -1;
		phoff = (off_t)e64.e_phoff, phnum = e64.e_phnum, phentsize = e64.e_phentsize;
	} else {
		if (pread(fd, &e32, sizeof(e32), 0) != (ssize_t)sizeof(e32))
			return -1;
		phoff = (off_t)e32.e_phoff, phnum = e32.e_phnum, phentsize = e32.e_phentsize;
	}
	if (phentsize < (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)))
		return -1;
	/* A native-endian reader is enough: a foreign-endian binary does not run here. */
	for (size_t i = 0; i < phnum && i < 4096; i++) {
		uint32_t type;
		if (pread(fd, &type, sizeof(type), phoff + (off_t)(i * phentsize)) != (ssize_t)sizeof(type))
			return -1;
		if (type == PT_INTERP)
			return 1;
	}
	return 0;
}

unsigned exe_uncovered(const char *path)
{
	unsigned why = 0;
	struct stat st;
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	if (elf_has_interp(fd) == 0)
		why |= EXE_STATIC;
	/* The kernel sets AT_SECURE only when the ids actually change. */
	if (((st.st_mode & S_ISUID) && st.st_uid != geteuid()) || ((st.st_mode & S_ISGID) && st.st_gid != getegid()))
		why |= EXE_SETID;
	if (geteuid() != 0 && fgetxattr(fd, "security.capability", NULL, 0) > 0)
		why |= EXE_FCAPS;
	return why;
}

void exe_warn_uncovered(const char *cmd)
{
	char path[PATH_MAX];

	if (exe_locate(cmd, path, sizeof(path)) < 0)
		return;
	unsigned why = exe_uncovered(path);
	if (!why)
		return;
	fprintf(stderr, "pathward: run: warning: %s is %s; LD_PRELOAD cannot reach it, so pathward does not protect it\n",
	        path,
	        why & EXE_STATIC ? "statically linked"
	        : why & EXE_SETID ? "set-uid or set-gid"
	                          : "given file capabilities");
}
