#!/usr/bin/env bash
# make bench: boot a kernel without the debug options, run the RM suite on
# the simulated hypervisor and print its figures from that one run. QEMU
# emulates the CPU, so absolute rates are far below a real machine's.
source "$(dirname "$0")/lib.sh"

bash "$H/setup.sh"
bash "$H/prepare.sh"
bash "$H/build.sh" bench
bash "$H/initramfs.sh" bench
logf=$B/out/bench/bench.log
bash "$H/qemu.sh" bench bench "$logf" > /dev/null || true

figures=$(grep -o 'figure: .*' "$logf" | tr -d '\r')
[ -n "$figures" ] || die "no figures in $logf"
echo "RM RPC on the simulated hypervisor (one run, kernel without debug options, under TCG):"
while IFS= read -r f; do
	if [[ $f =~ ([0-9]+)-byte\ request:\ ([0-9]+)\ sends\ \(minimum\ ([0-9]+)\) ]]; then
		printf '  %6s-byte request: %3s msgq sends, minimum %3s, ratio %s\n' \
			"${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}" \
			"$(awk -v a="${BASH_REMATCH[2]}" -v b="${BASH_REMATCH[3]}" 'BEGIN { printf "%.2f", a / b }')"
	else
		echo "  ${f#figure: }"
	fi
done <<< "$figures"
