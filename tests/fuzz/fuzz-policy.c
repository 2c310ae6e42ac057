/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-policy.c - the environment policy parser (core/policy.c).
 *
 * Input: up to six NUL-separated fields ROOTS, PROC, MODE, LOG, CWD and a
 * flags byte choosing which fields are unset (NULL).  Checks, beyond "no
 * memory error": the documented normal form of every root (absolute, no
 * empty or "." component, no trailing slash except "/"), the safer default
 * kept for every unknown value with exactly one diagnostic, diagnostics
 * pointing into the input, and policy_diag_format being snprintf-like for
 * every buffer size.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzlib.h"
#include "policy.h"

#define CHECK(c)                                                          \
	do {                                                              \
		if (!(c)) {                                               \
			fprintf(stderr, "fuzz-policy: check failed: %s\n", #c); \
			abort();                                          \
		}                                                         \
	} while (0)

static struct policy p1, p2;

static void check_root(const struct policy_root *r)
{
	CHECK(r->len == strlen(r->path));
	CHECK(r->len >= 1 && r->len < PATH_MAX);
	CHECK(r->path[0] == '/');
	if (r->len > 1)
		CHECK(r->path[r->len - 1] != '/');
	CHECK(!strstr(r->path, "//"));
	CHECK(!strstr(r->path, "/./"));
	CHECK(!(r->len >= 2 && !strcmp(r->path + r->len - 2, "/.")));
}

static bool inside(const char *v, size_t len, const char *s)
{
	return s && v >= s && v + len <= s + strlen(s);
}

/* A two-word variable: unset, empty or dflt keep the default (0) silently,
 * alt selects alt_val, anything else keeps the default and is reported. */
static void check_word(const char *s, const char *dflt, const char *alt, int val, int alt_val,
                       int *expect_diags)
{
	if (s && !strcmp(s, alt)) {
		CHECK(val == alt_val);
		return;
	}
	CHECK(val == 0);
	if (s && *s && strcmp(s, dflt))
		(*expect_diags)++;
}

static void check_format(const struct policy_diag *d)
{
	char big[1024], small[24];
	int n = policy_diag_format(d, big, sizeof(big));
	CHECK(n > 0 && (size_t)n < sizeof(big));
	CHECK(strlen(big) == (size_t)n);
	CHECK(policy_diag_format(d, NULL, 0) == n);
	for (size_t sz = 1; sz <= sizeof(small); sz += 7) {
		memset(small, 'Z', sizeof(small));
		CHECK(policy_diag_format(d, small, sz) == n);
		CHECK(memchr(small, '\0', sz) != NULL);
		CHECK(!strncmp(small, big, sz - 1));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 70000)
		return 0;
	char *buf = malloc(size + 1);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	char *f[5] = { NULL };
	char *s = buf, *end = buf + size - 1;
	for (int i = 0; i < 5 && s <= end; i++) {
		f[i] = s;
		s += strlen(s) + 1;
	}
	for (int i = 0; i < 5; i++)
		if (data[0] & (1u << i))
			f[i] = NULL;

	struct policy_diag d[POLICY_MAX_DIAGS];
	int n = policy_parse(&p1, f[0], f[1], f[2], f[3], f[4], d, POLICY_MAX_DIAGS);
	CHECK(n >= 0);
	CHECK(policy_parse(&p2, f[0], f[1], f[2], f[3], f[4], NULL, 0) == n);
	CHECK(p1.nroots == p2.nroots && p1.proc == p2.proc && p1.mode == p2.mode && p1.log == p2.log);
	CHECK(p1.nroots <= POLICY_MAX_ROOTS);
	for (size_t i = 0; i < p1.nroots; i++) {
		check_root(&p1.roots[i]);
		CHECK(!strcmp(p1.roots[i].path, p2.roots[i].path));
	}

	int words = 0;
	check_word(f[1], "safe", "off", p1.proc, POLICY_PROC_OFF, &words);
	check_word(f[2], "enforce", "audit", p1.mode, POLICY_MODE_AUDIT, &words);
	if (p1.log == POLICY_LOG_FILE) {
		CHECK(f[3] && f[3][0] == '/' && !strcmp(p1.log_path, f[3]));
	} else if (p1.log == POLICY_LOG_SYSLOG) {
		CHECK(f[3] && !strcmp(f[3], "syslog"));
	} else {
		CHECK(p1.log == POLICY_LOG_STDERR);
		if (f[3] && *f[3] && strcmp(f[3], "stderr"))
			words++;
	}
	CHECK(n >= words);

	for (int i = 0; i < n && i < POLICY_MAX_DIAGS; i++) {
		bool ok = false;
		for (int j = 0; j < 4; j++)
			ok |= inside(d[i].value, d[i].len, f[j]);
		CHECK(ok);
		check_format(&d[i]);
	}
	fz_cases++;
	free(buf);
	return 0;
}
