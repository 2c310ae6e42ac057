#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# routing.bats - every wrapped entry point, in each of the three helper
# builds (plain, -D_FILE_OFFSET_BITS=64, -O2 -D_FORTIFY_SOURCE=2), routes
# its path to the right class and gives the oracle's answer:
#   PASS  (outside /proc and the roots): the plain call without the shim;
#   PROC  on a clean /proc: the plain call without the shim (same fd
#         number, flags, link text, errno; per-pid inodes normalised);
#   PROC  through an overmount (private mount namespace): not the
#         attacker's object: blocked (EACCES + one log line) or genuine;
#   ROOT  (under PATHWARD_ROOTS=$FX): openat2(FX, path, RESOLVE_IN_ROOT),
#         or a real chroot where openat2 is refused (forced seccomp runs).

load lib/common

setup() {
	pw_setup
	need_shim
	pw_fixture
	P=$PW_TMP/plain
	mkdir -p "$P/d"
	echo plain-data >"$P/file"
	ln -s file "$P/link"
	ln -s /etc/hostname "$P/abs"
	# Under the forced-seccomp reruns statx itself fails natively (EPERM or
	# ENOSYS), so there is no native answer to compare with: leave it out.
	# shellcheck disable=SC2206 # the names have no spaces; drops the hole
	[ "$PW_STATX_OK" = 1 ] || STAT_FUNCS=(${STAT_FUNCS[@]/statx/})
}

teardown() {
	pw_teardown
}

OPEN_FUNCS=(open open64 openat openat64 __open_2 __open64_2 __openat_2 __openat64_2)
STAT_FUNCS=(stat stat64 lstat lstat64 fstatat fstatat64 statx __xstat __xstat64 __lxstat __lxstat64 __fxstatat __fxstatat64)
STDIO_FUNCS=(fopen fopen64 freopen freopen64)
ACCESS_FUNCS=(access faccessat eaccess euidaccess)
READLINK_FUNCS=(readlink readlinkat __readlink_chk __readlinkat_chk)
REALPATH_FUNCS=(realpath realpath-null __realpath_chk canonicalize_file_name)

is_fortify_name() { case $1 in __*_2) return 0 ;; *) return 1 ;; esac; }

# Every entry point runs the first cases of a family in each of the three
# builds (in each build the plain name reaches a different symbol: open,
# open64 or __open_2); the long case list runs for the family's main names
# in the plain build only, which keeps the suite to seconds.  Quick mode
# (forced-seccomp reruns) tests the plain build only: the shim's
# fallbacks, not the symbol, are what changes there.
main_name() {
	local fn=$1 m
	shift
	[ "$v" = plain ] || return 1
	for m in "$@"; do [ "$fn" = "$m" ] && return 0; done
	return 1
}

variants() {
	if pw_quick; then VARIANTS=(plain); else VARIANTS=("${PW_VARIANTS[@]}"); fi
}

# ---- PASS -----------------------------------------------------------------

t_routing_pass_open_family_creat_o_tmpfile_in_all_th() {
	local v fn
	variants
	for v in "${VARIANTS[@]}"; do
		for fn in "${OPEN_FUNCS[@]}"; do
			pw_same "$PW_H/$v/h-open" -r "$fn" "$P/file" r
			pw_same "$PW_H/$v/h-open" "$fn" "$P/link" rw,append,nonblock
			pw_same "$PW_H/$v/h-open" "$fn" "$P/link" path,nofollow
			main_name "$fn" open openat || continue
			pw_same "$PW_H/$v/h-open" "$fn" "$P/nope" r
			pw_same "$PW_H/$v/h-open" "$fn" "$P/file/x" r
			pw_same "$PW_H/$v/h-open" -d "$P" "$fn" file r
			is_fortify_name "$fn" && continue
			# The first run creates the file, the second opens it: same line.
			pw_same "$PW_H/$v/h-open" "$fn" "$P/new-$fn-$v" rw,creat 0640
			pw_same "$PW_H/$v/h-open" "$fn" "$P/new-$fn-$v" rw,creat,excl 0640
			pw_same proc "$PW_H/$v/h-open" "$fn" "$P/d" tmpfile,rw 0640
		done
		pw_same "$PW_H/$v/h-open" creat "$P/creat-$v" r 0600
		pw_same "$PW_H/$v/h-open" creat64 "$P/creat64-$v" r 0600
	done
}

