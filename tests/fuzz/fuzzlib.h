/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzzlib.h - shared pieces of the fuzz targets: a byte reader that never
 * fails (an exhausted input reads as zeros, so every input is valid), a
 * structure-aware tree and path generator, descriptor counting and the
 * case counter the standalone driver reports.
 *
 * Test code: it may use libc, but it reaches the kernel through raw
 * syscalls where the shim fuzzer would otherwise interpose on itself.
 */
#ifndef PATHWARD_FUZZLIB_H
#define PATHWARD_FUZZLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../kernel-settle.h" /* KERNEL_SETTLE: openat2's unstable ELOOP */

struct fz_in {
	const uint8_t *p;
	size_t n;
};

static inline bool fz_left(const struct fz_in *in)
{
	return in->n > 0;
}

static inline uint8_t fz_u8(struct fz_in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

/* Compared cases so far (targets add one per comparison they make). */
extern uint64_t fz_cases;
/* Cases skipped because the oracle (openat2) kept answering EAGAIN. */
extern uint64_t fz_oracle_busy;

/* How many descriptors the process has open, read with raw getdents64. */
int fz_count_fds(void);

/* Remove everything below dirfd (not dirfd itself).  Returns 0 or -errno. */
int fz_clear_dir(int dirfd);

/* A fresh directory under /dev/shm (tmpfs), or /tmp; path written to buf.
 * Returns an O_PATH|O_DIRECTORY fd on it; aborts when nothing works. */
int fz_make_base(char *buf, size_t size);

/*
 * Layouts.  A layout is at most FZ_MAX_NODES directories, files and
 * symlinks below a root, named from a tiny alphabet so that generated
 * paths and symlink bodies hit existing names most of the time.  Symlink
 * bodies are generated paths: absolute or relative, with "..", ".",
 * doubled and trailing slashes, long and too-long names, loops.
 */
#define FZ_MAX_NODES 14
#define FZ_PATH_MAX 8192

enum fz_kind { FZ_DIR, FZ_FILE, FZ_LINK };

struct fz_node {
	enum fz_kind kind;
	int parent; /* index of a FZ_DIR node, -1 for the root */
	char name[300];
	char target[FZ_PATH_MAX];
};

struct fz_layout {
	int n;
	struct fz_node node[FZ_MAX_NODES];
};

/* Decode a layout from the input. */
void fz_layout_decode(struct fz_in *in, struct fz_layout *l);

/* Create it below rootfd (errors such as a name clash just skip a node). */
void fz_layout_build(int rootfd, const struct fz_layout *l);

/* Decode a layout from in into *l, build it as basefd/r and return an
 * O_PATH fd on that root (aborts on set-up failure: not a finding). */
int fz_root_build(int basefd, struct fz_in *in, struct fz_layout *l);

/* Decode one path (NUL-terminated, may be up to FZ_PATH_MAX - 1 bytes). */
void fz_path_decode(struct fz_in *in, char *buf, size_t size);

/* Print a layout for a divergence report. */
void fz_layout_print(const struct fz_layout *l);

#endif
