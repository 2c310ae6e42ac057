#!/usr/bin/env bats
# smoke.bats - quick routing per wrapper family (PASS / PROC / ROOT) with
# real programs, the blocked-line format, audit mode, and the exports.
# Seconds, not minutes: every test is a handful of process starts.

setup() {
	B=${PATHWARD_BUILD:-build}
	case $B in /*) ;; *) B=$PWD/$B ;; esac
	SO=$B/pathward-preload.so
	[ -f "$SO" ] || skip "no $SO (build first)"
	T=$(mktemp -d)
	mkdir -p "$T/r/etc" "$T/r/var" "$T/r/d"
	echo inroot >"$T/r/etc/passwd"
	ln -s /etc "$T/r/var/abs"                          # absolute: means the root's /etc
	ln -s ../../../../../../../etc/passwd "$T/r/var/up" # relative, climbs past the root
	unset PATHWARD_ROOTS PATHWARD_PROC PATHWARD_MODE PATHWARD_LOG
}

teardown() {
	[ -n "${T:-}" ] && rm -rf "$T"
}

# Run a command with the shim; stdout+stderr in $output as bats' run does.
shim() {
	LD_PRELOAD=$SO "$@"
}

have_resolver() {
	nm "$SO" 2>/dev/null | grep -qiE ' t pathward_root_open$'
}

need_mntns() {
	[ "$(id -u)" = 0 ] || skip "needs root for a private mount namespace"
	unshare -m --propagation private true 2>/dev/null || skip "unshare -m not permitted here"
}

@test "exports: exactly the names in shim/exports.map" {
	run scripts/check-exports.sh "$SO" shim/exports.map
	[ "$status" -eq 0 ]
}

@test "exports: dlsym pinned to its oldest version, nothing newer than GLIBC_2.17 needed" {
	run sh -c "objdump -T '$SO' | grep -o 'GLIBC_2\.[0-9.]*' | sort -uV | tail -1"
	[ "$status" -eq 0 ]
	newest=$output
	[ "$(printf '%s\n' "$newest" GLIBC_2.17 | sort -V | tail -1)" = GLIBC_2.17 ]
	run sh -c "objdump -T '$SO' | grep -w dlsym"
	[[ "$output" != *GLIBC_2.34* ]]
	# libdl.so.2 is NEEDED exactly when the version reference names it (a
	# build on glibc < 2.34); bound to libc.so.6 it would only cost a load
	# (mk/shim.mk)
	run sh -c "readelf -d '$SO' | grep NEEDED"
	needed=$output
	run sh -c "readelf -V '$SO' | grep 'File: libdl.so.2'"
	if [ "$status" -eq 0 ]; then
		[[ "$needed" == *libdl.so.2* ]]
	else
		[[ "$needed" != *libdl.so.2* ]]
	fi
}

@test "PASS: ordinary files unchanged, no output" {
	run shim cat /etc/hostname
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat /etc/hostname)" ]
	want=$(stat -c '%i %s' /etc/hostname 2>&1) || true # statx may be forced to fail: same both ways
	run shim stat -c '%i %s' /etc/hostname
	[ "$output" = "$want" ]
}

@test "PROC open/fopen/opendir/readlink/stat: same answers, no output" {
	run shim sh -c 'head -1 /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$output" = "Name:	head" ]
	run shim readlink /proc/self/exe
	[ "$output" = "$(readlink -f "$(command -v readlink)")" ]
	want=$(stat -L -c '%F' /proc/self 2>&1) || true
	run shim stat -L -c '%F' /proc/self
	[ "$output" = "$want" ]
	run shim python3 -c 'import os; print(sorted(os.listdir("/proc/self/fd")) == sorted(os.listdir("/proc/self/fd")), open("/proc/self/comm").read().strip(), os.readlink("/proc/self/cwd") == os.getcwd(), os.access("/proc/self/status", os.R_OK))'
	[ "$status" -eq 0 ]
	[ "$output" = "True python3 True True" ]
}

@test "PROC: no descriptor held between calls (fd listing as without the shim)" {
	want=$(python3 -c 'import os; print(sorted(os.listdir("/proc/self/fd")))')
	run shim python3 -c 'import os; print(sorted(os.listdir("/proc/self/fd")))'
	[ "$output" = "$want" ]
}

@test "PROC: lowest free fd, caller's O_CLOEXEC and flags kept" {
	prog='import os,fcntl
os.close(0)
fd=os.open("/proc/self/status", os.O_RDONLY|os.O_NONBLOCK)
print(fd, fcntl.fcntl(fd, fcntl.F_GETFD), fcntl.fcntl(fd, fcntl.F_GETFL) & (os.O_NONBLOCK|os.O_ACCMODE))'
	want=$(python3 -c "$prog")
	run shim python3 -c "$prog"
	[ "$output" = "$want" ]
	[[ "$output" == "0 "* ]]
}

@test "PROC: errors match native (ENOENT)" {
	run shim cat /proc/self/no-such-file
	[ "$status" -ne 0 ]
	[[ "$output" == *"No such file or directory"* ]]
	[[ "$output" != *pathward* ]]
}

@test "PROC: '..' and magic links in the middle behave as the kernel does" {
	run shim cat /proc/self/../self/comm
	[ "$output" = cat ]
	run shim sh -c 'cd /proc && cat ../etc/hostname /proc/self/../../etc/hostname'
	[ "$output" = "$(cat /etc/hostname /etc/hostname)" ]
	echo hello >"$T/f"
	run shim sh -c 'cd "$1" && cat /proc/self/cwd/f' sh "$T"
	[ "$output" = hello ]
	run shim sh -c 'exec 7<"$1" && cat /proc/self/fd/7/f' sh "$T"
	[ "$output" = hello ]
	run shim sh -c 'cat /proc/self/fd/0/x' </dev/null
	[[ "$output" == *"Not a directory"* ]]
	[[ "$output" != *pathward* ]]
}

@test "/dev/fd aliases: followed through the /proc route, the links themselves native" {
	run shim bash -c 'cat <(echo procsub); readlink /dev/stdin; echo hi | cat /dev/stdin'
	[ "$output" = "procsub
/proc/self/fd/0
hi" ]
}

@test "/dev/stdin over an overmounted /proc/self/fd is refused" {
	need_mntns
	# The overmount is on the pid that then execs the reader (self = that pid).
	plant='mount -t tmpfs tmpfs /proc/$$/fd && ln -s /etc/hostname /proc/$$/fd/0 && exec env LD_PRELOAD="$1" cat /dev/stdin'
	run unshare -m --propagation private bash -c "$plant" sh "" </dev/null
	[ "$output" = "$(cat /etc/hostname)" ] # the control: the planted link is followed natively
	run unshare -m --propagation private bash -c "$plant" sh "$SO" </dev/null
	[ "${lines[0]}" = 'pathward: blocked open("/proc/self/fd/0"): overmounted (EXDEV)' ]
	[[ "${lines[1]}" == *"Permission denied"* ]]
}

@test "PROC realpath/access/freopen: native answers" {
	run shim python3 -c 'import ctypes,os
libc=ctypes.CDLL(None); libc.realpath.restype=ctypes.c_char_p
print(libc.realpath(b"/proc/self/status", None).decode() == "/proc/%d/status" % os.getpid(), os.access("/proc/self/status", os.R_OK), os.access("/proc/self/nope", os.F_OK))'
	[ "$output" = "True True False" ]
}

@test "ROOT: absolute and climbing symlinks stay inside the root" {
	have_resolver || skip "core/resolve.c (pathward_root_open) not linked in this build"
	export PATHWARD_ROOTS=$T/r
	run shim cat "$T/r/var/abs/passwd"
	[ "$output" = inroot ]
	run shim cat "$T/r/var/up"
	[ "$output" = inroot ]
	run shim python3 -c 'import os,sys; r=sys.argv[1]; print(os.listdir(r+"/var/abs"), os.stat(r+"/var/up").st_size)' "$T/r"
	[ "$output" = "['passwd'] 7" ]
}

@test "ROOT: readlink reads the link text, lstat sees the link" {
	have_resolver || skip "core/resolve.c (pathward_root_open) not linked in this build"
	export PATHWARD_ROOTS=$T/r
	run shim readlink "$T/r/var/abs"
	[ "$output" = /etc ]
	want=$(stat -c %F "$T/r/var/abs" 2>&1) || true
	run shim stat -c %F "$T/r/var/abs"
	[ "$output" = "$want" ]
	run shim python3 -c 'import os,sys; print(os.path.islink(sys.argv[1]))' "$T/r/var/abs"
	[ "$output" = True ]
}

@test "ROOT: dirfd- and cwd-relative paths are contained too" {
	have_resolver || skip "core/resolve.c (pathward_root_open) not linked in this build"
	export PATHWARD_ROOTS=$T/r
	run shim python3 -c 'import os,sys
r=sys.argv[1]
fd=os.open(r+"/var", os.O_RDONLY|os.O_DIRECTORY)
print(open("up", opener=lambda p,f: os.open(p, f, dir_fd=fd)).read().strip())
os.chdir(r+"/d")
print(open("../var/up").read().strip())' "$T/r"
	[ "$output" = "inroot
inroot" ]
}

@test "ROOT: creation (O_CREAT through a dangling absolute link, fopen w) stays inside" {
	have_resolver || skip "core/resolve.c (pathward_root_open) not linked in this build"
	export PATHWARD_ROOTS=$T/r
	ln -s /etc/pathward-smoke-new "$T/r/var/dangling"
	run shim sh -c 'echo made >"$1/var/dangling" && cat "$1/etc/pathward-smoke-new"' sh "$T/r"
	[ "$output" = made ]
	[ ! -e /etc/pathward-smoke-new ]
	run shim python3 -c 'import sys,ctypes; r=sys.argv[1]
open(r+"/var/abs/w","w").write("w1"); print(open(r+"/etc/w").read())
libc=ctypes.CDLL(None); libc.realpath.restype=ctypes.c_char_p
print(libc.realpath((r+"/var/abs/../var/up").encode(), None).decode() == r+"/etc/passwd")' "$T/r"
	[ "$output" = "w1
True" ]
}

@test "ROOT: a root configured through a symlinked prefix contains dirfd/cwd paths too" {
	have_resolver || skip "core/resolve.c (pathward_root_open) not linked in this build"
	ln -s r "$T/alias"
	export PATHWARD_ROOTS=$T/alias
	run shim python3 -c 'import os,sys
fd=os.open(sys.argv[1]+"/d", os.O_RDONLY|os.O_DIRECTORY)
print(open("../../../../../../../../etc/passwd", opener=lambda p,f: os.open(p, f, dir_fd=fd)).read().strip())
os.chdir(sys.argv[1]+"/d")
print(open("../../../../../../../../etc/passwd").read().strip())' "$T/alias"
	[ "$output" = "inroot
inroot" ]
}

@test "ROOT: /proc/self/root/... is a contained root" {
	have_resolver || skip "core/resolve.c (pathward_root_open) not linked in this build"
	run shim cat /proc/self/root/etc/hostname
	[ "$output" = "$(cat /etc/hostname)" ]
	run shim readlink /proc/self/root
	[ "$output" = / ]
}

@test "blocked: one line naming call, path and reason; EACCES" {
	need_mntns
	echo fake >"$T/fake"
	run unshare -m --propagation private sh -c "mount --bind '$T/fake' /proc/sys/kernel/hostname && cat /proc/sys/kernel/hostname && LD_PRELOAD='$SO' cat /proc/sys/kernel/hostname"
	[ "$status" -ne 0 ]
	[ "${lines[0]}" = fake ] # the control: the overmount works without the shim
	[ "${lines[1]}" = 'pathward: blocked open("/proc/sys/kernel/hostname"): overmounted (EXDEV)' ]
	[[ "${lines[2]}" == *"Permission denied"* ]]
	[ "${#lines[@]}" -eq 3 ]
}

@test "audit: logs would-block, then behaves as without the shim" {
	need_mntns
	echo fake >"$T/fake"
	run unshare -m --propagation private sh -c "mount --bind '$T/fake' /proc/sys/kernel/hostname && PATHWARD_MODE=audit LD_PRELOAD='$SO' cat /proc/sys/kernel/hostname 2>'$T/log'"
	[ "$status" -eq 0 ]
	[ "$output" = fake ]
	grep -qE '^pathward: audit open\("/proc/sys/kernel/hostname"\): pid=[0-9]+ class=proc decision=would-block reason=overmounted \(EXDEV\)$' "$T/log"
}

@test "audit: rerouted calls are logged to a file destination" {
	run env PATHWARD_MODE=audit PATHWARD_LOG="$T/audit.log" LD_PRELOAD="$SO" cat /proc/self/stat
	[ "$status" -eq 0 ]
	grep -qE '^pathward: audit open\("/proc/self/stat"\): pid=[0-9]+ class=proc decision=rerouted reason=verified$' "$T/audit.log"
}

@test "policy: a bad value is reported once and the safer choice kept" {
	run env PATHWARD_MODE=enforc LD_PRELOAD="$SO" cat /proc/self/comm
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 'pathward: policy: PATHWARD_MODE="enforc" is not enforce|audit; keeping enforce' ]
	[ "${lines[1]}" = cat ]
	[ "${#lines[@]}" -eq 2 ]
}
