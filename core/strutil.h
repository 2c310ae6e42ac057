/* SPDX-License-Identifier: Apache-2.0 */
/* strutil.h - tiny pure string predicates shared by the path modules. */
#ifndef PATHWARD_STRUTIL_H
#define PATHWARD_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>

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

#endif
