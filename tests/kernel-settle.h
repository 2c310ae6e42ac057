/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kernel-settle.h - asking the kernel's path lookup again when it says
 * ELOOP (the unit suites and the fuzz targets compare against openat2).
 *
 * The kernel's own answer for a path with many symlinks is not stable: while
 * mounts change anywhere on the machine, openat2 (and open) can say ELOOP
 * for a path it opens a moment later.  Measured here: 40 nested links with
 * 4 KiB bodies, 1,708 ELOOP in 20,000 openat2 calls during a tmpfs
 * mount/umount loop in another mount namespace (39 links: 1,737; 40 "dot/"
 * links: 92), none when quiet.  This fits a lookup that leaves RCU mode
 * (a mount_lock sequence change) and restarts from the start with the links
 * already counted.  A real loop says ELOOP every time, so the kernel's
 * answer is the first one that is not ELOOP.  The walker is deterministic
 * and is never asked twice.
 */
#ifndef PATHWARD_TEST_KERNEL_SETTLE_H
#define PATHWARD_TEST_KERNEL_SETTLE_H

#include <errno.h>

#define KERNEL_ELOOP_TRIES 64

/* var = expr, evaluated again while it says -ELOOP (a kernel route). */
#define KERNEL_SETTLE(var, expr)                                                                  \
	do {                                                                                      \
		(var) = (expr);                                                                   \
		for (int settle_ = 0; settle_ < KERNEL_ELOOP_TRIES && (var) == -ELOOP; settle_++) \
			(var) = (expr);                                                           \
	} while (0)

#endif
