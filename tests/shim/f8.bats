#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# f8.bats - finding F8: a cwd or a descriptor under another mount
# namespace's /proc/<pid>/root is that root (DESIGN §2), so an absolute
# symlink met through it (R/var/run -> /run) resolves in R, never in ours.
# Set-up, all in a private mount ns (pw_ns): a sleeper chrooted into R in
# its own mount ns; our /run is a tmpfs whose marker says "outside", R's
# says "in-root".  Each case is proven first: without the shim the
# relative open reads "outside" (the control; if it does not, the test
# FAILS), under the shim it must read R's marker (same id) or be blocked.
#   1. cwd:   chdir("/proc/PID/root/var"), open("run/marker");
#   2. dirfd: open("/proc/PID/root/var"), openat(fd, "run/marker");
#   3. dirfd on the root itself (no component after "root"):
#             open("/proc/PID/root"), openat(fd, "var/run/marker").

load lib/common

setup() { pw_setup; need_shim; pw_fixture; }
teardown() { pw_teardown; }

f8() {
	local r=$PW_TMP/r pid k in_id
	mkdir -p "$r/usr" "$r/var" "$r/run" "$r/etc"
	ln -s /run "$r/var/run"; ln -s usr/bin "$r/bin"; ln -s usr/lib "$r/lib"; ln -s usr/lib64 "$r/lib64"
	echo in-root >"$r/run/marker"
	mount -t tmpfs tmpfs /run; echo outside >/run/marker
	unshare -m --propagation private bash -c 'mount --bind /usr "$1/usr" && exec chroot "$1" /bin/sleep 600' _ "$r" &
	pid=$!; PW_SLEEPER=$pid; trap 'kill $PW_SLEEPER 2>/dev/null' EXIT
	for k in $(seq 200); do [ "$(cat /proc/$pid/comm 2>/dev/null)" = sleep ] && break; sleep 0.05; done
	in_id=$(pw_field "$("$PW_H/plain/h-stat" stat "$r/run/marker")" id)
	pw_attack "ok *data=outside." "ok *id=$in_id *data=in-root." "$PW_OPEN_CALLS" "$PW_H/plain/h-open" -r -C "/proc/$pid/root/var" open run/marker r
	pw_attack "ok *data=outside." "ok *id=$in_id *data=in-root." "$PW_OPEN_CALLS" "$PW_H/plain/h-open" -r -d "/proc/$pid/root/var" openat run/marker r
	pw_attack "ok *data=outside." "ok *id=$in_id *data=in-root." "$PW_OPEN_CALLS" "$PW_H/plain/h-open" -r -d "/proc/$pid/root" openat var/run/marker r
	kill $pid
}

@test "F8: cwd or dirfd under another namespace's /proc/PID/root stays in that root" { pw_ns f8; }
