#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# corpus.bats - the transparency corpus (shim.md §5, issue 4 "It must
# show"): real Debian programs give identical normalised stdout+stderr and
# exit code with and without the shim, on the host /proc ("host") and in a
# simulated runc-style container /proc ("container": masks and a read-only
# /proc/sys, set up in a private mount namespace).  Lines and harness:
# tests/shim/lib/corpus.bash.  Quick mode (PATHWARD_TEST_QUICK=1) keeps
# one line per program family.

load lib/common
load lib/corpus

setup() {
	pw_setup
	need_shim
	pw_fixture
}

teardown() {
	pw_teardown
}

# Under asan-test (PATHWARD_ASAN_PRELOAD set) every line runs, quick or
# not: a memory error can hide in any program's use of the shim.
in_quick_set() {
	local n=$1 q
	pw_quick || return 0
	[ -z "${PATHWARD_ASAN_PRELOAD:-}" ] || return 0
	for q in "${CORPUS_QUICK[@]}"; do [ "$q" = "$n" ] && return 0; done
	return 1
}

statx_line() {
	local q
	[ "$PW_STATX_OK" = 0 ] || return 1
	for q in "${CORPUS_STATX_ROOT[@]}"; do [ "$q" = "$1" ] && return 0; done
	return 1
}

host_line() {
	in_quick_set "$1" || skip "quick mode: line $1 ran in the full pass"
	! statx_line "$1" || skip "statx refused natively (forced seccomp): no native answer for line $1"
	corpus_check "$1"
}

container_line() {
	in_quick_set "$1" || skip "quick mode: line $1 ran in the full pass"
	! statx_line "$1" || skip "statx refused natively (forced seccomp): no native answer for line $1"
	need_unshare
	PW_SHIM=$PW_SHIM PW_TMP=$PW_TMP FX=$FX \
		unshare -m --propagation private bash -c '
			set -euo pipefail
			. "$1/lib/common.bash"; . "$1/lib/corpus.bash"
			corpus_container_masks
			corpus_check "$2"' _ "$BATS_TEST_DIRNAME" "$1"
}

@test "corpus: harness sees a descriptor leak (a shim holding one fd would fail lines 11, 15, 28)" {
	# Self-check of the harness, no shim involved: an extra open fd in the
	# line's shell must show in line 28's output (python's listdir works
	# in the forced-seccomp reruns too, where ls dies on statx).
	corpus_run "$PW_TMP/a" 0 "${CORPUS[28]}"
	corpus_run "$PW_TMP/b" 0 "exec 7</dev/null; ${CORPUS[28]}"
	! cmp -s "$PW_TMP/a" "$PW_TMP/b"
}

@test "corpus: harness runs every line to the same output twice without the shim (line 21 spot check)" {
	corpus_run "$PW_TMP/a" 0 "${CORPUS[21]}"
	corpus_run "$PW_TMP/b" 0 "${CORPUS[21]}"
	cmp "$PW_TMP/a" "$PW_TMP/b"
	grep -q '^rc=0$' "$PW_TMP/a"
}

@test "corpus host 1: cat /proc/self/comm" {
	host_line 1
}

@test "corpus host 2: cut -d' ' -f2,3 /proc/self/stat" {
	host_line 2
}

@test "corpus host 3: grep -E '^(Name|Umask|State|Uid|Gid|Threads|NoNewPrivs|Secco" {
	host_line 3
}

@test "corpus host 4: tr '0' 'n' < /proc/self/cmdline" {
	host_line 4
}

@test "corpus host 5: tr '0' 'n' < /proc/self/environ | grep -v -e '^LD_PRELOAD=" {
	host_line 5
}

@test "corpus host 6: readlink /proc/self/exe" {
	host_line 6
}

@test "corpus host 7: readlink /proc/self/fd/0 < /dev/null" {
	host_line 7
}

@test "corpus host 8: readlink -f /dev/stdin < /etc/hostname" {
	host_line 8
}

@test "corpus host 9: readlink -f /proc/self/cwd" {
	host_line 9
}

@test "corpus host 10: realpath /proc/self/cwd /proc/self/root" {
	host_line 10
}

@test "corpus host 11: ls /proc/self/fd" {
	host_line 11
}

@test "corpus host 12: ls -l /proc/self/fd /proc/self/exe | awk 'NR>1 && NF>8 {prin" {
	host_line 12
}

@test "corpus host 13: stat -c '%n %F %a' /proc/self/status /proc/self/root /proc/t" {
	host_line 13
}

