#!/usr/bin/env bash
# make bench: boot a kernel without the debug options, run the RM suite and
# the vCPU benchmark (gunyah_vcpu_bench) on the simulated hypervisor and
# print their figures from that one run. QEMU
# emulates the CPU, so absolute rates are far below a real machine's.
source "$(dirname "$0")/lib.sh"

bash "$H/setup.sh"
bash "$H/prepare.sh"
bash "$H/build.sh" bench
rm -rf "$B/out/bench/selftests"
bash "$H/selftests.sh" bench
bash "$H/initramfs.sh" bench
logf=$B/out/bench/bench.log
# Lending 1 GiB on top of fragmenting 2 GiB needs room.
QEMU_MEM=4096 bash "$H/qemu.sh" bench bench "$logf" > /dev/null || true

figures=$(grep -o 'figure: .*' "$logf" | tr -d '\r')
[ -n "$figures" ] || die "no figures in $logf"
echo "RM RPC and VM manager on the simulated hypervisor (one run, kernel without debug options, under TCG):"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
while IFS= read -r f; do
	if [[ $f =~ ([0-9]+)-byte\ request:\ ([0-9]+)\ sends\ \(minimum\ ([0-9]+)\) ]]; then
		printf '  %6s-byte request: %3s msgq sends, minimum %3s, ratio %s\n' \
			"${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}" \
			"$(ratio "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}")"
	elif [[ $f =~ lend\ 1\ GiB\ of\ (.*):\ ([0-9]+)\ ranges,\ ([0-9]+)\ RM\ requests\ \(minimum\ ([0-9]+)\),\ ([0-9]+)\ msgq\ sends\ \(minimum\ ([0-9]+)\),\ ([0-9]+)\ us ]]; then
		printf '  lend 1 GiB of %s: %s ranges; RM requests %s (minimum %s, ratio %s); msgq sends %s (minimum %s, ratio %s); %s ms\n' \
			"${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" \
			"${BASH_REMATCH[3]}" "${BASH_REMATCH[4]}" "$(ratio "${BASH_REMATCH[3]}" "${BASH_REMATCH[4]}")" \
			"${BASH_REMATCH[5]}" "${BASH_REMATCH[6]}" "$(ratio "${BASH_REMATCH[5]}" "${BASH_REMATCH[6]}")" \
			"$(( BASH_REMATCH[7] / 1000 ))"
	else
		echo "  ${f#figure: }"
	fi
done <<< "$figures"

# gunyah_vcpu_bench: "bench: name=value ..." lines
vcpu=$(grep -o 'bench: .*' "$logf" | tr -d '\r' || true)
[ -n "$vcpu" ] || die "no vCPU figures (bench: lines) in $logf"
echo "vCPU run loop, irqfd and ioeventfd on the simulated hypervisor (one run, under TCG):"
sed 's/^bench: /  /' <<< "$vcpu"
! grep -q '^bench: error' <<< "$vcpu" || die "the vCPU benchmark failed: see $logf"
