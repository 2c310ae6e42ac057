# pathward-common.bash - shared set-up for the command's bats suites.

bats_require_minimum_version 1.5.0
# PATHWARD_BUILD is the build directory (default "build"), absolute or
# relative to the repository root.

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
B=${PATHWARD_BUILD:-build}
case $B in /*) ;; *) B=$REPO/$B ;; esac
PW=$B/pathward
SHIM=$B/pathward-preload.so

pw_setup() {
	set -euo pipefail
	[ -x "$PW" ] || { echo "no $PW: build first (make BUILD=$B)" >&2; return 1; }
	TMP=$(mktemp -d)
}

pw_teardown() {
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
}

# Skip (with the reason) unless we may make a private mount namespace.
need_mntns() {
	[ "$(id -u)" -eq 0 ] || skip "needs root for a private mount namespace"
	unshare -m --propagation private true 2>/dev/null ||
		skip "unshare -m --propagation private is not permitted here"
}
