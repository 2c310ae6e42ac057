#!/usr/bin/env bats
# install.bats - `make install` into a DESTDIR: every file lands where
# pathward.pc and the launcher expect it, the installed launcher finds the
# installed shim, a C program builds through pkg-config against the
# installed archive and reads /proc/self/status through the handle, and
# `make uninstall` removes it all again.

load pathward-common

setup() {
	pw_setup
	command -v make >/dev/null || skip "make is not installed"
	D=$TMP/dest
	# -o all: install what the suite is testing, never rebuild it here (the
	# working tree may hold someone's half-written file).
	make -s -C "$REPO" -o all install DESTDIR="$D" PREFIX=/usr BUILD="$B" >"$TMP/make.out" 2>&1 ||
		{ cat "$TMP/make.out"; return 1; }
}
teardown() { pw_teardown; }

@test "install: the command, shim, archive, header, pkg-config file and man pages" {
	[ -x "$D/usr/bin/pathward" ]
	[ -f "$D/usr/lib/pathward/pathward-preload.so" ]
	[ -f "$D/usr/lib/libpathward.a" ]
	[ -f "$D/usr/include/pathward.h" ]
	[ -f "$D/usr/lib/pkgconfig/pathward.pc" ]
	[ -f "$D/usr/share/man/man1/pathward.1" ]
	[ -f "$D/usr/share/man/man7/pathward.7" ]
	grep -qx 'libdir=/usr/lib' "$D/usr/lib/pkgconfig/pathward.pc"
	grep -qx "Version: $(sed -n 's/^#define PATHWARD_VERSION "\(.*\)"/\1/p' "$REPO/core/pathward.h")" \
		"$D/usr/lib/pkgconfig/pathward.pc"
	[ "$(find "$D/usr/lib/pathward/pathward-preload.so" -printf '%m')" = 644 ]
}

@test "install: the installed pathward run finds the installed shim" {
	run --separate-stderr "$D/usr/bin/pathward" run -- printenv LD_PRELOAD
	[ "$status" -eq 0 ]
	[ "$output" = "$D/usr/lib/pathward/pathward-preload.so" ]
	run "$D/usr/bin/pathward" run -- sh -c 'exit 5'
	[ "$status" -eq 5 ]
	run "$D/usr/bin/pathward" --version
	[ "$status" -eq 0 ]
}

@test "install: examples/proc-status.c builds with pkg-config and reads /proc/self/status" {
	command -v pkg-config >/dev/null || skip "pkg-config is not installed"
	flags=$(PKG_CONFIG_PATH=$D/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$D pkg-config --cflags --libs pathward)
	[[ "$flags" == *"-I$D/usr/include"* ]]
	# shellcheck disable=SC2086
	cc -Wall -Werror -o "$TMP/proc-status" "$REPO/examples/proc-status.c" $flags
	# The program links the installed archive, not the build tree's.
	syms=$(nm "$TMP/proc-status")
	grep -q ' T pathward_proc_open$' <<<"$syms"
	run "$TMP/proc-status"
	[ "$status" -eq 0 ]
	grep -qP '^Name:\tproc-status$' <<<"$output"
	pid_line=$(grep '^Pid:' <<<"$output")
	[ -n "$pid_line" ]
}

@test "install: an image without a shell runs ENTRYPOINT [pathward, run, --, /app]" {
	need_mntns
	command -v ldd >/dev/null || skip "ldd is not installed"
	# The image: the installed tree, the libraries it needs, /app, no /bin/sh.
	cp /bin/cat "$D/app"
	for f in $(ldd "$D/usr/bin/pathward" "$D/usr/lib/pathward/pathward-preload.so" "$D/app" |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(/ { print $1 }'); do
		mkdir -p "$D$(dirname "$f")"
		cp -L "$f" "$D$f"
	done
	mkdir -p "$D/proc"
	[ ! -e "$D/bin/sh" ]
	# exec-form entrypoint: the runtime execs argv directly, as chroot does here.
	run unshare -m --propagation private sh -ec 'mount -t proc proc "$1/proc"
exec chroot "$1" /usr/bin/pathward run -- /app /proc/self/status /proc/self/maps' _ "$D"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	grep -qP '^Name:\tapp$' <<<"$output"
	grep -q ' /usr/lib/pathward/pathward-preload.so$' <<<"$output"
}

@test "uninstall: removes every installed file" {
	make -s -C "$REPO" -o all uninstall DESTDIR="$D" PREFIX=/usr BUILD="$B"
	left=$(find "$D" -type f)
	[ -z "$left" ] || { echo "left behind: $left"; false; }
	[ ! -e "$D/usr/lib/pathward" ]
}
