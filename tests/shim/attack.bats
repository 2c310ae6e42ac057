#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# attack.bats - the attacks the shim exists for, each proven first:
# without the shim the attack must work (the control; if it does not,
# the test FAILS), then under the shim the call is blocked (EACCES and one
# "pathward: blocked CALL(" line) or returns the genuine object.
#   - procfs overmounts of procfs.md §4 (A1-A9), reached through open,
#     fopen, opendir, readlink, stat and realpath;
#   - audit mode (PATHWARD_MODE=audit) logs and changes nothing.
# Mounts are made only inside `unshare -m --propagation private` (pw_ns);
# per-process targets (/proc/<pid>/attr, exe, task, fd) are mounted by a
# small wrapper on its own /proc/$$ just before it execs the helper, so the
# helper is the process whose entries are overmounted.

load lib/common

setup() {
	pw_setup
	need_shim
	need_unshare
	pw_fixture
	# What the genuine /proc/self/attr/current gives here (a label, or
	# EINVAL without an LSM), for the "genuine object" answers.
	PW_GEN_ATTR=$("$PW_H/plain/h-open" -r open /proc/self/attr/current r)
	PW_GEN_ATTR="* ${PW_GEN_ATTR##* }"
}

teardown() {
	pw_teardown
}

# The wrapper: run the set-up $1 in a fresh unshimmed shell (S=/proc/P,
# P the wrapper's pid), then exec the rest, which keeps the pid and the
# caller's LD_PRELOAD.
PW_SELF_WRAP='env -u LD_PRELOAD S=/proc/$$ P=$$ bash -c "$1" || exit 97; shift; exec "$@"'

# self_attack SETUP CONTROL GENUINE CALLS HELPER [ARG]...
self_attack() {
	local setup=$1
	shift
	local ctl=$1 gen=$2 calls=$3
	shift 3
	pw_attack "$ctl" "$gen" "$calls" env PW_H="$PW_H" PW_TMP="$PW_TMP" bash -c "$PW_SELF_WRAP" _ "$setup" "$@"
}

# ---- A1: /proc/self/sched bound over /proc/self/attr/current ------------------

a1() {
	local s='"$PW_H/plain/bindfd" $S/sched $S/attr/current'
	self_attack "$s" "*data=h-open.(*" "$PW_GEN_ATTR" "$PW_OPEN_CALLS" "$PW_H/plain/h-open" -r open /proc/self/attr/current r
	self_attack "$s" "*data=h-open.(*" "$PW_GEN_ATTR" "$PW_OPEN_CALLS" "$PW_H/fortify/h-open" -r -d /proc/self openat attr/current r
	self_attack "$s" "*data=h-stdio.(*" "$PW_GEN_ATTR" "$PW_STDIO_CALLS" "$PW_H/lfs/h-stdio" -r fopen /proc/self/attr/current r
	# sched is 0644, the genuine attr/current 0666.
	self_attack "$s" "ok *mode=0100644" "ok *mode=0100666" "$PW_STAT_CALLS" "$PW_H/plain/h-stat" stat /proc/self/attr/current
	[ "$PW_STATX_OK" = 0 ] ||
		self_attack "$s" "*ok *mode=0100644*" "*ok *mode=0100666*" "$PW_STAT_CALLS" "$PW_H/plain/h-stat" statx /proc/self/attr/current
	self_attack "$s" "ok *mode=0100644" "ok *mode=0100666" "$PW_STAT_CALLS" "$PW_H/plain/h-stat" -d /proc/self fstatat attr/current
}

@test "attack A1: sched bound over attr/current (CVE-2025-52881 no-op file) via open, fopen, stat" {
	pw_ns a1
}

# ---- A2: /dev/null bound over /proc/sys/kernel/hostname --------------------------
# DESIGN §2 counts a /dev/null bind as a runtime mask (it hides, never
# substitutes): reads must see the mask exactly as without the shim (never
# the genuine sysctl through a fresh procfs), writes through it are refused.

