#!/usr/bin/env bash
# qemu.sh VARIANT MODE LOG: boot the variant's kernel and initramfs under
# QEMU with a hard timeout, console to stdout and to LOG.
source "$(dirname "$0")/lib.sh"

variant=${1:?variant} mode=${2:?mode} logf=${3:?log}
out=$B/out/$variant
mkdir -p "$(dirname "$logf")"

set +e
timeout --foreground -k 10 "${QEMU_TIMEOUT:-1200}" \
	qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 \
	-cpu max,pauth-impdef=on -smp 2 -m "${QEMU_MEM:-1024}" -nographic -no-reboot -nic none \
	-kernel "$B/obj/$variant/arch/arm64/boot/Image" \
	-initrd "$out/initramfs.cpio.gz" \
	-append "console=ttyAMA0 panic=-1 oops=panic kmemleak=on harness.mode=$mode" \
	</dev/null 2>&1 | tee "$logf"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || log "QEMU exited with $rc"
exit "$rc"
