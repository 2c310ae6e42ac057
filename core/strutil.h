/* SPDX-License-Identifier: Apache-2.0 */
/* strutil.h - tiny pure string helpers shared by the path modules. */
#ifndef PATHWARD_STRUTIL_H
#define PATHWARD_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* s[0..n) is a non-empty run of ASCII digits (a pid, a mount id). */
static inline bool str_is_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Write the decimal v and a NUL to out (21 bytes are always enough);
 * returns the digits written.  snprintf is not async-signal-safe. */
static inline size_t str_utoa(char *out, uint64_t v)
{
	char tmp[20];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return n;
}

#endif