a2() {
	local h a b
	h=$(cat /proc/sys/kernel/hostname)
	mount --bind /dev/null /proc/sys/kernel/hostname
	for cmd in "plain/h-open -r open /proc/sys/kernel/hostname r" "fortify/h-stdio -r fopen /proc/sys/kernel/hostname r" \
		"lfs/h-stat stat /proc/sys/kernel/hostname"; do
		# shellcheck disable=SC2086
		a=$("$PW_H"/$cmd 2>&1) || true
		# shellcheck disable=SC2086
		b=$(LD_PRELOAD="$PW_SHIM" "$PW_H"/$cmd 2>&1) || true
		[[ $a == "ok "*"mode=020666"* ]] || pw_fail "control: mask not in place: $a"
		[ "$a" = "$b" ] || pw_fail "mask not respected by $cmd:" "  without: $a" "  with:    $b"
		[[ $b != *"data=$h"* ]] || pw_fail "mask bypassed by $cmd: $b"
	done
	# A write through the mask: refused (blocked, or EROFS: finding F5).
	b=$(LD_PRELOAD="$PW_SHIM" "$PW_H/plain/h-open" open /proc/sys/kernel/hostname w 2>"$PW_TMP/eb") || true
	if ! pw_is_blocked "$b" "$(<"$PW_TMP/eb")" "($PW_OPEN_CALLS)" && [ "$b" != err=EROFS ]; then
		pw_fail "write through the /dev/null mask not refused: $b $(<"$PW_TMP/eb")"
	fi
}

@test "attack A2: /dev/null bound over a sysctl is a mask: open, fopen, stat see it, never the sysctl; a write is refused" {
	pw_ns a2
}

# ---- A3: tmpfs over attr/, fake current, exec -> a real sysctl --------------------

a3() {
	local s='mount -t tmpfs tmpfs $S/attr && echo fake >$S/attr/current && ln -s /proc/sys/kernel/hostname $S/attr/exec'
	self_attack "$s" "ok *data=fake." "$PW_GEN_ATTR" "$PW_OPEN_CALLS" "$PW_H/plain/h-open" -r open /proc/self/attr/current r
	# The write gadget: exec follows into a genuine procfs sysctl, which an
	# fstatfs-only check would accept.  Opened read-only here: nothing is
	# written.
	self_attack "$s" "ok *link=/proc/sys/kernel/hostname*" "ok *link=/proc/*/attr/exec*" "$PW_OPEN_CALLS" \
		"$PW_H/plain/h-open" open /proc/self/attr/exec r
	self_attack "$s" "ok *n=2 names=current,exec" "ok *names=*,exec,*" "opendir" "$PW_H/plain/h-dir" -n opendir /proc/self/attr
	self_attack "$s" "ok len=25 text=/proc/sys/kernel/hostname *" "-" "$PW_READLINK_CALLS" \
		"$PW_H/fortify/h-readlink" readlink /proc/self/attr/exec
	self_attack "$s" "*ok text=/proc/sys/kernel/hostname" "*ok text=/proc/*/attr/exec" "$PW_REALPATH_CALLS" \
		"$PW_H/plain/h-realpath" realpath /proc/self/attr/exec
}

@test "attack A3: tmpfs over attr/ with a fake current and exec -> sysctl via open, opendir, readlink, realpath" {
	pw_ns a3
}

# ---- A4: a symlink "1" bound over /proc/self --------------------------------------

a4() {
	ln -s 1 "$PW_TMP/one"
	"$PW_H/plain/bindfd" "$PW_TMP/one" /proc/self
	local c1
	c1=$(tr -c '!-~' . </proc/1/comm)
	pw_attack "ok *data=Name:.$c1*" "ok *data=Name:.h-open.*" "$PW_OPEN_CALLS" "$PW_H/plain/h-open" -r open /proc/self/status r
	pw_attack "ok *data=Name:.$c1*" "ok *data=Name:.h-stdio.*" "$PW_STDIO_CALLS" "$PW_H/plain/h-stdio" -r fopen /proc/self/status r
	pw_attack "ok len=1 text=1 *" "ok len=* text=[1-9][0-9]* *" "$PW_READLINK_CALLS" "$PW_H/plain/h-readlink" readlink /proc/self
	pw_attack "*ok text=/proc/1/status" "*ok text=/proc/[1-9][0-9]*/status" "$PW_REALPATH_CALLS" \
		"$PW_H/plain/h-realpath" realpath /proc/self/status
	pw_attack "ok *link=/proc/1/fd *" "ok *link=/proc/[1-9][0-9]*/fd *" "opendir" "$PW_H/plain/h-dir" opendir /proc/self/fd
}

