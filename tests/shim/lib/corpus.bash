# SPDX-License-Identifier: Apache-2.0
# corpus.bash - the transparency corpus (shim.md §5): real Debian programs
# whose normalised stdout+stderr and exit code must be identical with and
# without the shim (PATHWARD_ROOTS=$FX set), on the host /proc and inside a
# simulated runc-style container /proc.
#
# Harness rules (shim.md §5.1): each line runs in a fresh `bash -c` under
# `env -i` with a fixed PATH/HOME/LANG; every fd above 2 is closed first
# (the loop carries no redirection, or exec would make it permanent);
# stdin is /dev/null; stdout and stderr go together into one pipe; the
# output is normalised (/proc/<pid> and pipe:/socket: numbers) and the exit
# code recorded.  The two runs differ only in LD_PRELOAD and PATHWARD_*.

# The lines; "$FX" is substituted with the fixture path, "$$" is the
# line's own shell.  Kept in the order and numbering of shim.md §5.2.
CORPUS=(
	[1]='cat /proc/self/comm'
	[2]="cut -d' ' -f2,3 /proc/self/stat"
	[3]="grep -E '^(Name|Umask|State|Uid|Gid|Threads|NoNewPrivs|Seccomp):' /proc/self/status"
	[4]="tr '\\0' '\\n' < /proc/self/cmdline"
	[5]="tr '\\0' '\\n' < /proc/self/environ | grep -v -e '^LD_PRELOAD=' -e '^PATHWARD_' | sort | md5sum"
	[6]='readlink /proc/self/exe'
	[7]='readlink /proc/self/fd/0 < /dev/null'
	[8]='readlink -f /dev/stdin < /etc/hostname'
	[9]='readlink -f /proc/self/cwd'
	[10]='realpath /proc/self/cwd /proc/self/root'
	[11]='ls /proc/self/fd'
	[12]="ls -l /proc/self/fd /proc/self/exe | awk 'NR>1 && NF>8 {print \$1,\$9,\$10,\$11}'"
	[13]="stat -c '%n %F %a' /proc/self/status /proc/self/root /proc/thread-self/comm"
	[14]="stat -L -c '%F' /proc/self/exe; stat -f -c %T /proc"
	[15]="find /proc/self/fd -maxdepth 1 -printf '%P\\n' | sort"
	[16]="find /proc/self/ -maxdepth 1 -name 'c*' -printf '%f %y\\n' | sort"
	[17]='find /proc/self/task -mindepth 1 -maxdepth 1 | wc -l'
	[18]='cd /proc/self && cat comm && ls -d fd && pwd -P'
	[19]="sh -c 'exec 3</proc/self/comm; cat <&3; readlink /proc/self/fd/3'"
	[20]='cat <(echo via-dev-fd); diff <(cat /proc/self/root/etc/hostname) /etc/hostname && echo same'
	[21]='ps -o user=,comm= -p 1; ps -o comm= -p $$'
	[22]='pgrep -x -c "$(cat /proc/1/comm)"; pgrep -c -x nosuchproc'
	[23]="top -b -n1 -p 1 | tail -1 | awk '{print \$1,\$2,\$NF}'"
	[24]='cut -d: -f1 /proc/meminfo | head -5; nproc; getconf _NPROCESSORS_ONLN'
	[25]="df -P /proc | awk 'NR==2{print \$1,\$6}'; findmnt -n -o FSTYPE /proc; wc -l < /proc/self/mountinfo"
	[26]='lsof -w -a -p $$ -d cwd -Fn | tail -1'
	[27]='env -i /usr/bin/cat /proc/self/comm'
	[28]="python3 -c \"import os; print(sorted(os.listdir('/proc/self/fd')), os.path.realpath('/proc/self/cwd'))\""
	[29]="python3 -c \"import os; d=os.open('/proc/self', os.O_RDONLY|os.O_DIRECTORY); print(os.readlink('exe', dir_fd=d).rsplit('/',1)[1], os.stat('status', dir_fd=d).st_mode, os.access('comm', os.R_OK, dir_fd=d))\""
	[30]="python3 -c \"import os; os.chdir('/proc/self'); print(open('comm').read().strip(), os.path.exists('fd/0'), os.path.islink('exe'))\""
	[31]="python3 -c \"import subprocess; print(subprocess.run(['cat','/proc/self/comm'],capture_output=True).stdout)\""
	[32]='cat $FX/etc/hostname $FX/etc/rel-link; readlink $FX/etc/rel-link'
	[33]="ls -l \$FX/etc | awk 'NR>1{print \$1,\$9,\$10,\$11}'"
	[34]="stat -c '%n %F %s' \$FX/etc/hostname \$FX/etc/rel-link \$FX/dir/a/b/file"
	[35]="find \$FX/dir -printf '%y %P\\n' | sort; du -a --apparent-size -b \$FX/dir | sort -k2"
	[36]='tar -C $FX -cf - dir | tar -tf - | sort'
	[37]='cd $FX/dir/a && cat b/file ../a/b/file ./b/../b/file && ls -d ../../dir && pwd'
	[38]='cat $FX/dir/link/../file2'
	[39]='cat /proc/self/nonexistent; cat $FX/etc/nonexistent; ls $FX/etc/hostname/x; cat /proc/self/fd/99; cat /proc/self/root/nonexistent'
	# Additions beyond §5.2 (fixture-relative and procfs traffic of other
	# programs).
	[40]="awk '/^(Name|PPid):/{print \$1}' /proc/self/status; grep -c . /proc/self/limits"
	[41]='head -c 0 /proc/sys/kernel/hostname && echo readable; test -w /proc/sys/kernel/hostname && echo writable-bit'
	[42]="python3 -c \"import os; print(sorted(os.listdir('\$FX/etc')), os.path.realpath('\$FX/etc/rel-link'), os.path.islink('\$FX/etc/abs-link'))\""
)

