#!/usr/bin/env bash
# deps.sh - install what pathward's build and tests need, when it is missing.
#   scripts/deps.sh build   compiler toolchain only
#   scripts/deps.sh test    + Criterion, bats, python3, procps, lsof, ... (make test)
#   scripts/deps.sh bench   + fakechroot, proot, gnuplot (make bench)
# As root it uses apt-get; otherwise it names the packages and fails.
set -euo pipefail

what=${1:-test}
pkgs_build=(gcc make binutils libc6-dev pkg-config)
pkgs_test=(libcriterion-dev bats python3 procps lsof findutils tar gawk grep coreutils util-linux
	clang libclang-rt-14-dev file)
pkgs_bench=(fakechroot proot gnuplot-nox)

case "$what" in
build) want=("${pkgs_build[@]}") ;;
test) want=("${pkgs_build[@]}" "${pkgs_test[@]}") ;;
bench) want=("${pkgs_build[@]}" "${pkgs_bench[@]}") ;;
*) echo "deps.sh: unknown set '$what' (build|test|bench)" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "pathward: missing packages: ${missing[*]}" >&2
	echo "pathward: install them as root: apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "pathward: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