@test "attack A4: symlink to PID 1 bound over /proc/self via open, fopen, readlink, realpath, opendir" {
	pw_ns a4
}

# ---- A5: a symlink -> /etc/passwd bound over the magic link exe -------------------

a5() {
	local s='ln -sfn /etc/passwd $PW_TMP/evil-exe && "$PW_H/plain/bindfd" $PW_TMP/evil-exe $S/exe'
	self_attack "$s" "ok len=11 text=/etc/passwd *" "ok *text=$PW_H/plain/h-readlink *" "$PW_READLINK_CALLS" \
		"$PW_H/plain/h-readlink" readlink /proc/self/exe
	self_attack "$s" "ok len=11 text=/etc/passwd *" "ok *text=$PW_H/fortify/h-readlink *" "$PW_READLINK_CALLS" \
		"$PW_H/fortify/h-readlink" readlink /proc/self/exe
	self_attack "$s" "ok *data=root:*" "ok *data=.ELF*" "$PW_OPEN_CALLS" "$PW_H/plain/h-open" -r open /proc/self/exe r
	self_attack "$s" "ok *mode=0100644" "ok *mode=0100755" "$PW_STAT_CALLS" "$PW_H/plain/h-stat" stat /proc/self/exe
	self_attack "$s" "*ok text=/etc/passwd" "*ok text=$PW_H/plain/h-realpath" "$PW_REALPATH_CALLS" \
		"$PW_H/plain/h-realpath" realpath /proc/self/exe
}

@test "attack A5: symlink to /etc/passwd bound over /proc/self/exe via readlink, open, stat, realpath" {
	pw_ns a5
}

# ---- A6: tmpfs over /proc/self/task (thread-self leads into it) -------------------

a6() {
	local s='mount -t tmpfs tmpfs $S/task && mkdir $S/task/$P && echo fake >$S/task/$P/comm'
	self_attack "$s" "ok *data=fake." "ok *data=h-open.*" "$PW_OPEN_CALLS" "$PW_H/plain/h-open" -r open /proc/thread-self/comm r
	self_attack "$s" "ok *n=1 names=comm" "ok *names=*,comm,*" "opendir" "$PW_H/plain/h-dir" -n opendir /proc/thread-self
	self_attack "$s" "ok *mode=0100644" "-" "$PW_STAT_CALLS" "$PW_H/plain/h-stat" lstat /proc/thread-self/comm
}

@test "attack A6: tmpfs over /proc/self/task via open, opendir, stat of thread-self" {
	pw_ns a6
}

# ---- A7: tmpfs over /proc with a fake self/attr/current --------------------------

a7() {
	mount -t tmpfs tmpfs /proc
	mkdir -p /proc/self/attr
	echo fake >/proc/self/attr/current
	pw_attack "ok *data=fake." "$PW_GEN_ATTR" "$PW_OPEN_CALLS" "$PW_H/plain/h-open" -r open /proc/self/attr/current r
	pw_attack "ok *data=fake." "$PW_GEN_ATTR" "$PW_STDIO_CALLS" "$PW_H/plain/h-stdio" -r fopen /proc/self/attr/current r
	pw_attack "ok *mode=0100644" "ok *mode=0100666" "$PW_STAT_CALLS" "$PW_H/plain/h-stat" stat /proc/self/attr/current
	pw_attack "ok *n=1 names=current" "ok *names=*,exec,*" "opendir" "$PW_H/plain/h-dir" -n opendir /proc/self/attr
	pw_attack "err=EINVAL" "ok len=* text=[1-9]* *" "$PW_READLINK_CALLS" "$PW_H/plain/h-readlink" readlink /proc/self
	pw_attack "*ok text=/proc/self/attr/current" "*ok text=/proc/[1-9]*/attr/current" "$PW_REALPATH_CALLS" \
		"$PW_H/plain/h-realpath" realpath /proc/self/attr/current
}

@test "attack A7: tmpfs over /proc (CVE-2019-16884) via open, fopen, stat, opendir, readlink, realpath" {
	pw_ns a7
}

# ---- A8: /proc/tty bound over /proc ------------------------------------------------

