#!/usr/bin/env bash
# make check: every test and check. Prints one line per check and closes
# with "check: N passed, N failed" (KUnit and selftest results count one
# each, the other checks one each).
source "$(dirname "$0")/lib.sh"

t0=$(date +%s)
mkdir -p "$B/out"
rm -f "$B/out/results"
bash "$H/setup.sh"
bash "$H/prepare.sh"

tests_passed=0 tests_failed=0
if python3 "$H/test_results.py" > "$B/out/test_results.log" 2>&1; then
	result harness-selftest pass "results.py catches every kind of report"
else
	cat "$B/out/test_results.log"
	result harness-selftest fail
fi
if bash "$H/build.sh" test; then
	result build-test-kernel pass "modules, KASAN, lockdep, kmemleak, UBSAN, KUnit"
	bash "$H/static.sh" test "$B/src" "$B/obj/test"
	# The selftests' suites are expected below: if they cannot be built,
	# the boot runs without them and each counts as missing.
	rm -rf "$B/out/test/selftests"
	if bash "$H/selftests.sh" test; then
		result build-selftests pass "tools/testing/selftests/gunyah"
	else
		result build-selftests fail
	fi
	# The sample VMM, which gunyah_sample_test runs
	rm -rf "$B/out/test/sample"
	if bash "$H/sample.sh" test; then
		result build-sample pass "samples/gunyah"
	else
		result build-sample fail
	fi
	bash "$H/initramfs.sh" test
	logf=$B/out/test/check.log
	log "booting the test kernel (console log: $logf)"
	bash "$H/qemu.sh" test check "$logf" > /dev/null || true
	set +e
	python3 "$H/results.py" "$logf" \
		--expect-suite gunyah_error --expect-suite gunyah_hypercall \
		--expect-suite gunyah_identify --expect-suite gunyah_sim_detect \
		--expect-suite gunyah_rsc_mgr --expect-suite gunyah_sim_rm \
		--expect-suite gunyah_sim_guest \
		--expect-suite gunyah_vm_mgr --expect-suite gunyah_vm_mgr_sim \
		--expect-suite gunyah_vcpu \
		--expect-suite harness_boot \
		$(for p in public full; do
			for t in dev vm mem guest_mem lifecycle fn_registry eventfd vcpu irqfd_io sample trace stats debug; do
				echo --expect-suite "gunyah_${t}_$p"
			done
		  done) \
		> "$B/out/test/results.txt"
	rc=$?
	set -e
	cat "$B/out/test/results.txt"
	line=$(grep '^RESULT:' "$B/out/test/results.txt")
	tests_passed=$(sed -E 's/RESULT: ([0-9]+) passed.*/\1/' <<< "$line")
	tests_failed=$(sed -E 's/.* ([0-9]+) failed/\1/' <<< "$line")
	if [ $rc = 0 ]; then
		result boot-and-tests pass "$(head -1 "$B/out/test/results.txt")"
	else
		result boot-and-tests fail "see $B/out/test/results.txt and $logf"
	fi
else
	result build-test-kernel fail
fi

bash "$H/docs.sh" || result docs fail "docs.sh stopped"
bash "$H/series.sh" --check || result series fail "series.sh stopped"

checks_passed=$(grep -c '^pass ' "$B/out/results" || true)
checks_failed=$(grep -c '^fail ' "$B/out/results" || true)
echo
echo "Checks ($(( $(date +%s) - t0 ))s):"
sed 's/^/  /' "$B/out/results"
echo "check: $((tests_passed + checks_passed)) passed, $((tests_failed + checks_failed)) failed"
[ $((tests_failed + checks_failed)) = 0 ]
