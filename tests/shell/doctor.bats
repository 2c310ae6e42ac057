#!/usr/bin/env bats
# doctor.bats - `pathward doctor` on this machine's /proc (safe), on a
# simulated runc container layout (safe, every mask recognised) and with
# the overmounts of CVE-2019-16884 / CVE-2025-52881 (not safe, exit 1, the
# mount named).  Mounts happen only inside `unshare -m --propagation private`.

load pathward-common

setup() { pw_setup; }
teardown() { pw_teardown; }

# What runc's default spec does to /proc (maskedPaths, readonlyPaths).
RUNC_LAYOUT='
for p in acpi asound interrupts kcore keys latency_stats timer_list timer_stats sched_debug scsi; do
	if [ -d /proc/$p ]; then mount -t tmpfs -o ro tmpfs /proc/$p
	elif [ -e /proc/$p ]; then mount --bind /dev/null /proc/$p; fi
done
for p in bus fs irq sys sysrq-trigger; do
	[ -e /proc/$p ] || continue
	mount --bind /proc/$p /proc/$p && mount -o remount,bind,ro /proc/$p
done
'

# Run a shell script in a private mount namespace, then doctor there.
doctor_in_ns() {
	local script=$1
	shift
	run --separate-stderr unshare -m --propagation private sh -ec "$script"'
exec "$0" doctor "$@"' "$PW" "$@"
}

@test "doctor: this machine's /proc is safe (exit 0), every section present" {
	run --separate-stderr "$PW" doctor
	[ "$status" -eq 0 ] || { echo "$output $stderr"; false; }
	[ -z "$stderr" ]
	for k in "kernel:" "handle (default):" "handle (unmasked):" "openat2:" "statx mount ids:" \
		'fsopen("proc"):' "/proc:" "mounts at or under /proc:" "LD_PRELOAD cannot reach:" \
		"/etc/ld.so.preload:" "verdict:"; do
		grep -qF -- "$k" <<<"$output" || { echo "missing: $k"; false; }
	done
	grep -q '^/proc: *genuine procfs' <<<"$output"
	grep -q '^verdict: */proc is safe to use$' <<<"$output"
	grep -qE '^  /proc +proc ' <<<"$output"
}

@test "doctor --json: valid JSON with the same facts" {
	command -v python3 >/dev/null || skip "python3 is not installed"
	"$PW" doctor --json >"$TMP/d.json"
	python3 -m json.tool "$TMP/d.json" >/dev/null
	run python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["safe"] is True and d["reason"] is None
assert d["proc"]["genuine"] is True
assert d["handle"]["default"]["ok"] in (True, False)
assert any(m["mountpoint"] == "/proc" and m["fstype"] == "proc" for m in d["mounts"])
assert all(m["recognised"] for m in d["mounts"])
for k in ("openat2", "fsopen"): assert isinstance(d[k]["ok"], bool)
assert isinstance(d["statx_mnt_id"], bool)
assert "static" in d["preload"]["uncovered"]
print("ok")' "$TMP/d.json"
	[ "$status" -eq 0 ] && [ "$output" = ok ]
}

@test "doctor: the probes agree with forced failures (enosys)" {
	E=$B/tests/tools/enosys
	[ -x "$E" ] || skip "no $E (make tests)"
	run "$E" -e ENOSYS -s openat2,fsopen -- "$PW" doctor
	[ "$status" -eq 0 ]
	grep -q '^openat2: *no (ENOSYS' <<<"$output"
	grep -q '^fsopen("proc"): *no (ENOSYS' <<<"$output"
	run "$E" -e EPERM -s openat2 -- "$PW" doctor --json
	[ "$status" -eq 0 ]
	grep -q '"openat2":{"ok":false,"error":"EPERM"}' <<<"$output"
}

@test "doctor: bad arguments exit 2" {
	run --separate-stderr "$PW" doctor --bogus
	[ "$status" -eq 2 ]
	[ "$stderr" = "pathward: doctor: unexpected argument '--bogus' (try 'pathward doctor --help')" ]
	run --separate-stderr "$PW" doctor extra
	[ "$status" -eq 2 ]
}

