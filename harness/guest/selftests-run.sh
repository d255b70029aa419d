#!/bin/sh
# /selftests/run.sh (busybox sh): run every Gunyah selftest once on each
# profile of the simulated Resource Manager, and print the results as one
# KTAP document: a suite per program and profile (gunyah_<area>_<profile>),
# whose cases are the program's own TAP results, indented one level.
cd "$(dirname "$0")" || exit 1

tests="gunyah_dev_test gunyah_vm_test gunyah_mem_test gunyah_guest_mem_test gunyah_lifecycle_test gunyah_fn_registry_test gunyah_eventfd_test gunyah_vcpu_test gunyah_irqfd_io_test gunyah_sample_test gunyah_trace_test gunyah_stats_test gunyah_debug_test"
# gunyah_sample_test runs the sample VMM the initramfs has in /bin: without
# it the test must fail, not skip.
export GUNYAH_VMM=/bin/gunyah_vmm
profiles="public full"
sim=/sys/kernel/debug/gunyah_sim

# The Resource Manager's driver creates /dev/gunyah once it is bound.
i=0
while [ ! -c /dev/gunyah ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -c /dev/gunyah ] || echo "selftests: /dev/gunyah did not appear in 10 s"

# Teardown is asynchronous: let the RM forget the previous VMs.
rm_idle() {
	[ -r $sim/rm_state ] || return 0
	i=0
	while ! tail -n 1 $sim/rm_state |
		grep -q '^vms 0 parcels 0 lent_pages 0 shared_pages 0\( [a-z_]* 0\)*$'; do
		[ $i -ge 50 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# Unload a module and, first, every module that uses it.
rmmod_tree() {
	local users u i
	users=$(sed -n "s/^$1 [0-9]* [0-9]* \([^ ]*\) .*/\1/p" /proc/modules |
		tr ',' ' ')
	for u in $users; do
		[ "$u" = - ] || rmmod_tree "$u" || return 1
	done
	# The last VM's fds may still be going away.
	i=0
	while grep -q "^$1 " /proc/modules; do
		rmmod "$1" 2> /dev/null && break
		[ $i -ge 50 ] && { rmmod "$1"; return 1; }
		sleep 0.1
		i=$((i + 1))
	done
}

# The RM driver learns what the RM can do when it binds: switch the
# simulated RM's profile with the driver unloaded, then load it again.
switch_profile() {
	rmmod_tree gunyah_rsc_mgr || return 1
	echo $1 > $sim/profile || return 1
	modprobe gunyah_rsc_mgr || return 1
	i=0
	while [ ! -c /dev/gunyah ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -c /dev/gunyah ] && [ "$(cat $sim/profile)" = $1 ] &&
		echo "selftests: RM profile $1"
}

set -- $tests
ntests=$#
set -- $profiles
echo "KTAP version 1"
echo "1..$((ntests * $#))"
n=0
for p in $profiles; do
	rm_idle || echo "selftests: the RM still holds VMs before the $p run"
	why=
	broken=
	if [ -w $sim/profile ]; then
		switch_profile $p || broken="cannot switch the RM to the $p profile"
	elif [ $p != public ]; then
		# The simulator starts as the public RM.
		why="$sim/profile is missing: cannot switch the RM to the $p profile"
	fi
	for t in $tests; do
		n=$((n + 1))
		suite=${t%_test}_$p
		echo "    KTAP version 1"
		echo "    # Subtest: $suite"
		if [ -n "$why" ]; then
			echo "    1..1"
			echo "    ok 1 $suite # SKIP $why"
			echo "ok $n $suite # SKIP $why"
			continue
		fi
		if [ -n "$broken" ] || [ ! -x "./$t" ]; then
			echo "    1..0"
			echo "    # ${broken:-$t is missing}"
			echo "not ok $n $suite"
			continue
		fi
		{ GUNYAH_SIM_PROFILE=$p "./$t" 2>&1; echo $? > /tmp/selftest.rc; } |
			sed 's/^/    /'
		rc=$(cat /tmp/selftest.rc)
		case $rc in
		0) echo "ok $n $suite" ;;
		4) echo "ok $n $suite # SKIP" ;;
		*)	echo "    # $t exited with status $rc"
			echo "not ok $n $suite" ;;
		esac
	done
done
[ -w $sim/profile ] && { switch_profile public || echo "harness: FAIL cannot switch the RM back to the public profile"; }
rm_idle || echo "harness: FAIL the RM still holds VMs after the selftests"
exit 0