# Lines whose programs stat paths under $FX with statx (ls, stat): where
# the forced-seccomp reruns refuse statx, they fail natively while the
# shim's contained route answers, so there is nothing to compare with.
CORPUS_STATX_ROOT=(33 34 37 39)

# Quick mode (the forced-seccomp reruns) keeps one line per program family.
CORPUS_QUICK=(1 6 11 13 15 18 20 21 28 29 31 32 35 37 39)

# The prelude closes every inherited fd above 2 (not from a redirected
# compound: shim.md §5.1 rule 2).
CORPUS_PRELUDE='for __f in /proc/$$/fd/*; do __n=${__f##*/}; [ "$__n" -gt 2 ] && eval "exec $__n>&-"; done; unset __f __n; '

# corpus_run OUTFILE SHIM(0|1) LINE-TEXT: run one line, write the
# normalised output and "rc=N" to OUTFILE.
# Under `make asan-test` (PATHWARD_ASAN_PRELOAD names the ASan runtime)
# both runs preload the runtime and carry ASAN_OPTIONS/UBSAN_OPTIONS past
# `env -i`: the runtime comes first in LD_PRELOAD, as ASan requires, and
# the two runs still differ only in the shim.
corpus_run() {
	local out=$1 with=$2 text=$3 pre=${PATHWARD_ASAN_PRELOAD:-}
	local -a envv=(env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8)
	if [ -n "$pre" ]; then
		envv+=(ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}")
	fi
	if [ "$with" = 1 ]; then
		envv+=(LD_PRELOAD="${pre:+$pre }$PW_SHIM" PATHWARD_ROOTS="$FX")
	elif [ -n "$pre" ]; then
		envv+=(LD_PRELOAD="$pre")
	fi
	text=${text//\$FX/$FX}
	# The exit code is taken inside the pipe's left side, in an && ||
	# list: a failing command elsewhere would trip bats' ERR trap.
	{
		"${envv[@]}" bash -c "$CORPUS_PRELUDE$text" </dev/null 2>&1 && echo "rc=0" || echo "rc=$?"
	} | pw_norm >"$out"
}

# corpus_check N: both runs of line N in the current namespace; fail with
# the line, both outputs and the diff when they differ.
corpus_check() {
	local n=$1 text=${CORPUS[$1]}
	corpus_run "$PW_TMP/c$n.without" 0 "$text"
	corpus_run "$PW_TMP/c$n.with" 1 "$text"
	if ! cmp -s "$PW_TMP/c$n.without" "$PW_TMP/c$n.with"; then
		{
			echo "corpus line $n differs with the shim: $text"
			diff -u "$PW_TMP/c$n.without" "$PW_TMP/c$n.with" | sed 's/^/  /'
		} >&2
		return 1
	fi
}

# The runc-style /proc (procfs.md §2.7, A12): /dev/null over the files
# runc masks (those that exist here), empty read-only tmpfs over the
# masked directories, a read-only self-bind of /proc/sys.  Run only inside
# unshare -m --propagation private.
corpus_container_masks() {
	local f d
	for f in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug /proc/latency_stats /proc/timer_stats; do
		[ -f "$f" ] && mount --bind /dev/null "$f"
	done
	for d in /proc/acpi /proc/scsi; do
		[ -d "$d" ] && mount -t tmpfs -o ro,size=0 tmpfs "$d"
	done
	mount --bind /proc/sys /proc/sys
	mount -o remount,bind,ro /proc/sys
}
