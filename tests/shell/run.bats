#!/usr/bin/env bats
# run.bats - `pathward run`: the policy is checked before anything runs
# (exit 2, one message), the environment CMD gets, and that pathward execs
# (CMD's exit status, signals and pid are its own).

load pathward-common

setup() { pw_setup; }
teardown() { pw_teardown; }

# Each bad input: status, then the exact stderr line.
bad() {
	local want_status=$1 want_msg=$2
	shift 2
	run "-$want_status" --separate-stderr "$PW" run "$@"
	[ "$stderr" = "$want_msg" ] || { echo "stderr: $stderr"; echo "wanted: $want_msg"; return 1; }
	[ -z "$output" ]
}

@test "run: the policy reaches CMD as PATHWARD_* and LD_PRELOAD" {
	mkdir "$TMP/r1" "$TMP/r2"
	run --separate-stderr "$PW" run --root "$TMP/r1" --root="$TMP/r2" --no-proc --audit --log "$TMP/log" -- \
		sh -c 'echo "$LD_PRELOAD|$PATHWARD_ROOTS|$PATHWARD_PROC|$PATHWARD_MODE|$PATHWARD_LOG"'
	[ "$status" -eq 0 ]
	[ "$output" = "$SHIM|$TMP/r1:$TMP/r2|off|audit|$TMP/log" ]
}

@test "run: defaults are safe, enforce, stderr, no roots (inherited roots dropped)" {
	PATHWARD_ROOTS=/somewhere PATHWARD_MODE=audit run "$PW" run -- \
		sh -c 'echo "${PATHWARD_ROOTS-unset}|$PATHWARD_PROC|$PATHWARD_MODE|$PATHWARD_LOG"'
	[ "$status" -eq 0 ]
	[ "$output" = "unset|safe|enforce|stderr" ]
}

@test "run: the shim goes first, other preloads stay, no duplicate shim" {
	LD_PRELOAD="libm.so.6 $SHIM:/elsewhere/pathward-preload.so" run "$PW" run -- printenv LD_PRELOAD
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "$SHIM:libm.so.6" ]
	LD_PRELOAD=$SHIM run "$PW" run -- printenv LD_PRELOAD
	[ "$output" = "$SHIM" ]
}

@test "run: CMD's exit status is pathward's" {
	for code in 0 1 7 125 255; do
		run "$PW" run -- sh -c "exit $code"
		[ "$status" -eq "$code" ]
	done
}

@test "run: pathward execs CMD (same pid), so signals are CMD's own" {
	run bash -c 'echo $$; exec "$1" run -- sh -c "echo \$\$"' _ "$PW"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "${lines[1]}" ]
	run "$PW" run -- sh -c 'kill -TERM $$'
	[ "$status" -eq $((128 + 15)) ]
	run "$PW" run -- sh -c 'kill -KILL $$'
	[ "$status" -eq $((128 + 9)) ]
}

@test "run: stdin, stdout and arguments pass through untouched" {
	run bash -c 'printf "a b\n" | "$1" run -- sh -c "cat; printf \"[%s]\" \"\$@\"" sh "x y" "" z' _ "$PW"
	[ "$status" -eq 0 ]
	[ "$output" = $'a b\n[x y][][z]' ]
}

@test "run: CMD without '--' and found through PATH; no shell needed (env -i)" {
	run "$PW" run true
	[ "$status" -eq 0 ]
	run env -i "$PW" run -- true
	[ "$status" -eq 0 ]
	run env -i "$PW" run -- /bin/sh -c 'exit 3'
	[ "$status" -eq 3 ]
}

@test "run: a missing CMD is 127, a non-executable one 126" {
	bad 127 "pathward: run: no-such-command-xyz: No such file or directory" -- no-such-command-xyz
	bad 127 "pathward: run: $TMP/nope: No such file or directory" -- "$TMP/nope"
	printf 'data\n' >"$TMP/plain"
	bad 126 "pathward: run: $TMP/plain: Permission denied" -- "$TMP/plain"
}

