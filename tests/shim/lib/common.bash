# SPDX-License-Identifier: Apache-2.0
# common.bash - shared set-up for the shim's black-box suites (tests/shim/).
#
# Paths:  PW_ROOT (repo), PW_B (absolute build dir from $PATHWARD_BUILD,
# default "build"), PW_SHIM (the preload library), PW_H (helpers; pick a
# variant with "$PW_H/$v/NAME"), PW_TMP (per-test scratch dir, removed in
# teardown), FX (the fixture root prefix under PW_TMP).
#
# Every helper run is compared as one normalised line: pids inside /proc
# paths become PID, pipe:[N]/socket:[N] become [X].

PW_VARIANTS=(plain lfs fortify)

pw_setup() {
	set -o pipefail
	PW_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	local b=${PATHWARD_BUILD:-build}
	case $b in /*) ;; *) b=$PW_ROOT/$b ;; esac
	PW_B=$b
	PW_SHIM=$PW_B/pathward-preload.so
	# Under `make asan-test`, PATHWARD_ASAN_PRELOAD puts the ASan runtime
	# (and its defaults) in front of the shim (mk/sanitize.mk).
	PW_PRELOAD="${PATHWARD_ASAN_PRELOAD:+$PATHWARD_ASAN_PRELOAD }$PW_SHIM"
	PW_H=$PW_B/tests/helpers
	PW_TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/pw-shim.XXXXXX")
	FX=$PW_TMP/fx
	[ -x "$PW_H/plain/h-open" ] || skip "helpers not built: make BUILD=$PATHWARD_BUILD tests"
	# statx refused natively (forced-seccomp reruns): nothing to compare.
	PW_STATX_OK=1
	case $("$PW_H/plain/h-stat" statx /) in err=*) PW_STATX_OK=0 ;; esac
}

pw_teardown() {
	if [ -n "${PW_TMP:-}" ] && [ -d "$PW_TMP" ]; then
		# Unmounts never leak: mounts are made only inside unshare -m.
		rm -rf -- "$PW_TMP"
	fi
	if [ -n "${PW_OUTSIDE:-}" ]; then
		rm -f -- "$PW_OUTSIDE"
	fi
}

pw_quick() { [ "${PATHWARD_TEST_QUICK:-0}" = 1 ]; }

need_shim() {
	[ -f "$PW_SHIM" ] || skip "shim not built at $PW_SHIM (finding S0 in /tmp/shim-findings.md)"
}

need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root for private mount namespaces"
}

# unshare -m --propagation private works here (root, no seccomp/LSM veto).
need_unshare() {
	need_root
	command -v unshare >/dev/null || skip "unshare(1) not installed"
	unshare -m --propagation private true 2>/dev/null || skip "unshare -m refused here"
}

# The fixture of shim.md §5.1 rule 5, plus escape links kept apart in esc/.
pw_fixture() {
	mkdir -p "$FX"/etc "$FX"/dir/a/b "$FX"/esc "$FX"/tmp "$FX"/sub/deep
	echo fixture-host >"$FX"/etc/hostname
	ln -s hostname "$FX"/etc/rel-link
	ln -s /etc/hostname "$FX"/etc/abs-link
	echo content >"$FX"/dir/a/b/file
	ln -s ../b "$FX"/dir/a/loop-ish
	ln -s a/b "$FX"/dir/link
	echo physical >"$FX"/dir/a/file2
	echo lexical >"$FX"/dir/file2
	# Escapes (the attack suite): each leaves $FX when followed natively.
	ln -s /etc/hostname "$FX"/esc/abs
	ln -s ../../../../../../../../../../etc/hostname "$FX"/esc/rel
	ln -s /esc/chain2 "$FX"/esc/chain1
	ln -s ../esc/chain3 "$FX"/esc/chain2
	ln -s /../../../../etc/hostname "$FX"/esc/chain3
	ln -s /etc "$FX"/esc/absdir
	ln -s /etc/passwd "$FX"/esc/shadowed
	ln -s ../../../../../.. "$FX"/sub/deep/up
	PW_OUTSIDE=/tmp/pw-created-${PW_TMP##*.}
	ln -s "$PW_OUTSIDE" "$FX"/esc/dangle
}

pw_norm() {
	sed -E -e 's#/proc/[0-9]+#/proc/PID#g' -e 's#/task/[0-9]+#/task/TID#g' -e 's#(pipe|socket):\[[0-9]+\]#\1:[X]#g'
}

# Drop the inode of per-process procfs files (each pid has its own).
pw_norm_ino() {
	pw_norm | sed -E 's#id=([0-9]+:[0-9]+):[0-9]+#id=\1:INO#'
}

# Run CMD with the shim preloaded and the fixture as a root prefix; extra
# policy comes from the environment (PATHWARD_MODE=audit ...).
pw_with() {
	env LD_PRELOAD="$PW_SHIM" PATHWARD_ROOTS="$FX" "$@"
}

# "key=value" field of a helper line ("" when absent).
pw_field() {
	local line=$1 key=$2 w
	for w in $line; do
		case $w in "$key="*) printf '%s\n' "${w#"$key="}"; return 0 ;; esac
	done
	return 0
}

# A blocked call: err=EACCES and exactly one "pathward: blocked CALL(" line.
# $1 result line, $2 stderr text, $3 call name.
pw_is_blocked() {
	local out=$1 err=$2 call=$3 n
	[ "$(pw_field "$out" err)" = EACCES ] || return 1
	n=$(printf '%s\n' "$err" | grep -c . || true)
	[ "$n" = 1 ] || return 1
	printf '%s\n' "$err" | grep -qE "^pathward: blocked $call\(\"" || return 1
}

# pw_fail MESSAGE...: report a failed check.  In a @test body the return
# fails the test; a function run by pw_ns or pw_sub has no errexit, so the
# count is what makes its pw_done fail (attack A2 and the audit checks).
pw_fail() {
	printf '%s\n' "$@" >&2
	PW_NFAIL=$((PW_NFAIL + 1))
	return 1
}

# In-process normalisation (no sed per call: the routing suite makes
# thousands of comparisons).  $1: "" or "proc"; $2: text; result in REPLY.
# "proc" also drops what differs between any two processes: inode numbers
# of per-process procfs objects, the bare pid readlink("/proc/self")
# returns, and O_TMPFILE names ("/#INO (deleted)").
pw_norm_str() {
	local s=$2
	while [[ $s =~ ^(.*)/proc/[0-9]+(.*)$ ]]; do s="${BASH_REMATCH[1]}/proc/PID${BASH_REMATCH[2]}"; done
	while [[ $s =~ ^(.*)/task/[0-9]+(.*)$ ]]; do s="${BASH_REMATCH[1]}/task/TID${BASH_REMATCH[2]}"; done
	while [[ $s =~ ^(.*)(pipe|socket):\[[0-9]+\](.*)$ ]]; do
		s="${BASH_REMATCH[1]}${BASH_REMATCH[2]}:[X]${BASH_REMATCH[3]}"
	done
	if [ "$1" = proc ]; then
		while [[ $s =~ ^(.*id=[0-9]+:[0-9]+:)[0-9]+(.*)$ ]]; do s="${BASH_REMATCH[1]}INO${BASH_REMATCH[2]}"; done
		# readlink /proc/self is the pid itself, and its length is the
		# pid's digit count: with pid_max 32768 the pids of the runs
		# without and with the shim can straddle 9999/10000, so the
		# length goes with the text.
		if [[ $s =~ ^(.*text=)[0-9]+( .*)?$ ]]; then
			s="${BASH_REMATCH[1]}PID${BASH_REMATCH[2]}"
			[[ $s =~ ^(.*len=)[0-9]+( .*)$ ]] && s="${BASH_REMATCH[1]}LEN${BASH_REMATCH[2]}"
		fi
		[[ $s =~ ^(.*/#)[0-9]+(.*)$ ]] && s="${BASH_REMATCH[1]}INO${BASH_REMATCH[2]}"
	fi
	REPLY=$s
}

