#!/usr/bin/env bash
# make run: build the test kernel, boot it under QEMU with the simulated
# hypervisor and show its console; fail unless Gunyah was detected.
source "$(dirname "$0")/lib.sh"

bash "$H/setup.sh"
bash "$H/prepare.sh"
bash "$H/build.sh" test
bash "$H/initramfs.sh" test
logf=$B/out/test/run.log
log "booting: qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max (console follows)"
bash "$H/qemu.sh" test run "$logf"
echo
if grep -q 'gunyah: Gunyah hypervisor detected' "$logf"; then
	log "$(grep -o 'gunyah: Gunyah hypervisor detected.*' "$logf" | tr -d '\r')"
	grep -o 'harness: resource manager link bound.*' "$logf" | tr -d '\r' | sed 's/^harness: /[harness] /' >&2 || true
	log "console log: $logf"
else
	die "Gunyah was not detected; console log: $logf"
fi
