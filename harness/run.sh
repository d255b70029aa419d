#!/usr/bin/env bash
# make run: build the test kernel and the sample VMM, boot the kernel under
# QEMU with the simulated hypervisor, and run the sample VMM on a simulator
# guest on each RM profile (harness/guest/init): the guest greets through
# the emulated UART, rings the sample's doorbell device (an ioeventfd), takes
# the interrupt the sample raises in answer (an irqfd) and powers off. Fail
# unless the console shows each step and the sample's exit status 0.
source "$(dirname "$0")/lib.sh"

bash "$H/setup.sh"
bash "$H/prepare.sh"
bash "$H/build.sh" test
bash "$H/sample.sh" test
bash "$H/initramfs.sh" test
logf=$B/out/test/run.log
log "booting: qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max (console follows)"
bash "$H/qemu.sh" test run "$logf" || true
echo

grep -q 'gunyah: Gunyah hypervisor detected' "$logf" ||
	die "Gunyah was not detected; console log: $logf"
log "$(grep -o 'gunyah: Gunyah hypervisor detected.*' "$logf" | tr -d '\r')"
grep -o 'harness: resource manager link bound.*' "$logf" | tr -d '\r' | sed 's/^harness: /[harness] /' >&2 || true

# Each step of the main job, in this order, in the run on each profile. The
# guest goes on after ringing the doorbell while the VMM prints that it
# rang, so those two lines come in either order: one chain each.
chains=(
	'guest: Hello from a simulated Gunyah guest!|the guest greets through the UART'
	'gunyah_vmm: doorbell: the guest rang|the guest rings the doorbell (ioeventfd)'
	'guest: got the doorbell interrupt|the guest gets the interrupt (irqfd)'
	'guest: powering off with exit code 0|the guest powers off'
	'gunyah_vmm: the guest exited (powered off) with code 0|the VMM sees the VM exit'
	''
	'guest: Hello from a simulated Gunyah guest!|the guest greets through the UART'
	"guest: rang the VMM's doorbell|the guest goes on after ringing"
	'guest: got the doorbell interrupt|the guest gets the interrupt (irqfd)'
)
bad=0
for p in public full; do
	# The lines of this profile's run, without the console's CRs
	run=$(tr -d '\r' < "$logf" |
	      sed -n "/^harness: on the $p RM profile: /,/^harness: gunyah_vmm exited with status .* on the $p RM profile$/p")
	if [ -z "$run" ]; then
		log "FAIL $p RM: the sample VMM did not run"
		bad=1
		continue
	fi
	ok=1
	rest=$run
	for s in "${chains[@]}"; do
		if [ -z "$s" ]; then	# the next chain
			rest=$run
			continue
		fi
		line=${s%%|*} what=${s#*|}
		if ! grep -qF -- "$line" <<< "$rest"; then
			log "FAIL $p RM: $what: no \"$line\" (in order)"
			ok=0
			break
		fi
		# What follows the first line that has it
		rest=$(awk -v l="$line" 'f { print } !f && index($0, l) { f = 1 }' <<< "$rest")
	done
	status=$(sed -n "s/^harness: gunyah_vmm exited with status \([0-9]*\) on the $p RM profile$/\1/p" <<< "$run")
	if [ "$status" != 0 ]; then
		log "FAIL $p RM: the sample VMM exited with status ${status:-?}, wanted 0"
		ok=0
	fi
	[ $ok = 1 ] || { bad=1; continue; }
	log "$p RM: greeting, doorbell (ioeventfd), interrupt (irqfd), power-off; gunyah_vmm exit status 0"
done
log "console log: $logf"
[ $bad = 0 ] || die "make run: the main job did not go through (see above)"
log "make run: the sample VMM booted the simulator guest on both RM profiles"