@test "corpus host 14: stat -L -c '%F' /proc/self/exe; stat -f -c %T /proc" {
	host_line 14
}

@test "corpus host 15: find /proc/self/fd -maxdepth 1 -printf '%Pn' | sort" {
	host_line 15
}

@test "corpus host 16: find /proc/self/ -maxdepth 1 -name 'c*' -printf '%f %yn' | " {
	host_line 16
}

@test "corpus host 17: find /proc/self/task -mindepth 1 -maxdepth 1 | wc -l" {
	host_line 17
}

@test "corpus host 18: cd /proc/self && cat comm && ls -d fd && pwd -P" {
	host_line 18
}

@test "corpus host 19: sh -c 'exec 3</proc/self/comm; cat <&3; readlink /proc/self/" {
	host_line 19
}

@test "corpus host 20: cat <(echo via-dev-fd); diff <(cat /proc/self/root/etc/hostn" {
	host_line 20
}

@test "corpus host 21: ps -o user=,comm= -p 1; ps -o comm= -p " {
	host_line 21
}

@test "corpus host 22: pgrep -x -c (cat /proc/1/comm); pgrep -c -x nosuchproc" {
	host_line 22
}

@test "corpus host 23: top -b -n1 -p 1 | tail -1 | awk '{print 1,2,NF}'" {
	host_line 23
}

@test "corpus host 24: cut -d: -f1 /proc/meminfo | head -5; nproc; getconf _NPROCES" {
	host_line 24
}

@test "corpus host 25: df -P /proc | awk 'NR==2{print 1,6}'; findmnt -n -o FSTYPE" {
	host_line 25
}

@test "corpus host 26: lsof -w -a -p  -d cwd -Fn | tail -1" {
	host_line 26
}

@test "corpus host 27: env -i /usr/bin/cat /proc/self/comm" {
	host_line 27
}

@test "corpus host 28: python3 -c import os; print(sorted(os.listdir('/proc/self/f" {
	host_line 28
}

@test "corpus host 29: python3 -c import os; d=os.open('/proc/self', os.O_RDONLY|o" {
	host_line 29
}

@test "corpus host 30: python3 -c import os; os.chdir('/proc/self'); print(open('c" {
	host_line 30
}

@test "corpus host 31: python3 -c import subprocess; print(subprocess.run(['cat','" {
	host_line 31
}

@test "corpus host 32: cat FX/etc/hostname FX/etc/rel-link; readlink FX/etc/rel-" {
	host_line 32
}

@test "corpus host 33: ls -l FX/etc | awk 'NR>1{print 1,9,10,11}'" {
	host_line 33
}

@test "corpus host 34: stat -c '%n %F %s' FX/etc/hostname FX/etc/rel-link FX/dir" {
	host_line 34
}

@test "corpus host 35: find FX/dir -printf '%y %Pn' | sort; du -a --apparent-size" {
	host_line 35
}

@test "corpus host 36: tar -C FX -cf - dir | tar -tf - | sort" {
	host_line 36
}

@test "corpus host 37: cd FX/dir/a && cat b/file ../a/b/file ./b/../b/file && ls -" {
	host_line 37
}

@test "corpus host 38: cat FX/dir/link/../file2" {
	host_line 38
}

@test "corpus host 39: cat /proc/self/nonexistent; cat FX/etc/nonexistent; ls FX/" {
	host_line 39
}

@test "corpus host 40: awk '/^(Name|PPid):/{print 1}' /proc/self/status; grep -c ." {
	host_line 40
}

@test "corpus host 41: head -c 0 /proc/sys/kernel/hostname && echo readable; test -" {
	host_line 41
}

@test "corpus host 42: python3 -c import os; print(sorted(os.listdir('FX/etc')), " {
	host_line 42
}

@test "corpus container 1: cat /proc/self/comm" {
	container_line 1
}

@test "corpus container 2: cut -d' ' -f2,3 /proc/self/stat" {
	container_line 2
}

@test "corpus container 3: grep -E '^(Name|Umask|State|Uid|Gid|Threads|NoNewPrivs|Secco" {
	container_line 3
}

@test "corpus container 4: tr '0' 'n' < /proc/self/cmdline" {
	container_line 4
}

@test "corpus container 5: tr '0' 'n' < /proc/self/environ | grep -v -e '^LD_PRELOAD=" {
	container_line 5
}

@test "corpus container 6: readlink /proc/self/exe" {
	container_line 6
}