@test "run: usage errors exit 2 before anything runs" {
	bad 2 "pathward: run: no program given (usage: pathward run [OPTION]... -- CMD [ARG]...)"
	bad 2 "pathward: run: no program given (usage: pathward run [OPTION]... -- CMD [ARG]...)" --audit --
	bad 2 "pathward: run: unknown option '--bogus' (try 'pathward run --help')" --bogus -- true
	bad 2 "pathward: run: unknown option '--rootx' (try 'pathward run --help')" --rootx /tmp -- true
	bad 2 "pathward: run: --root needs a directory" --root
	bad 2 "pathward: run: --root needs a directory" --root= -- true
	bad 2 "pathward: run: --log needs stderr, syslog or an absolute file path" --log
}

@test "run: bad roots exit 2 with the reason" {
	touch "$TMP/file"
	mkdir "$TMP/a:b"
	bad 2 "pathward: run: --root rel/dir: not an absolute path" --root rel/dir -- true
	bad 2 "pathward: run: --root $TMP/missing: No such file or directory" --root "$TMP/missing" -- true
	bad 2 "pathward: run: --root $TMP/file: Not a directory" --root "$TMP/file" -- true
	bad 2 "pathward: run: --root $TMP/a:b: contains ':', which PATHWARD_ROOTS cannot carry" --root "$TMP/a:b" -- true
	# A bad root after a good one still refuses, and CMD never ran.
	bad 2 "pathward: run: --root rel: not an absolute path" --root "$TMP" --root rel -- touch "$TMP/ran"
	[ ! -e "$TMP/ran" ]
}

@test "run: bad log destinations exit 2; a good file is created 0600" {
	mkdir "$TMP/dir"
	bad 2 "pathward: run: --log relative.log: not stderr, syslog or an absolute file path" --log relative.log -- true
	bad 2 "pathward: run: --log $TMP/no/such/dir/log: No such file or directory" --log "$TMP/no/such/dir/log" -- true
	bad 2 "pathward: run: --log $TMP/dir: Is a directory" --log "$TMP/dir" -- true
	mkfifo "$TMP/fifo" # no reader: refused at once, never a hang
	bad 2 "pathward: run: --log $TMP/fifo: No such device or address" --log "$TMP/fifo" -- true
	if [ "$(id -u)" -ne 0 ]; then
		touch "$TMP/ro"; chmod 0400 "$TMP/ro"
		bad 2 "pathward: run: --log $TMP/ro: Permission denied" --log "$TMP/ro" -- true
	fi
	run "$PW" run --log "$TMP/new.log" -- true
	[ "$status" -eq 0 ]
	[ "$(find "$TMP/new.log" -printf '%m')" = 600 ]
	for d in stderr syslog; do
		run "$PW" run --log "$d" -- printenv PATHWARD_LOG
		[ "$output" = "$d" ]
	done
}

@test "run: warns once when LD_PRELOAD cannot reach CMD (static, set-uid)" {
	ldc=$(command -v ldconfig || echo /sbin/ldconfig)
	case $(file -L "$ldc") in *static*) ;; *) skip "$ldc is not statically linked here" ;; esac
	run --separate-stderr "$PW" run -- "$ldc" --version
	[ "$status" -eq 0 ]
	[ "$stderr" = "pathward: run: warning: $ldc is statically linked; LD_PRELOAD cannot reach it, so pathward does not protect it" ]
	# A dynamic program: no warning at all.
	run --separate-stderr "$PW" run -- true
	[ -z "$stderr" ]
	[ "$(id -u)" -eq 0 ] || skip "set-uid case needs root (chown)"
	cp /bin/true "$TMP/suid-true"
	chown nobody "$TMP/suid-true"
	chmod 4755 "$TMP/suid-true"
	run --separate-stderr "$PW" run -- "$TMP/suid-true"
	[ "$status" -eq 0 ]
	[ "$stderr" = "pathward: run: warning: $TMP/suid-true is set-uid or set-gid; LD_PRELOAD cannot reach it, so pathward does not protect it" ]
}

@test "run: a missing shim is named, exit 1" {
	cp "$PW" "$TMP/pathward"
	run --separate-stderr "$TMP/pathward" run -- true
	if [ -e /usr/local/lib/pathward/pathward-preload.so ]; then
		skip "an installed shim in /usr/local/lib/pathward would be found"
	fi
	[ "$status" -eq 1 ]
	[[ "$stderr" == "pathward: run: cannot find pathward-preload.so (looked for $TMP/pathward-preload.so "* ]]
	# Not an ELF file: ld.so would skip it and run CMD unprotected.
	echo junk >"$TMP/pathward-preload.so"
	run --separate-stderr "$TMP/pathward" run -- true
	[ "$status" -eq 1 ]
}