@test "routing PASS: open family, creat, O_TMPFILE, in all three builds" {
	pw_sub t_routing_pass_open_family_creat_o_tmpfile_in_all_th
}

t_routing_pass_stdio_opendir_stat_access_readlink_re() {
	local v fn
	variants
	for v in "${VARIANTS[@]}"; do
		for fn in "${STDIO_FUNCS[@]}"; do
			pw_same "$PW_H/$v/h-stdio" -r "$fn" "$P/file" r
			pw_same "$PW_H/$v/h-stdio" "$fn" "$P/link" a+e
			main_name "$fn" fopen || continue
			pw_same "$PW_H/$v/h-stdio" "$fn" "$P/nope" r
		done
		pw_same "$PW_H/$v/h-dir" -n opendir "$P"
		pw_same "$PW_H/$v/h-dir" -n opendir "$P/nope"
		for fn in ${STAT_FUNCS[@]+"${STAT_FUNCS[@]}"}; do
			[ -n "$fn" ] || continue
			pw_same "$PW_H/$v/h-stat" "$fn" "$P/link"
			main_name "$fn" stat fstatat statx || continue
			pw_same "$PW_H/$v/h-stat" "$fn" "$P/nope"
			pw_same "$PW_H/$v/h-stat" -d "$P" "$fn" link nofollow
		done
		for fn in "${ACCESS_FUNCS[@]}"; do
			pw_same "$PW_H/$v/h-access" "$fn" "$P/link" RW
			main_name "$fn" access faccessat || continue
			pw_same "$PW_H/$v/h-access" "$fn" "$P/file" X
			pw_same "$PW_H/$v/h-access" "$fn" "$P/nope" F
		done
		for fn in "${READLINK_FUNCS[@]}"; do
			pw_same "$PW_H/$v/h-readlink" "$fn" "$P/abs"
			main_name "$fn" readlink readlinkat || continue
			pw_same "$PW_H/$v/h-readlink" "$fn" "$P/abs" 4
			pw_same "$PW_H/$v/h-readlink" "$fn" "$P/file"
			pw_same "$PW_H/$v/h-readlink" -d "$P" "$fn" link
		done
		for fn in "${REALPATH_FUNCS[@]}"; do
			pw_same "$PW_H/$v/h-realpath" "$fn" "$P/link"
			main_name "$fn" realpath || continue
			pw_same "$PW_H/$v/h-realpath" "$fn" "$P/nope"
			pw_same "$PW_H/$v/h-realpath" -C "$P" "$fn" ./d/../link
		done
	done
}

@test "routing PASS: stdio, opendir, stat, access, readlink, realpath families" {
	pw_sub t_routing_pass_stdio_opendir_stat_access_readlink_re
}

# ---- PROC on a clean /proc -------------------------------------------------

