#!/usr/bin/env bash
# Install everything the harness needs from Debian's apt, idempotently, and
# check that the pinned kernel source is the one installed.
source "$(dirname "$0")/lib.sh"

PACKAGES=(
	"$PIN_PACKAGE" gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
	libc6-dev-arm64-cross qemu-system-arm sparse bc bison flex libssl-dev
	libelf-dev cpio ccache rsync kmod xz-utils python3 perl make gcc git
	patch file device-tree-compiler python3-sphinx dt-schema yamllint
)

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

# The initramfs uses Debian's static arm64 busybox (shell, modprobe).
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	log "enabling the arm64 package architecture (for busybox-static:arm64)"
	dpkg --add-architecture arm64
	need_update=1
fi

if [ ${#missing[@]} -gt 0 ] || [ -n "${need_update:-}" ]; then
	[ "$(id -u)" = 0 ] || die "need root to install: ${missing[*]}"
	log "installing: ${missing[*]:-(package lists only)}"
	apt-get update -qq
	if [ ${#missing[@]} -gt 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "${missing[@]}" >/dev/null
	fi
fi

have=$(dpkg-query -W -f='${Version}' "$PIN_PACKAGE")
[ "$have" = "$PIN_VERSION" ] ||
	die "$PIN_PACKAGE $have is installed but the overlay is pinned to $PIN_VERSION; update PIN_VERSION in harness/lib.sh after checking that the glue patches still apply"
[ -f "$BASE_TAR" ] || die "$BASE_TAR is missing"

bb=$B/dl/busybox/bin/busybox
if [ ! -x "$bb" ]; then
	mkdir -p "$B/dl"
	(cd "$B/dl" && rm -f busybox-static_*.deb &&
	 { apt-get download busybox-static:arm64 >/dev/null 2>&1 ||
	   { apt-get update -qq && apt-get download busybox-static:arm64 >/dev/null; }; } &&
	 rm -rf busybox && dpkg-deb -x busybox-static_*.deb busybox.tmp &&
	 mv busybox.tmp busybox) || die "cannot fetch busybox-static:arm64"
fi
file -b "$bb" | grep -q 'ARM aarch64.*statically linked' || die "bad busybox: $bb"

mkdir -p "$CCACHE_DIR"
log "setup ok: $PIN_PACKAGE $have, $(aarch64-linux-gnu-gcc -dumpfullversion), $(qemu-system-aarch64 --version | head -1)"
