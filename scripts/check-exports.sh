#!/usr/bin/env bash
# check-exports.sh SO MAP - the shim must export exactly the names its
# version script lists (the libc names it wraps), and nothing else.
set -euo pipefail
so=$1 map=$2
want=$(sed -n 's/^[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\);.*/\1/p' "$map" | grep -v '^local$' | sort -u)
have=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TWiV]$/ {print $3}' | sed 's/@.*//' | sort -u)
extra=$(comm -13 <(echo "$want") <(echo "$have"))
missing=$(comm -23 <(echo "$want") <(echo "$have"))
if [ -n "$extra" ] || [ -n "$missing" ]; then
	[ -n "$extra" ] && echo "check-exports: exported but not in $map:" $extra >&2
	[ -n "$missing" ] && echo "check-exports: listed in $map but not exported:" $missing >&2
	exit 1
fi
echo "check-exports: ok ($(echo "$have" | wc -l) wrapped libc names)"