t_routing_proc_clean_proc_open_family_gives_the_nati() {
	local v fn
	variants
	for v in "${VARIANTS[@]}"; do
		for fn in "${OPEN_FUNCS[@]}"; do
			pw_same proc "$PW_H/$v/h-open" -r "$fn" /proc/self/comm r
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/self/exe path,nofollow
			pw_same proc "$PW_H/$v/h-open" -d /proc/self "$fn" nonexistent r
			main_name "$fn" open openat || continue
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/self/status r,cloexec
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/thread-self/comm rw
			pw_same "$PW_H/$v/h-open" -r "$fn" /proc/sys/kernel/ostype r
			pw_same "$PW_H/$v/h-open" -r "$fn" /proc/version r,nonblock,noatime
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/self directory
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/self/exe path,nofollow
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/self/exe r,nofollow
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/self/fd/0 r
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/self/nonexistent r
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/self/status w
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/self/status/x r
			pw_same proc "$PW_H/$v/h-open" -d /proc/self "$fn" comm r
			pw_same proc "$PW_H/$v/h-open" -C /proc/self "$fn" status r
			pw_same proc "$PW_H/$v/h-open" -F /proc/self/fd "$fn" ../comm r
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/self/../self/comm r
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/self/root/etc/hostname r
			pw_same proc "$PW_H/$v/h-open" -c 0 "$fn" /proc/self/root/etc/hostname r
			pw_same proc "$PW_H/$v/h-open" -C /proc/self/root "$fn" etc/hostname r
			is_fortify_name "$fn" && continue
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/self/newfile rw,creat 0600
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/self/comm rw,creat,excl 0600
			pw_same proc "$PW_H/$v/h-open" "$fn" /proc/self tmpfile,rw 0600
		done
		pw_same proc "$PW_H/$v/h-open" creat /proc/self/newfile r 0600
	done
}

@test "routing PROC (clean /proc): open family gives the native fd, flags, link and errno" {
	pw_sub t_routing_proc_clean_proc_open_family_gives_the_nati
}

t_routing_proc_clean_proc_stdio_and_opendir() {
	local v fn
	variants
	for v in "${VARIANTS[@]}"; do
		for fn in "${STDIO_FUNCS[@]}"; do
			pw_same proc "$PW_H/$v/h-stdio" -r "$fn" /proc/self/comm r
			main_name "$fn" fopen || continue
			pw_same proc "$PW_H/$v/h-stdio" "$fn" /proc/self/comm r+e
			pw_same "$PW_H/$v/h-stdio" -r "$fn" /proc/sys/kernel/ostype re
			pw_same proc "$PW_H/$v/h-stdio" "$fn" /proc/self/status w
			pw_same proc "$PW_H/$v/h-stdio" "$fn" /proc/self/nope r
			pw_same proc "$PW_H/$v/h-stdio" "$fn" /proc/self/nope w
		done
		pw_same proc "$PW_H/$v/h-dir" -n opendir /proc/self/fd
		pw_same proc "$PW_H/$v/h-dir" -n opendir /proc/self/ns
		pw_same proc "$PW_H/$v/h-dir" -n opendir /proc/thread-self/fdinfo
		pw_same "$PW_H/$v/h-dir" -n opendir /proc/sys/kernel/random
		pw_same proc "$PW_H/$v/h-dir" -n opendir /proc/self/status
		pw_same proc "$PW_H/$v/h-dir" -n opendir /proc/self/nope
		pw_same proc "$PW_H/$v/h-dir" -n -C /proc/self opendir fd
	done
}

@test "routing PROC (clean /proc): stdio and opendir" {
	pw_sub t_routing_proc_clean_proc_stdio_and_opendir
}

t_routing_proc_clean_proc_stat_and_access_families() {
	local v fn
	variants
	for v in "${VARIANTS[@]}"; do
		for fn in ${STAT_FUNCS[@]+"${STAT_FUNCS[@]}"}; do
			[ -n "$fn" ] || continue
			pw_same "$PW_H/$v/h-stat" "$fn" /proc/version
			pw_same proc "$PW_H/$v/h-stat" "$fn" /proc/self/exe
			main_name "$fn" stat lstat fstatat statx || continue
			pw_same proc "$PW_H/$v/h-stat" "$fn" /proc/self
			pw_same proc "$PW_H/$v/h-stat" "$fn" /proc/mounts
			pw_same proc "$PW_H/$v/h-stat" "$fn" /proc/self/fd/0
			pw_same proc "$PW_H/$v/h-stat" "$fn" /proc/self/status
			pw_same proc "$PW_H/$v/h-stat" "$fn" /proc/thread-self/comm
			pw_same proc "$PW_H/$v/h-stat" "$fn" /proc/self/nope
			pw_same proc "$PW_H/$v/h-stat" -d /proc/self "$fn" exe nofollow
			pw_same proc "$PW_H/$v/h-stat" -d /proc/self "$fn" "" empty
			pw_same proc "$PW_H/$v/h-stat" -d /proc/self "$fn" ""
		done
		for fn in "${ACCESS_FUNCS[@]}"; do
			pw_same "$PW_H/$v/h-access" "$fn" /proc/self/status R
			main_name "$fn" access faccessat || continue
			pw_same "$PW_H/$v/h-access" "$fn" /proc/self/status W
			pw_same "$PW_H/$v/h-access" "$fn" /proc/self/comm RW
			pw_same "$PW_H/$v/h-access" "$fn" /proc/version X
			pw_same "$PW_H/$v/h-access" "$fn" /proc/self/exe X
			pw_same "$PW_H/$v/h-access" "$fn" /proc/self/nope F
			pw_same "$PW_H/$v/h-access" -d /proc/self "$fn" comm R
		done
		pw_same "$PW_H/$v/h-access" faccessat /proc/self/exe F nofollow
		pw_same "$PW_H/$v/h-access" faccessat /proc/sys/kernel/hostname W eaccess
	done
}

