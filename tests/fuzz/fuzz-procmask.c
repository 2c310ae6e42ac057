/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-procmask.c - the mountinfo line parser and the mask classifier
 * (core/procmask.c), both pure.
 */
/* fuzz-needs: core/procmask.c */
/*
 * Checks: procmask_parse_line answers 0 or -EINVAL and never reads past
 * len (the input is copied to an exact-size heap buffer with no NUL, so
 * ASan sees any over-read); on success every string field is
 * NUL-terminated inside its array; a line rebuilt from the parsed fields
 * (when they need no escaping) parses back to the same fields; the
 * classifier returns a known kind with a name, the same kind twice, and
 * NONE or UNKNOWN for a mount that is not procfs, tmpfs or /dev/null.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzlib.h"
#include "procmask.h"

#define CHECK(c)                                                            \
	do {                                                                \
		if (!(c)) {                                                 \
			fprintf(stderr, "fuzz-procmask: check failed: %s\n", #c); \
			abort();                                            \
		}                                                           \
	} while (0)

static struct procmask_mount m1, m2;

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static bool plain(const char *s)
{
	return *s && !strpbrk(s, " \t\n\\");
}

static void check_kind(const struct procmask_mount *m)
{
	static const char *const pm[] = { "/proc", "/proc/", "/", "/host/proc" };
	for (size_t i = 0; i < sizeof(pm) / sizeof(pm[0]); i++) {
		enum procmask_kind k = procmask_classify(m, pm[i]);
		CHECK(k >= PROCMASK_NONE && k <= PROCMASK_UNKNOWN);
		CHECK(procmask_classify(m, pm[i]) == k);
		CHECK(procmask_kind_name(k) != NULL);
		if (strcmp(m->fstype, "proc") && strcmp(m->fstype, "tmpfs") && strcmp(m->fstype, "devtmpfs") &&
		    !(m->dev_major == 1 && m->dev_minor == 3))
			CHECK(k == PROCMASK_NONE || k == PROCMASK_UNKNOWN);
	}
}

static void round_trip(void)
{
	if (!plain(m1.root) || !plain(m1.mountpoint) || !plain(m1.fstype) || !plain(m1.source))
		return;
	char line[2 * PATH_MAX + 512];
	int n = snprintf(line, sizeof(line), "%llu 1 %u:%u %s %s %s,nosuid - %s %s rw",
	                 (unsigned long long)m1.mnt_id, m1.dev_major, m1.dev_minor, m1.root, m1.mountpoint,
	                 m1.ro ? "ro" : "rw", m1.fstype, m1.source);
	CHECK(n > 0 && (size_t)n < sizeof(line));
	memset(&m2, 0x5a, sizeof(m2));
	CHECK(procmask_parse_line(line, (size_t)n, &m2) == 0);
	CHECK(m2.mnt_id == m1.mnt_id && m2.dev_major == m1.dev_major && m2.dev_minor == m1.dev_minor);
	CHECK(!strcmp(m2.root, m1.root) && !strcmp(m2.mountpoint, m1.mountpoint));
	CHECK(!strcmp(m2.fstype, m1.fstype) && !strcmp(m2.source, m1.source) && m2.ro == m1.ro);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size ? size : 1);
	memcpy(line, data, size);
	memset(&m1, 0x5a, sizeof(m1));
	int r = procmask_parse_line(line, size, &m1);
	CHECK(r == 0 || r == -EINVAL);
	if (r == 0) {
		CHECK(terminated(m1.root, sizeof(m1.root)) && terminated(m1.mountpoint, sizeof(m1.mountpoint)));
		CHECK(terminated(m1.fstype, sizeof(m1.fstype)) && terminated(m1.source, sizeof(m1.source)));
		check_kind(&m1);
		round_trip();
	}
	fz_cases++;
	free(line);
	return 0;
}
