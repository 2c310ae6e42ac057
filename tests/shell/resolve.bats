#!/usr/bin/env bats
# resolve.bats - `pathward resolve --root ROOT [--except-last] PATH`
# (resolver.md §5.1): stdout is the contained path and one newline, exit 0;
# on error stdout is empty, exit 1 (2 for usage), one stderr line naming the
# errno and its text.

load pathward-common

setup() {
	pw_setup
	R=$TMP/root
	mkdir -p "$R/run" "$R/d/e" "$R/a/b" "$TMP/empty"
	: >"$R/run/docker.sock"
	: >"$R/f"
	: >"$TMP/outside-canary"
	ln -s /run "$R/var"
	ln -s ../../../../.. "$R/a/b/up"
	ln -s nowhere "$R/dang"
	ln -s loop2 "$R/loop1"
	ln -s loop1 "$R/loop2"
	ln -s "$R" "$TMP/rootlink"
	cd "$TMP/empty"
}

teardown() {
	pw_teardown
}

# out/err/status of one run, stdout kept byte-exact (a trailing newline too).
pwr() {
	set +e
	"$PW" resolve "$@" >"$TMP/out" 2>"$TMP/err"
	status=$?
	set -e
}

expect_out() {
	printf '%s\n' "$1" | cmp - "$TMP/out"
	[ ! -s "$TMP/err" ]
	[ "$status" -eq 0 ]
}

expect_err() { # expect_err STATUS ENAME
	[ "$status" -eq "$1" ]
	[ ! -s "$TMP/out" ]
	[ "$(wc -l <"$TMP/err")" -eq 1 ]
	grep -q "^pathward: resolve: .*$2" "$TMP/err"
}

@test "resolve: --help prints usage on stdout, exit 0" {
	run "$PW" resolve --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: pathward resolve --root ROOT"* ]]
	run "$PW" help resolve
	[ "$status" -eq 0 ]
	[[ "$output" == *"--except-last"* ]]
}

@test "resolve: an absolute symlink restarts at the root (wormhole)" {
	pwr --root "$R" var/docker.sock
	expect_out /run/docker.sock
	pwr --root "$R" /var/docker.sock
	expect_out /run/docker.sock
}

@test "resolve: .. never leaves the root" {
	pwr --root "$R" a/b/up/f
	expect_out /f
	pwr --root "$R" ../../../../outside-canary
	expect_err 1 ENOENT
	pwr --root "$R" a/b/up/outside-canary
	expect_err 1 ENOENT
	pwr --root "$R" ../..
	expect_out /
}

@test "resolve: the four root spellings give the same answer" {
	for root in "$R" "$R/" "$TMP/rootlink"; do
		pwr --root "$root" var/docker.sock
		expect_out /run/docker.sock
	done
	(cd "$R" && "$PW" resolve --root /proc/self/cwd var/docker.sock) >"$TMP/out"
	printf '/run/docker.sock\n' | cmp - "$TMP/out"
	pwr --root="$R" var
	expect_out /run
}

@test "resolve: the cwd is irrelevant" {
	mkdir -p "$TMP/empty/var"
	pwr --root "$R" var
	expect_out /run
}

@test "resolve: --except-last keeps the last component and allows it missing" {
	pwr --root "$R" --except-last var
	expect_out /var
	pwr --root "$R" --except-last var/newfile
	expect_out /run/newfile
	pwr --root "$R" --except-last dang
	expect_out /dang
	pwr --root "$R" --except-last var/
	expect_out /run
	pwr --root "$R" --except-last missing/newfile
	expect_err 1 ENOENT
	pwr --root "$R" --except-last newdir/
	expect_err 1 ENOENT
}

@test "resolve: ELOOP names the errno and its text" {
	pwr --root "$R" loop1
	expect_err 1 ELOOP
	grep -qx 'pathward: resolve: ELOOP: Too many levels of symbolic links' "$TMP/err"
}

@test "resolve: missing and non-directory components" {
	pwr --root "$R" dang
	expect_err 1 ENOENT
	pwr --root "$R" f/x
	expect_err 1 ENOTDIR
	pwr --root "$R" f/
	expect_err 1 ENOTDIR
}