@test "routing PROC (clean /proc): stat and access families" {
	pw_sub t_routing_proc_clean_proc_stat_and_access_families
}

t_routing_proc_clean_proc_readlink_and_realpath_fami() {
	local v fn
	variants
	for v in "${VARIANTS[@]}"; do
		for fn in "${READLINK_FUNCS[@]}"; do
			pw_same proc "$PW_H/$v/h-readlink" "$fn" /proc/self
			pw_same proc "$PW_H/$v/h-readlink" "$fn" /proc/self/exe
			main_name "$fn" readlink readlinkat || continue
			pw_same proc "$PW_H/$v/h-readlink" "$fn" /proc/self/exe 3
			pw_same proc "$PW_H/$v/h-readlink" "$fn" /proc/self/fd/0
			pw_same proc "$PW_H/$v/h-readlink" "$fn" /proc/self/cwd
			pw_same proc "$PW_H/$v/h-readlink" "$fn" /proc/self/root
			pw_same proc "$PW_H/$v/h-readlink" "$fn" /proc/mounts
			pw_same proc "$PW_H/$v/h-readlink" "$fn" /proc/self/status
			pw_same proc "$PW_H/$v/h-readlink" "$fn" /proc/self/nope
			pw_same proc "$PW_H/$v/h-readlink" -d /proc/self "$fn" exe
			pw_same proc "$PW_H/$v/h-readlink" -C /proc/self/fd "$fn" 1
		done
		for fn in "${REALPATH_FUNCS[@]}"; do
			pw_same proc "$PW_H/$v/h-realpath" "$fn" /proc/self/status
			main_name "$fn" realpath || continue
			pw_same proc "$PW_H/$v/h-realpath" "$fn" /proc/self/cwd
			pw_same proc "$PW_H/$v/h-realpath" "$fn" /proc/self/root
			pw_same proc "$PW_H/$v/h-realpath" "$fn" /proc/self/fd/0
			pw_same proc "$PW_H/$v/h-realpath" "$fn" /proc/mounts
			pw_same proc "$PW_H/$v/h-realpath" "$fn" /proc/self/nope
			pw_same proc "$PW_H/$v/h-realpath" "$fn" /proc/self/status/x
			pw_same proc "$PW_H/$v/h-realpath" -C /proc/self "$fn" ../self/./fd/../comm
			pw_same proc "$PW_H/$v/h-realpath" "$fn" /proc/self/root/etc/../etc/hostname
		done
	done
}

@test "routing PROC (clean /proc): readlink and realpath families" {
	pw_sub t_routing_proc_clean_proc_readlink_and_realpath_fami
}

# ---- PROC through an overmount --------------------------------------------

