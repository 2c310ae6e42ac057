#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# context.bats - the shim's wrappers in hostile contexts (DESIGN §2,
# shim.md §2.7 and §3 items 11-16): a call from a dependency's constructor
# (before the shim's own constructor), from a vfork child, from a signal
# handler (once on a small alternate stack, and under a timer storm while
# threads open /proc), after the program closed every descriptor, the
# lowest-free-fd rule, O_TMPFILE's mode and the caller's F_GETFL flags.
# Each gives what the same call gives without the shim and, where an
# overmount is set up, refuses the attacker's object.

load lib/common

setup() {
	pw_setup
	need_shim
	pw_fixture
}

teardown() {
	pw_teardown
}

@test "context: a library constructor runs before the shim's and its fopen works (all builds)" {
	local v order
	# The hazard is real: the loader initialises libctor.so first.
	order=$(LD_DEBUG=libs LD_PRELOAD="$PW_SHIM" "$PW_H/plain/h-ctor" 2>&1 >/dev/null |
		sed -n 's/.*calling init: .*\/\(libctor.so\|pathward-preload.so\)$/\1/p' | tr '\n' ' ')
	[ "$order" = "libctor.so pathward-preload.so " ] || pw_fail "init order: '$order'"
	for v in "${PW_VARIANTS[@]}"; do
		HCTOR_PATH=/proc/self/comm HCTOR_READ=1 pw_same proc "$PW_H/$v/h-ctor"
		HCTOR_PATH=/proc/self/status pw_same proc "$PW_H/$v/h-ctor"
		HCTOR_PATH=/proc/sys/kernel/ostype HCTOR_READ=1 pw_same "$PW_H/$v/h-ctor"
		HCTOR_PATH=/proc/self/nope pw_same proc "$PW_H/$v/h-ctor"
	done
	pw_done
}

ctor_attack() {
	local out err
	"$PW_H/plain/bindfd" /proc/cmdline /proc/version
	out=$(HCTOR_PATH=/proc/version HCTOR_READ=1 "$PW_H/plain/h-ctor" 2>/dev/null) || true
	[[ $out == "ctor: ok "*"data=Linux.version"* ]] && pw_fail "control: overmount did not take: $out"
	out=$(HCTOR_PATH=/proc/version HCTOR_READ=1 LD_PRELOAD="$PW_SHIM" "$PW_H/plain/h-ctor" 2>"$PW_TMP/err") || true
	err=$(<"$PW_TMP/err")
	# Both calls (constructor, then main) blocked, one log line each.
	if [ "$out" != $'ctor: err=EACCES\nmain: err=EACCES' ] ||
		[ "$(grep -c '^pathward: blocked fopen("/proc/version")' <<<"$err")" != 2 ]; then
		pw_fail "constructor call not protected:" "$out" "$err"
	fi
}

@test "context: a constructor's fopen of an overmounted /proc file is refused before the shim initialised" {
	pw_ns ctor_attack
}

@test "context: open from a vfork child (all builds)" {
	local v
	for v in "${PW_VARIANTS[@]}"; do
		pw_same proc "$PW_H/$v/h-vfork" -r /proc/self/comm
		pw_same proc "$PW_H/$v/h-vfork" /proc/self/nope
		pw_same "$PW_H/$v/h-vfork" -r /proc/sys/kernel/ostype
	done
	pw_done
}

vfork_attack() {
	local data out err
	data=$(pw_field "$("$PW_H/plain/h-open" -r open /proc/cmdline r)" data)
	"$PW_H/plain/bindfd" /proc/cmdline /proc/version
	out=$("$PW_H/plain/h-vfork" -r /proc/version) || true
	[[ $out == "child: ok "*"data=${data:0:16}"* ]] || pw_fail "control: overmount did not take: $out"
	out=$(LD_PRELOAD="$PW_SHIM" "$PW_H/plain/h-vfork" -r /proc/version 2>"$PW_TMP/err") || true
	err=$(<"$PW_TMP/err")
	# Child and parent blocked, one log line each.
	if [ "$out" != $'child: err=EACCES\nparent: err=EACCES' ] ||
		[ "$(grep -c '^pathward: blocked open("/proc/version")' <<<"$err")" != 2 ]; then
		pw_fail "vfork child's call not protected:" "$out" "$err"
	fi
}

@test "context: a vfork child's open of an overmounted /proc file is refused" {
	pw_ns vfork_attack
}