PW_NFAIL=0

# pw_same [proc] CMD...: CMD without and with the shim gives the same
# normalised line and the same stderr (normally none).  Records a failure
# (see pw_done) instead of stopping, so one run shows every difference.
pw_same() {
	local mode='' a b ea eb
	if [ "$1" = proc ]; then mode=proc; shift; fi
	a=$("$@" 2>"$PW_TMP/ea" </dev/null) || true
	b=$(LD_PRELOAD="$PW_SHIM" PATHWARD_ROOTS="$FX" "$@" 2>"$PW_TMP/eb" </dev/null) || true
	pw_norm_str "$mode" "$a"; a=$REPLY
	pw_norm_str "$mode" "$b"; b=$REPLY
	pw_norm_str '' "$(<"$PW_TMP/ea")"; ea=$REPLY
	pw_norm_str '' "$(<"$PW_TMP/eb")"; eb=$REPLY
	# errno after success: the shim must not change it, but where the
	# native call itself leaves errno set (glibc realpath: EINVAL) an
	# untouched errno is not a difference a program may rely on.
	if [[ $a == errno-changed=* && $b != errno-changed=* ]]; then a=${a#errno-changed=* }; fi
	if [ "$a" != "$b" ] || [ "$ea" != "$eb" ]; then
		printf '%s\n' "DIFFERS: ${*#"$PW_H"/}" "  without: $a${ea:+ | stderr: $ea}" \
			"  with:    $b${eb:+ | stderr: $eb}" >&2
		PW_NFAIL=$((PW_NFAIL + 1))
	fi
	return 0
}

# pw_oracle ROOT-RELATIVE-PATH [nofollow] CMD...: CMD under the shim must
# give the identity (or the errno) of openat2(FX, PATH, RESOLVE_IN_ROOT),
# with nothing on stderr.
pw_oracle() {
	local rel=$1 nf='' o r eb
	shift
	if [ "$1" = nofollow ]; then nf=nofollow; shift; fi
	o=$("$PW_H/plain/oracle-inroot" "$FX" "$rel" $nf) || true
	r=$(LD_PRELOAD="$PW_SHIM" PATHWARD_ROOTS="$FX" "$@" 2>"$PW_TMP/eb" </dev/null) || true
	eb=$(<"$PW_TMP/eb")
	if [ "$(pw_field "$o" id)" != "$(pw_field "$r" id)" ] || [ "$(pw_field "$o" err)" != "$(pw_field "$r" err)" ] ||
		[ -n "$eb" ]; then
		printf '%s\n' "NOT THE ORACLE: ${*#"$PW_H"/} (in-root path $rel)" "  oracle: $o" \
			"  shim:   $r${eb:+ | stderr: $eb}" >&2
		PW_NFAIL=$((PW_NFAIL + 1))
	fi
	return 0
}

# pw_expect WANT CMD...: CMD under the shim prints exactly WANT (after
# pw_norm), nothing on stderr.
pw_expect() {
	local want=$1 r eb
	shift
	r=$(LD_PRELOAD="$PW_SHIM" PATHWARD_ROOTS="$FX" "$@" 2>"$PW_TMP/eb" </dev/null) || true
	pw_norm_str '' "$r"; r=$REPLY
	# The fd number depends on what the runner left open: compare it in
	# pw_same (with and without), not here.
	[[ $r =~ ^(.*ok fd=)[0-9]+(.*)$ ]] && r="${BASH_REMATCH[1]}N${BASH_REMATCH[2]}"
	[[ $want =~ ^(.*ok fd=)[0-9]+(.*)$ ]] && want="${BASH_REMATCH[1]}N${BASH_REMATCH[2]}"
	eb=$(<"$PW_TMP/eb")
	if [ "$r" != "$want" ] || [ -n "$eb" ]; then
		printf '%s\n' "UNEXPECTED: ${*#"$PW_H"/}" "  want: $want" "  got:  $r${eb:+ | stderr: $eb}" >&2
		PW_NFAIL=$((PW_NFAIL + 1))
	fi
	return 0
}

# Fail the test if any pw_same/pw_oracle/pw_expect above recorded one.
pw_done() {
	[ "$PW_NFAIL" = 0 ] || pw_fail "$PW_NFAIL case(s) failed (details above)"
}

# The script pw_sub and pw_ns run in a child bash: this shell's functions
# and PW_* variables, then "$@" (a function and its arguments), then
# pw_done.
pw_child_script() {
	printf '%s' "set -uo pipefail
		$(declare -f)
		$(declare -p $(compgen -v | grep -E '^(PW_[A-Z0-9_]+|FX|P|STATX|[A-Z]+_FUNCS)$') 2>/dev/null)
		PW_NFAIL=0
		\"\$@\"
		pw_done"
}

# pw_sub FUNCTION [ARG]...: run FUNCTION in a child bash with this shell's
# functions and PW_* variables, then pw_done.  Loops of thousands of
# comparisons run there several times faster than under bats' per-command
# DEBUG trap.
pw_sub() {
	bash -c "$(pw_child_script)" _ "$@"
}

# pw_ns FUNCTION [ARG]...: run FUNCTION (defined in the test file) inside
# `unshare -m --propagation private`, with this shell's functions and PW_*
# variables, then pw_done.  Mounts made there die with the namespace.
pw_ns() {
	need_unshare
	unshare -m --propagation private bash -c "$(pw_child_script)" _ "$@"
}

# pw_asan_quiet FILE: under `make asan-test` only, drop from FILE the ASan
# runtime's own start-up warning that it cannot read /proc/self/exe (the
# attacks that overmount /proc); every other line stays.
pw_asan_quiet() {
	[ -n "${PATHWARD_ASAN_PRELOAD:-}" ] || return 0
	sed -i -E '/^==[0-9]+==WARNING: reading executable name failed with errno [0-9]+, some stack frames may not be symbolized$/d' "$1"
}

# pw_attack CONTROL GENUINE CALLS CMD...: an attack check.  CONTROL is a
# glob the line of CMD *without* the shim must match (the attack works:
# if it does not, the test fails, never skips).  Under the shim the call
# must be blocked (err=EACCES and exactly one "pathward: blocked NAME("
# line, NAME matching the extended regex CALLS) or give a line matching
# the glob GENUINE ("-": only blocking is acceptable) with no output.
pw_attack() {
	local ctl=$1 gen=$2 calls=$3 a b eb
	shift 3
	a=$("$@" 2>/dev/null </dev/null) || true
	# shellcheck disable=SC2053 # globs on purpose
	if [[ $a != $ctl ]]; then
		printf '%s\n' "CONTROL FAILED (attack not reproduced): ${*#"$PW_H"/}" "  want: $ctl" "  got:  $a" >&2
		PW_NFAIL=$((PW_NFAIL + 1))
		return 0
	fi
	b=$(LD_PRELOAD="$PW_PRELOAD" PATHWARD_ROOTS="$FX" "$@" 2>"$PW_TMP/eb" </dev/null) || true
	pw_asan_quiet "$PW_TMP/eb"
	eb=$(<"$PW_TMP/eb")
	pw_is_blocked "$b" "$eb" "($calls)" && return 0
	# shellcheck disable=SC2053
	if [ "$gen" != - ] && [ -z "$eb" ] && [[ $b == $gen ]]; then return 0; fi
	printf '%s\n' "NOT STOPPED: ${*#"$PW_H"/}" "  attacked: $a" "  shim:     $b${eb:+ | stderr: $eb}" \
		"  want: blocked by ($calls) or genuine $gen" >&2
	PW_NFAIL=$((PW_NFAIL + 1))
	return 0
}

# Names a blocked-call line may carry, per family (the build decides
# which symbol the plain name reaches).
PW_OPEN_CALLS='open|open64|openat|openat64|__open_2|__open64_2|__openat_2|__openat64_2|creat|creat64'
PW_STDIO_CALLS='fopen|fopen64|freopen|freopen64'
PW_STAT_CALLS='stat|stat64|lstat|lstat64|fstatat|fstatat64|statx|__xstat|__xstat64|__lxstat|__lxstat64|__fxstatat|__fxstatat64'
PW_ACCESS_CALLS='access|faccessat|eaccess|euidaccess'
PW_READLINK_CALLS='readlink|readlinkat|__readlink_chk|__readlinkat_chk'
PW_REALPATH_CALLS='realpath|__realpath_chk|canonicalize_file_name'
