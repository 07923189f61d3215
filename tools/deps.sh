#!/bin/sh
# deps.sh - install from Debian what hvlab needs to build, run, debug and grade.
# Idempotent: when everything is present it installs nothing and says so in one line.
set -eu

packages="make gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu qemu-system-misc opensbi
gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm
gdb-multiarch device-tree-compiler python3 python3-pytest python3-pytest-xdist clang-format
gcc libc6-dev linux-source-6.1 libc6-dev-riscv64-cross flex bison bc xz-utils dpkg-dev
e2fsprogs"

missing=""
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "deps: all $(echo $packages | wc -w) packages already installed"
	exit 0
fi

echo "deps: installing$missing"
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "deps: not root and no sudo; run as root: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
# shellcheck disable=SC2086
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends $missing; } >"$log" 2>&1; then
	cat "$log" >&2
	rm -f "$log"
	echo "deps: apt-get failed (above); nothing else was changed" >&2
	exit 1
fi
rm -f "$log"
echo "deps: installed$missing"