@test "doctor: a runc container layout is safe, each mask recognised" {
	need_mntns
	doctor_in_ns "$RUNC_LAYOUT"
	[ "$status" -eq 0 ] || { echo "$output"; echo "$stderr"; false; }
	grep -qE '^  /proc/sys +proc +ro +recognised read-only self-bind$' <<<"$output"
	grep -qE '^  /proc/timer_list +[a-z]+ +rw +recognised runtime mask \(/dev/null\)$' <<<"$output"
	if [ -d /proc/acpi ]; then
		grep -qE '^  /proc/acpi +tmpfs +ro +recognised runtime mask \(empty read-only tmpfs\)$' <<<"$output"
	fi
	[[ "$output" != *UNKNOWN* ]]
	grep -q '^verdict: */proc is safe to use$' <<<"$output"
	doctor_in_ns "$RUNC_LAYOUT" --json
	[ "$status" -eq 0 ]
	grep -q '"kind":"self-bind"' <<<"$output"
	grep -q '"kind":"devnull-mask"' <<<"$output"
}

@test "doctor: tmpfs over /proc/PID/attr (CVE-2025-52881 gadget) is not safe, named" {
	need_mntns
	doctor_in_ns 'mount -t tmpfs tmpfs /proc/$$/attr; echo $$ >&2'
	[ "$status" -eq 1 ]
	pid=${stderr%%$'\n'*}
	grep -qE "^  /proc/$pid/attr +tmpfs +rw +UNKNOWN OVERMOUNT$" <<<"$output"
	grep -q "^verdict: *NOT SAFE: unknown overmount on /proc/$pid/attr (tmpfs)$" <<<"$output"
	[ "${stderr##*$'\n'}" = "pathward: doctor: /proc is not safe to use: unknown overmount on /proc/$pid/attr (tmpfs)" ]
}

@test "doctor: a procfs file bound over attr/current (passes fstatfs) is not safe" {
	need_mntns
	doctor_in_ns 'mount --bind /proc/$$/sched /proc/$$/attr/current; echo $$ >&2' --json
	[ "$status" -eq 1 ]
	pid=${stderr%%$'\n'*}
	grep -q "\"mountpoint\":\"/proc/$pid/attr/current\",\"fstype\":\"proc\"" <<<"$output"
	grep -q '"kind":"overmount","recognised":false' <<<"$output"
	grep -q "\"safe\":false,\"reason\":\"unknown overmount on /proc/$pid/attr/current (proc)\"" <<<"$output"
}

@test "doctor: masks plus one attack: only the attack is flagged" {
	need_mntns
	doctor_in_ns "$RUNC_LAYOUT"'
mount -t tmpfs tmpfs /proc/$$/attr'
	[ "$status" -eq 1 ]
	[ "$(grep -c 'UNKNOWN OVERMOUNT' <<<"$output")" -eq 1 ]
	grep -q 'recognised read-only self-bind' <<<"$output"
}

@test "doctor: a fake /proc (tmpfs, CVE-2019-16884) is not a genuine procfs" {
	need_mntns
	doctor_in_ns 'mount -t tmpfs tmpfs /proc; mkdir -p /proc/self/attr'
	[ "$status" -eq 1 ]
	grep -q '^/proc: *NOT a genuine procfs root' <<<"$output"
	[[ "$stderr" == "pathward: doctor: /proc is not safe to use: /proc is not a genuine procfs root ("* ]]
}

@test "doctor: a /proc of another pid namespace is reported, not fatal" {
	[ "$(id -u)" -eq 0 ] || skip "needs root for a pid namespace"
	unshare -pf true 2>/dev/null || skip "unshare -pf is not permitted here"
	run unshare -pf "$PW" doctor
	[ "$status" -eq 0 ]
	grep -q '^/proc: *genuine procfs, ANOTHER pid namespace$' <<<"$output"
	run unshare -pf --mount-proc "$PW" doctor --json
	[ "$status" -eq 0 ]
	grep -q '"proc":{"genuine":true,"own_pidns":true,' <<<"$output"
}

@test "doctor: says whether the shim is loaded in its own process" {
	run "$PW" doctor
	grep -q '^shim in this process: *not loaded$' <<<"$output"
	run "$PW" run -- "$PW" doctor
	[ "$status" -eq 0 ]
	grep -qx "shim in this process:  $SHIM" <<<"$output"
	run "$PW" run -- "$PW" doctor --json
	grep -qF "\"shim_loaded\":\"$SHIM\"" <<<"$output"
}
