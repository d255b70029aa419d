# shellcheck shell=bash
# Common settings of the harness; sourced by every script in this folder.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
H=$ROOT/harness
B=${GUNYAH_BUILD_DIR:-$ROOT/build}

# The pinned base: Debian's linux-source-6.12 package.
PIN_PACKAGE=linux-source-6.12
PIN_VERSION='6.12.117-1~deb12u1'
PIN_SUBLEVEL=117
BASE_TAR=/usr/src/linux-source-6.12.tar.xz

export ARCH=arm64
export CROSS_COMPILE=aarch64-linux-gnu-
JOBS=${JOBS:-$(nproc)}

# Compiler cache: rebuildable, keyed on paths relative to the build folder.
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/gunyah-ccache}
export CCACHE_BASEDIR=$B
export CCACHE_NOHASHDIR=1

KMAKE=(make -s -C "$B/src" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
       "CC=ccache aarch64-linux-gnu-gcc" -j"$JOBS")

log() { printf '[harness] %s\n' "$*" >&2; }
die() { printf '[harness] error: %s\n' "$*" >&2; exit 1; }

# Results of `make check`: one line per check in $B/out/results.
result() {	# result NAME pass|fail [detail]
	mkdir -p "$B/out"
	printf '%s %s %s\n' "$2" "$1" "${3:-}" >> "$B/out/results"
	if [ "$2" = pass ]; then log "PASS $1 ${3:-}"; else log "FAIL $1 ${3:-}"; fi
}