a8() {
	local drv
	drv=$(pw_field "$("$PW_H/plain/h-stat" stat /proc/driver)" id)
	mount --bind /proc/tty /proc
	pw_attack "ok *data=/dev/tty*" "err=ENOENT" "$PW_OPEN_CALLS" "$PW_H/plain/h-open" -r open /proc/drivers r
	pw_attack "ok *data=/dev/tty*" "err=ENOENT" "$PW_STDIO_CALLS" "$PW_H/plain/h-stdio" -r fopen /proc/drivers r
	pw_attack "ok *mode=0100444" "err=ENOENT" "$PW_STAT_CALLS" "$PW_H/plain/h-stat" stat /proc/ldiscs
	pw_attack "ok *" "ok *id=$drv *" "opendir" "$PW_H/plain/h-dir" opendir /proc/driver
	pw_attack "err=ENOENT" "ok len=* text=[1-9]* *" "$PW_READLINK_CALLS" "$PW_H/plain/h-readlink" readlink /proc/self
	pw_attack "*ok text=/proc/ldiscs" "err=ENOENT" "$PW_REALPATH_CALLS" "$PW_H/plain/h-realpath" realpath /proc/ldiscs
}

@test "attack A8: /proc/tty bound over /proc (wrong subtree of a real procfs) via open, fopen, stat, opendir, readlink, realpath" {
	pw_ns a8
}

# ---- A9: tmpfs over the /proc/self/fd directory ----------------------------------

a9() {
	local s='mount -t tmpfs tmpfs $S/fd && ln -s /etc/passwd $S/fd/0 && ln -s /etc/passwd $S/fd/1'
	self_attack "$s" "ok len=11 text=/etc/passwd *" "ok len=* text=/dev/null *" "$PW_READLINK_CALLS" \
		"$PW_H/plain/h-readlink" readlink /proc/self/fd/0
	self_attack "$s" "ok *data=root:*" "ok *link=/dev/null *" "$PW_OPEN_CALLS" "$PW_H/plain/h-open" -r open /proc/self/fd/0 r
	self_attack "$s" "*ok text=/etc/passwd" "*ok text=/dev/null" "$PW_REALPATH_CALLS" "$PW_H/plain/h-realpath" realpath /proc/self/fd/0
	self_attack "$s" "ok *n=2 names=0,1" "ok *names=0,1,2*" "opendir" "$PW_H/plain/h-dir" -n opendir /proc/self/fd
	self_attack "$s" "ok *mode=0100644" "ok *mode=020666" "$PW_STAT_CALLS" "$PW_H/plain/h-stat" stat /proc/self/fd/0
}

@test "attack A9: tmpfs with attacker links over /proc/self/fd via readlink, open, realpath, opendir, stat" {
	pw_ns a9
}

# ---- audit mode --------------------------------------------------------------------

audit_checks() {
	local a b eb data
	data=$(pw_field "$("$PW_H/plain/h-open" -r open /proc/cmdline r)" data)
	"$PW_H/plain/bindfd" /proc/cmdline /proc/version
	for cmd in "h-open -r open /proc/version r" "h-stdio -r fopen /proc/version r" "h-stat stat /proc/version" \
		"h-dir opendir /proc/self/fd"; do
		# shellcheck disable=SC2086
		a=$("$PW_H"/plain/$cmd 2>/dev/null) || true
		# shellcheck disable=SC2086
		b=$(PATHWARD_MODE=audit LD_PRELOAD="$PW_SHIM" "$PW_H"/plain/$cmd 2>"$PW_TMP/eb") || true
		eb=$(<"$PW_TMP/eb")
		pw_norm_str proc "$a"; a=$REPLY
		pw_norm_str proc "$b"; b=$REPLY
		[ "$a" = "$b" ] || pw_fail "audit changed the result of $cmd:" "  without: $a" "  audit:   $b"
		case $cmd in
		*/proc/version*)
			[[ $a == *"data=${data:0:16}"* || $cmd != *-r* ]] || pw_fail "control: overmount did not take: $a"
			[ "$(grep -c . <<<"$eb")" = 1 ] && grep -qE '^pathward: audit [a-z0-9_]+\("/proc/version"\)' <<<"$eb" ||
				pw_fail "audit log for $cmd: '$eb'"
			;;
		*) [ -z "$eb" ] || pw_fail "audit logged a clean call $cmd: '$eb'" ;;
		esac
	done
}

@test "audit mode: an overmounted /proc file is logged once per call and the call behaves as without the shim" {
	pw_ns audit_checks
}