@test "resolve: empty PATH is ENOENT" {
	pwr --root "$R" ""
	expect_err 1 ENOENT
	grep -q 'No such file or directory' "$TMP/err"
}

@test "resolve: PATH of PATH_MAX bytes is ENAMETOOLONG, one byte less is fine" {
	long=$(printf '%*s' 4095 '' | tr ' ' '/')f
	pwr --root "$R" "$long"
	expect_err 1 ENAMETOOLONG
	pwr --root "$R" "${long:1}"
	expect_out /f
}

@test "resolve: a name over NAME_MAX is ENAMETOOLONG" {
	name=$(printf '%*s' 256 '' | tr ' ' n)
	pwr --root "$R" "$name"
	expect_err 1 ENAMETOOLONG
	pwr --root "$R" --except-last "d/$name"
	expect_err 1 ENAMETOOLONG
	pwr --root "$R" "missing/$name"
	expect_err 1 ENOENT
}

@test "resolve: bytes are opaque: newline, tab, non-UTF-8" {
	nl=$'new\nline'
	: >"$R/$nl"
	odd=$'\xff\xfe'
	: >"$R/$odd"
	pwr --root "$R" "$nl"
	printf '/%s\n' "$nl" | cmp - "$TMP/out"
	[ "$status" -eq 0 ]
	pwr --root "$R" "$odd"
	printf '/%s\n' "$odd" | cmp - "$TMP/out"
	pwr --root "$R" --except-last $'tab\tnew'
	printf '/tab\tnew\n' | cmp - "$TMP/out"
	pwr --root "$R" $'\xfe\xff'
	expect_err 1 ENOENT
}

@test "resolve: a missing ROOT is ENOENT (exit 1)" {
	pwr --root "$TMP/nonexistent" f
	expect_err 1 ENOENT
	grep -q -- "--root $TMP/nonexistent" "$TMP/err"
}

@test "resolve: a ROOT that is a file is ENOTDIR (exit 1)" {
	pwr --root "$R/f" f
	expect_err 1 ENOTDIR
}

@test "resolve: an unreadable ROOT is EACCES, never an answer" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to switch to an unprivileged uid"
	command -v setpriv >/dev/null || skip "no setpriv"
	chmod 0755 "$TMP"
	chmod 0000 "$R"
	set +e
	setpriv --reuid=65534 --regid=65534 --clear-groups "$PW" resolve --root "$R" f >"$TMP/out" 2>"$TMP/err"
	status=$?
	set -e
	chmod 0755 "$R"
	expect_err 1 EACCES
}

@test "resolve: usage errors exit 2" {
	pwr f
	expect_err 2 "missing --root"
	pwr --root "$R"
	expect_err 2 "missing PATH"
	pwr --root "$R" f g
	expect_err 2 "unexpected argument"
	pwr --root "$R" --bogus f
	expect_err 2 "unknown option"
	pwr --root
	expect_err 2 "--root needs"
}

@test "resolve: -- lets PATH start with a dash" {
	: >"$R/-x"
	pwr --root "$R" -- -x
	expect_out /-x
}

@test "resolve: magic links inside the root are EXDEV" {
	need_mntns
	mkdir "$R/proc"
	set +e
	unshare -m --propagation private sh -c '
		mount -t proc proc "$1/proc" || exit 99
		"$2" resolve --root "$1" proc/self/exe >"$3/out" 2>"$3/err"' sh "$R" "$PW" "$TMP"
	status=$?
	set -e
	[ "$status" -ne 99 ] || skip "cannot mount procfs here"
	expect_err 1 EXDEV
}

@test "resolve: a write error on stdout is reported" {
	[ -w /dev/full ] || skip "no /dev/full"
	set +e
	"$PW" resolve --root "$R" f >/dev/full 2>"$TMP/err"
	status=$?
	set -e
	[ "$status" -eq 1 ]
	grep -q ENOSPC "$TMP/err"
}