# The shim's line formats (shim/log.c): one line per event.
AUDIT_RE='^pathward: audit ([A-Za-z0-9_]+)\("((?:[^"\\]|\\.)*)"\): pid=([0-9]+) class=(proc|root) decision=(rerouted|would-block) reason=(.*)$'
BLOCKED_RE='^pathward: blocked ([A-Za-z0-9_]+)\("((?:[^"\\]|\\.)*)"\): (.*)$'

@test "run --audit --log FILE: one parseable line per rerouted access" {
	mkdir -p "$TMP/r/etc"
	echo contained >"$TMP/r/etc/passwd"
	ln -s /etc/passwd "$TMP/r/link"
	run "$PW" run --audit --log "$TMP/audit.log" --root "$TMP/r" -- sh -c 'cat "$1" /proc/self/status' sh "$TMP/r/link"
	[ "$status" -eq 0 ]
	# Audit mode behaves as without pathward: the host's passwd, not the root's.
	[[ "$output" == root:* ]]
	[ -s "$TMP/audit.log" ]
	run grep -cvP "$AUDIT_RE" "$TMP/audit.log"
	[ "$output" -eq 0 ] || { cat "$TMP/audit.log"; false; }
	grep -qP "^pathward: audit open(64)?\(\"\Q$TMP/r/link\E\"\): pid=[0-9]+ class=root decision=rerouted " "$TMP/audit.log"
	grep -qP '^pathward: audit open(64)?\("/proc/self/status"\): pid=[0-9]+ class=proc decision=rerouted reason=verified$' \
		"$TMP/audit.log"
	[ "$(grep -c '"/proc/self/status"' "$TMP/audit.log")" -eq 1 ]
	# Enforcing: the same program reads the root's own file.
	run "$PW" run --log "$TMP/enforce.log" --root "$TMP/r" -- cat "$TMP/r/link"
	[ "$status" -eq 0 ]
	[ "$output" = contained ]
}

@test "run --audit logs a would-be-blocked overmount; enforcing refuses it (EACCES)" {
	need_mntns
	# Control: without pathward the overmount is read as if it were attr/current.
	run unshare -m --propagation private sh -ec 'mount --bind /proc/$$/sched /proc/$$/attr/current
cat /proc/$$/attr/current'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "sh ("* ]] || { echo "control did not reproduce the overmount: $output"; false; }

	run unshare -m --propagation private sh -ec 'mount --bind /proc/$$/sched /proc/$$/attr/current
echo $$ >"$1/pid"
exec "$0" run --audit --log "$1/audit.log" -- cat /proc/$$/attr/current' "$PW" "$TMP"
	[ "$status" -eq 0 ]
	pid=$(cat "$TMP/pid")
	# audit: behaves exactly as without pathward (the sched file, comm now cat)
	[ "${lines[0]}" = "cat ($pid, #threads: 1)" ]
	grep -qP "$AUDIT_RE" "$TMP/audit.log"
	grep -qx "pathward: audit open(\"/proc/$pid/attr/current\"): pid=$pid class=proc decision=would-block reason=overmounted (EXDEV)" \
		"$TMP/audit.log" || { cat "$TMP/audit.log"; false; }

	run --separate-stderr unshare -m --propagation private sh -ec 'mount --bind /proc/$$/sched /proc/$$/attr/current
echo $$ >"$1/pid"
exec "$0" run --log "$1/enforce.log" -- cat /proc/$$/attr/current' "$PW" "$TMP"
	[ "$status" -eq 1 ]
	pid=$(cat "$TMP/pid")
	[ "$stderr" = "cat: /proc/$pid/attr/current: Permission denied" ]
	grep -qP "$BLOCKED_RE" "$TMP/enforce.log"
	grep -qx "pathward: blocked open(\"/proc/$pid/attr/current\"): overmounted (EXDEV)" "$TMP/enforce.log"
}