@test "corpus container 7: readlink /proc/self/fd/0 < /dev/null" {
	container_line 7
}

@test "corpus container 8: readlink -f /dev/stdin < /etc/hostname" {
	container_line 8
}

@test "corpus container 9: readlink -f /proc/self/cwd" {
	container_line 9
}

@test "corpus container 10: realpath /proc/self/cwd /proc/self/root" {
	container_line 10
}

@test "corpus container 11: ls /proc/self/fd" {
	container_line 11
}

@test "corpus container 12: ls -l /proc/self/fd /proc/self/exe | awk 'NR>1 && NF>8 {prin" {
	container_line 12
}

@test "corpus container 13: stat -c '%n %F %a' /proc/self/status /proc/self/root /proc/t" {
	container_line 13
}

@test "corpus container 14: stat -L -c '%F' /proc/self/exe; stat -f -c %T /proc" {
	container_line 14
}

@test "corpus container 15: find /proc/self/fd -maxdepth 1 -printf '%Pn' | sort" {
	container_line 15
}

@test "corpus container 16: find /proc/self/ -maxdepth 1 -name 'c*' -printf '%f %yn' | " {
	container_line 16
}

@test "corpus container 17: find /proc/self/task -mindepth 1 -maxdepth 1 | wc -l" {
	container_line 17
}

@test "corpus container 18: cd /proc/self && cat comm && ls -d fd && pwd -P" {
	container_line 18
}

@test "corpus container 19: sh -c 'exec 3</proc/self/comm; cat <&3; readlink /proc/self/" {
	container_line 19
}

@test "corpus container 20: cat <(echo via-dev-fd); diff <(cat /proc/self/root/etc/hostn" {
	container_line 20
}

@test "corpus container 21: ps -o user=,comm= -p 1; ps -o comm= -p " {
	container_line 21
}

@test "corpus container 22: pgrep -x -c (cat /proc/1/comm); pgrep -c -x nosuchproc" {
	container_line 22
}

@test "corpus container 23: top -b -n1 -p 1 | tail -1 | awk '{print 1,2,NF}'" {
	container_line 23
}

@test "corpus container 24: cut -d: -f1 /proc/meminfo | head -5; nproc; getconf _NPROCES" {
	container_line 24
}

@test "corpus container 25: df -P /proc | awk 'NR==2{print 1,6}'; findmnt -n -o FSTYPE" {
	container_line 25
}

@test "corpus container 26: lsof -w -a -p  -d cwd -Fn | tail -1" {
	container_line 26
}

@test "corpus container 27: env -i /usr/bin/cat /proc/self/comm" {
	container_line 27
}

@test "corpus container 28: python3 -c import os; print(sorted(os.listdir('/proc/self/f" {
	container_line 28
}

@test "corpus container 29: python3 -c import os; d=os.open('/proc/self', os.O_RDONLY|o" {
	container_line 29
}

@test "corpus container 30: python3 -c import os; os.chdir('/proc/self'); print(open('c" {
	container_line 30
}

@test "corpus container 31: python3 -c import subprocess; print(subprocess.run(['cat','" {
	container_line 31
}

@test "corpus container 32: cat FX/etc/hostname FX/etc/rel-link; readlink FX/etc/rel-" {
	container_line 32
}

@test "corpus container 33: ls -l FX/etc | awk 'NR>1{print 1,9,10,11}'" {
	container_line 33
}

@test "corpus container 34: stat -c '%n %F %s' FX/etc/hostname FX/etc/rel-link FX/dir" {
	container_line 34
}

@test "corpus container 35: find FX/dir -printf '%y %Pn' | sort; du -a --apparent-size" {
	container_line 35
}

@test "corpus container 36: tar -C FX -cf - dir | tar -tf - | sort" {
	container_line 36
}

@test "corpus container 37: cd FX/dir/a && cat b/file ../a/b/file ./b/../b/file && ls -" {
	container_line 37
}

@test "corpus container 38: cat FX/dir/link/../file2" {
	container_line 38
}

@test "corpus container 39: cat /proc/self/nonexistent; cat FX/etc/nonexistent; ls FX/" {
	container_line 39
}

@test "corpus container 40: awk '/^(Name|PPid):/{print 1}' /proc/self/status; grep -c ." {
	container_line 40
}

@test "corpus container 41: head -c 0 /proc/sys/kernel/hostname && echo readable; test -" {
	container_line 41
}

@test "corpus container 42: python3 -c import os; print(sorted(os.listdir('FX/etc')), " {
	container_line 42
}