# Global procfs objects (same inode for every process) are overmounted in
# a private mount namespace; every entry point must not hand out the
# attacker's object: blocked, or the genuine one recorded before the mount.
proc_overmount_checks() {
	local v fn data gv gbus cmd_id fs_id
	gv=$("$PW_H/plain/h-stat" stat /proc/version)
	gbus=$("$PW_H/plain/h-stat" stat /proc/bus)
	cmd_id=$(pw_field "$("$PW_H/plain/h-stat" stat /proc/cmdline)" id)
	fs_id=$(pw_field "$("$PW_H/plain/h-stat" stat /proc/fs)" id)
	data=$(pw_field "$("$PW_H/plain/h-open" -r open /proc/cmdline r)" data)
	data=${data:0:16}
	ln -s self/status "$PW_TMP/evil"
	"$PW_H/plain/bindfd" /proc/cmdline /proc/version
	"$PW_H/plain/bindfd" /proc/fs /proc/bus
	"$PW_H/plain/bindfd" "$PW_TMP/evil" /proc/mounts
	"$PW_H/plain/bindfd" /usr/bin/true /proc/cpuinfo
	variants
	for v in "${VARIANTS[@]}"; do
		for fn in "${OPEN_FUNCS[@]}"; do
			pw_attack "*data=$data*" "*data=Linux.version*" "$PW_OPEN_CALLS" "$PW_H/$v/h-open" -r "$fn" /proc/version r
		done
		pw_attack "*data=$data*" "*data=Linux.version*" "$PW_OPEN_CALLS" "$PW_H/$v/h-open" -r -d /proc openat version r
		for fn in "${STDIO_FUNCS[@]}"; do
			pw_attack "*data=$data*" "*data=Linux.version*" "$PW_STDIO_CALLS" "$PW_H/$v/h-stdio" -r "$fn" /proc/version r
		done
		for fn in ${STAT_FUNCS[@]+"${STAT_FUNCS[@]}"}; do
			[ -n "$fn" ] || continue
			pw_attack "*id=$cmd_id *" "*id=$(pw_field "$gv" id) *" "$PW_STAT_CALLS" "$PW_H/$v/h-stat" "$fn" /proc/version
		done
		pw_attack "*id=$cmd_id *" "*id=$(pw_field "$gv" id) *" "$PW_STAT_CALLS" "$PW_H/$v/h-stat" -C /proc stat version
		for fn in "${ACCESS_FUNCS[@]}"; do
			# /usr/bin/true is executable, the genuine cpuinfo is not.
			pw_attack "ok" "err=EACCES" "$PW_ACCESS_CALLS" "$PW_H/$v/h-access" "$fn" /proc/cpuinfo X
		done
		pw_attack "*id=$fs_id *" "*id=$(pw_field "$gbus" id) *" "opendir" "$PW_H/$v/h-dir" opendir /proc/bus
		for fn in "${READLINK_FUNCS[@]}"; do
			pw_attack "*text=self/status *" "*text=self/mounts *" "$PW_READLINK_CALLS" "$PW_H/$v/h-readlink" "$fn" /proc/mounts
		done
		for fn in "${REALPATH_FUNCS[@]}"; do
			pw_attack "*text=/proc/*/status" "*text=/proc/*/mounts" "$PW_REALPATH_CALLS" "$PW_H/$v/h-realpath" "$fn" /proc/mounts
		done
	done
}

@test "routing PROC (overmounted global files): every entry point refuses the attacker's object" {
	pw_ns proc_overmount_checks
}
# ---- ROOT ------------------------------------------------------------------