@test "context: open from a signal handler on a 32 KiB alternate stack (all builds)" {
	local v
	for v in "${PW_VARIANTS[@]}"; do
		pw_same proc "$PW_H/$v/h-signal" -r /proc/self/comm
		pw_same "$PW_H/$v/h-signal" -r /proc/sys/kernel/ostype
		pw_same proc "$PW_H/$v/h-signal" /proc/self/nope
	done
	pw_done
}

@test "context: SIGALRM storm while two threads open /proc: no error, no deadlock" {
	local n=3000
	pw_quick && n=300
	pw_expect "stress ok errs=0" "$PW_H/plain/h-signal" stress /proc/self/stat "$n"
	pw_expect "stress ok errs=0" "$PW_H/plain/h-signal" stress /proc/thread-self/comm "$n"
	pw_done
}

signal_attack() {
	"$PW_H/plain/bindfd" /proc/cmdline /proc/version
	pw_attack "ok *data=$(pw_field "$("$PW_H/plain/h-open" -r open /proc/cmdline r)" data)*" "-" "open" \
		"$PW_H/plain/h-signal" -r /proc/version
}

@test "context: a signal handler's open of an overmounted /proc file is refused" {
	pw_ns signal_attack
}

@test "context: open after closing every descriptor (0-2 included) returns fd 0, as without the shim" {
	local v a b
	for v in "${PW_VARIANTS[@]}"; do
		for p in /proc/self/comm /proc/sys/kernel/ostype /proc/self/nope "$PW_TMP/fx/etc/hostname"; do
			rm -f "$PW_TMP/a" "$PW_TMP/b"
			"$PW_H/$v/h-closeall" -r "$PW_TMP/a" "$p" || true
			LD_PRELOAD="$PW_SHIM" "$PW_H/$v/h-closeall" -r "$PW_TMP/b" "$p" || true
			pw_norm_str proc "$(<"$PW_TMP/a")"; a=$REPLY
			pw_norm_str proc "$(<"$PW_TMP/b")"; b=$REPLY
			[ "$a" = "$b" ] || pw_fail "close-all $v $p: without '$a', with '$b'"
		done
	done
	[[ $a == *"ok fd=0 "* || $a == err=* ]]
}

@test "context: lowest free descriptor: close(0) then open/fopen/opendir of /proc gives fd 0" {
	local v
	for v in "${PW_VARIANTS[@]}"; do
		pw_same proc "$PW_H/$v/h-open" -c 0 open /proc/self/status r
		pw_same proc "$PW_H/$v/h-open" -c 0 openat /proc/self/status r
		pw_same proc "$PW_H/$v/h-stdio" -c 0 fopen /proc/self/status r
		pw_same proc "$PW_H/$v/h-dir" -c 0 opendir /proc/self/fd
	done
	pw_done
	r=$(LD_PRELOAD="$PW_SHIM" "$PW_H/plain/h-open" -c 0 open /proc/self/status r)
	[[ $r == "ok fd=0 "* ]] || pw_fail "not fd 0: $r"
}

@test "context: O_TMPFILE keeps the caller's mode (0640 and 0600) and /proc refuses it with the native errno" {
	local v fn m
	for v in "${PW_VARIANTS[@]}"; do
		for fn in open open64 openat openat64; do
			for m in 0640 0600; do
				pw_same proc "$PW_H/$v/h-open" "$fn" "$PW_TMP" tmpfile,rw "$m"
				r=$(LD_PRELOAD="$PW_SHIM" "$PW_H/$v/h-open" "$fn" "$PW_TMP" tmpfile,rw "$m")
				[[ $r == *" mode=0100${m#0} "* ]] || pw_fail "O_TMPFILE mode $m lost: $r"
			done
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/self tmpfile,rw 0640
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/self/fd tmpfile,w 0600
		done
	done
	pw_done
}

@test "context: the caller's open flags survive a rerouted open (F_GETFL equal)" {
	local v f
	for v in "${PW_VARIANTS[@]}"; do
		for f in r r,cloexec rw,append w,nonblock r,noatime r,nonblock,noctty rw,sync rw,dsync \
			r,directory path path,nofollow r,largefile; do
			pw_same proc "$PW_H/$v/h-open" open /proc/self/comm "$f"
			pw_same proc "$PW_H/$v/h-open" openat /proc/thread-self/comm "$f"
			pw_same proc "$PW_H/$v/h-open" open /proc/self/fd "$f"
		done
	done
	pw_done
}
