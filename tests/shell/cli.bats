#!/usr/bin/env bats
# cli.bats - the pathward command itself: dispatch, --help, --version,
# usage errors (exit 2, one "pathward:" line on stderr), the manual pages.

load pathward-common

setup() { pw_setup; }
teardown() { pw_teardown; }

@test "--version prints 'pathward' and the version from pathward.h" {
	want=$(sed -n 's/^#define PATHWARD_VERSION "\(.*\)"/\1/p' "$REPO/core/pathward.h")
	run "$PW" --version
	[ "$status" -eq 0 ]
	[ "$output" = "pathward $want" ]
}

@test "--help and -h list the commands on stdout, exit 0" {
	for opt in --help -h; do
		run --separate-stderr "$PW" "$opt"
		[ "$status" -eq 0 ]
		[ -z "$stderr" ]
		[[ "$output" == *"Usage: pathward COMMAND"* ]]
		for c in run resolve doctor; do [[ "$output" == *"  $c "* ]]; done
	done
}

@test "no command: usage on stderr, exit 2" {
	run --separate-stderr "$PW"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"Usage: pathward COMMAND"* ]]
}

@test "unknown command: exit 2 and one pathward: line" {
	run --separate-stderr "$PW" frobnicate
	[ "$status" -eq 2 ]
	[ "$stderr" = "pathward: unknown command 'frobnicate' (try 'pathward --help')" ]
}

@test "help CMD is CMD --help for every command" {
	for c in run resolve doctor; do
		run "$PW" help "$c"
		[ "$status" -eq 0 ]
		[[ "$output" == *"pathward $c"* ]]
		a=$output
		run "$PW" "$c" --help
		[ "$status" -eq 0 ]
		[ "$output" = "$a" ]
	done
}

@test "help alone is --help; help with an unknown command is exit 2" {
	run "$PW" help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: pathward COMMAND"* ]]
	run --separate-stderr "$PW" help nope
	[ "$status" -eq 2 ]
	[ "$stderr" = "pathward: help: unknown command 'nope'" ]
	run --separate-stderr "$PW" help run extra
	[ "$status" -eq 2 ]
	[ "$stderr" = "pathward: help: unexpected argument 'extra'" ]
}

@test "man pages render without warnings" {
	command -v groff >/dev/null || skip "groff is not installed (apt-get install groff-base)"
	for p in pathward.1 pathward.7; do
		run --separate-stderr groff -man -Tutf8 -ww -z "$REPO/man/$p"
		[ "$status" -eq 0 ]
		[ -z "$stderr" ]
	done
	run groff -man -Tascii -P-cbou -rLL=80n "$REPO/man/pathward.1"
	[[ "$output" == *"SYNOPSIS"* ]]
	[[ "$output" == *"EXIT STATUS"* ]]
	[[ "$output" == *"ENVIRONMENT"* ]]
	run groff -man -Tascii -P-cbou "$REPO/man/pathward.7"
	[[ "$output" == *"THREAT MODEL"* ]]
	[[ "$output" == *"LIMITS"* ]]
}