t_routing_root_every_entry_point_under_pathward_root() {
	local v fn
	variants
	for v in "${VARIANTS[@]}"; do
		for fn in "${OPEN_FUNCS[@]}"; do
			pw_oracle etc/abs-link "$PW_H/$v/h-open" "$fn" "$FX/etc/abs-link" r
			pw_oracle esc/shadowed "$PW_H/$v/h-open" "$fn" "$FX/esc/shadowed" r
			main_name "$fn" open openat || continue
			pw_oracle etc/rel-link "$PW_H/$v/h-open" "$fn" "$FX/etc/rel-link" r
			pw_oracle esc/abs nofollow "$PW_H/$v/h-open" "$fn" "$FX/esc/abs" path,nofollow
			pw_oracle dir/link/../file2 "$PW_H/$v/h-open" "$fn" "$FX/dir/link/../file2" r
			pw_oracle esc/absdir/hostname "$PW_H/$v/h-open" "$fn" "$FX/esc/absdir/hostname" r
			pw_oracle esc/absdir "$PW_H/$v/h-open" "$fn" "$FX/esc/absdir" directory
			pw_oracle etc/nonexistent "$PW_H/$v/h-open" "$fn" "$FX/etc/nonexistent" r
			pw_oracle etc/hostname/x "$PW_H/$v/h-open" "$fn" "$FX/etc/hostname/x" r
		done
		pw_expect "ok fd=3 id=$(pw_field "$("$PW_H/plain/oracle-inroot" "$FX" etc/hostname)" id) mode=0100644 fl=0x8000 link=$FX/etc/hostname data=fixture-host." \
			"$PW_H/$v/h-open" -r open "$FX/esc/chain1" r
		for fn in "${STDIO_FUNCS[@]}"; do
			pw_oracle etc/abs-link "$PW_H/$v/h-stdio" "$fn" "$FX/etc/abs-link" r
			pw_oracle esc/shadowed "$PW_H/$v/h-stdio" "$fn" "$FX/esc/shadowed" r
		done
		for fn in ${STAT_FUNCS[@]+"${STAT_FUNCS[@]}"}; do
			case $fn in
			*lstat* | *lxstat* | *fstatat* | statx) # not following the last component
				pw_oracle esc/abs nofollow "$PW_H/$v/h-stat" "$fn" "$FX/esc/abs" nofollow
				pw_oracle esc/absdir/rel-link nofollow "$PW_H/$v/h-stat" "$fn" "$FX/esc/absdir/rel-link" nofollow
				;;
			esac
			case $fn in
			*lstat* | *lxstat*) ;;
			*)
				pw_oracle esc/abs "$PW_H/$v/h-stat" "$fn" "$FX/esc/abs"
				pw_oracle esc/absdir/rel-link "$PW_H/$v/h-stat" "$fn" "$FX/esc/absdir/rel-link"
				;;
			esac
		done
		for fn in "${ACCESS_FUNCS[@]}"; do
			pw_expect "err=ENOENT" "$PW_H/$v/h-access" "$fn" "$FX/esc/shadowed" F
			pw_expect "ok" "$PW_H/$v/h-access" "$fn" "$FX/esc/abs" R
		done
		pw_expect "ok fd=3 id=$(pw_field "$("$PW_H/plain/oracle-inroot" "$FX" etc)" id) mode=040755 fl=0x18800 link=$FX/etc n=3 names=abs-link,hostname,rel-link" \
			"$PW_H/$v/h-dir" -n opendir "$FX/esc/absdir"
		for fn in "${READLINK_FUNCS[@]}"; do
			# The link text itself is never rewritten ...
			pw_expect "ok len=13 text=/etc/hostname after=#" "$PW_H/$v/h-readlink" "$fn" "$FX/esc/abs"
			# ... but the path leading to it is resolved inside the root.
			pw_expect "ok len=8 text=hostname after=#" "$PW_H/$v/h-readlink" "$fn" "$FX/esc/absdir/rel-link"
		done
		for fn in "${REALPATH_FUNCS[@]}"; do
			pw_expect "ok text=$FX/etc/hostname" "$PW_H/$v/h-realpath" "$fn" "$FX/esc/abs"
			pw_expect "ok text=$FX/etc/hostname" "$PW_H/$v/h-realpath" "$fn" "$FX/esc/chain1"
			pw_expect "err=ENOENT" "$PW_H/$v/h-realpath" "$fn" "$FX/esc/shadowed"
		done
	done
}

@test "routing ROOT: every entry point under PATHWARD_ROOTS resolves as openat2(RESOLVE_IN_ROOT)" {
	pw_sub t_routing_root_every_entry_point_under_pathward_root
}
