#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# unclean.bats - a ".." before the prefix must not take a contained path
# out of its class (core/canon.c, CLASSIFY_CANON).  The attack: the root
# holds an absolute symlink "link" -> /etc/hostname; spelled cleanly the
# ROOT route resolves it inside the root ($R/etc/hostname), spelled with a
# ".." before the root prefix it used to be PASS and the host kernel
# followed it to the host's /etc/hostname.  Each case proves the escape
# without the shim first (the control), then that the shim stays inside.

setup() {
	B=${PATHWARD_BUILD:-build}
	SO=$(realpath "$B/pathward-preload.so" 2>/dev/null) || skip "no $B/pathward-preload.so"
	[ -f "$SO" ] || skip "no $SO"
	HOSTTXT=$(cat /etc/hostname)
	[ -n "$HOSTTXT" ] || skip "/etc/hostname is empty: no host content to tell apart"
	R=$(mktemp -d /tmp/pw-unclean.XXXXXX)
	mkdir -p "$R/etc"
	echo inside-root >"$R/etc/hostname"
	ln -s /etc/hostname "$R/link"
	D=$(dirname "$R")
	N=$(basename "$R")
}

teardown() {
	[ -z "${R:-}" ] || rm -rf "$R"
}

# cat through the shim with $R as the only root.
shim_cat() {
	PATHWARD_ROOTS=$R LD_PRELOAD=$SO cat "$@"
}

@test "dotdot before the root prefix: control escapes, shim stays inside" {
	P="$D/../$(basename "$D")/$N/link"
	run cat "$P"
	[ "$status" -eq 0 ] && [ "$output" = "$HOSTTXT" ] || {
		echo "control did not reproduce the escape: $output"
		return 1
	}
	run shim_cat "$P"
	echo "shim: $status $output"
	[ "$status" -eq 0 ] && [ "$output" = inside-root ]
}

@test "dotdot above / and after the prefix: shim stays inside" {
	run shim_cat "/../..$R/link"
	[ "$status" -eq 0 ] && [ "$output" = inside-root ]
	# the text leaves every prefix at its first byte: a textual PASS
	# pre-test must still not let it through
	run shim_cat "/etc/..$R/link"
	[ "$status" -eq 0 ] && [ "$output" = inside-root ]
	# the ".." after the prefix is the ROOT route's (inside the root)
	run shim_cat "$D/./../$(basename "$D")/$N/etc/../link"
	[ "$status" -eq 0 ] && [ "$output" = inside-root ]
}

@test "'//' and '/./' spellings: control escapes, shim stays inside" {
	P="$D//./$N//link"
	run cat "$P"
	[ "$status" -eq 0 ] && [ "$output" = "$HOSTTXT" ] || {
		echo "control did not reproduce the escape: $output"
		return 1
	}
	run shim_cat "$P"
	[ "$status" -eq 0 ] && [ "$output" = inside-root ]
}

@test "a dotdot path that enters no root stays native" {
	run shim_cat /etc/../etc/hostname
	[ "$status" -eq 0 ] && [ "$output" = "$HOSTTXT" ]
	run shim_cat "$D/../$(basename "$D")/$N.missing/../x"
	[ "$status" -ne 0 ]
	[[ "$output" == *"No such file"* ]]
}

@test "PATHWARD_PROC=off: /proc/self/../PID/root/... is that process's root" {
	command -v unshare >/dev/null || skip "no unshare"
	[ "$(id -u)" = 0 ] || skip "needs root for a private mount namespace and chroot"
	[ -d /usr/bin ] && [ -e /bin/sleep ] || skip "no merged /usr"
	# In a private mount namespace: $R gets /usr bound in and a process
	# chrooted into it; its /proc/PID/root is $R.
	run unshare -m --propagation private sh -c '
		R=$1 SO=$2
		mkdir -p "$R/usr" && mount --bind /usr "$R/usr" || exit 77
		for l in bin lib lib64 sbin; do [ -e /$l ] && ln -s usr/$l "$R/$l"; done
		chroot "$R" /bin/sleep 30 & PID=$!
		sleep 0.2
		P=/proc/self/../$PID/root/link
		printf "control=%s\n" "$(cat "$P")"
		printf "shim=%s\n" "$(PATHWARD_PROC=off LD_PRELOAD=$SO cat "$P" 2>&1)"
		printf "clean=%s\n" "$(PATHWARD_PROC=off LD_PRELOAD=$SO cat /proc/$PID/root/link 2>&1)"
		kill $PID
	' sh "$R" "$SO"
	echo "$output"
	[ "$status" -ne 77 ] || skip "cannot bind /usr into the fixture"
	[ "$status" -eq 0 ]
	[[ "$output" == *"control=$HOSTTXT"* ]] || { echo "control did not escape"; return 1; }
	[[ "$output" == *"clean=inside-root"* ]]
	[[ "$output" == *"shim=inside-root"* ]]
}
