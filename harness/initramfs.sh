#!/usr/bin/env bash
# initramfs.sh VARIANT: pack busybox, /init, the variant's modules (with
# depmod output), the sample VMM and the userspace tests into
# build/out/VARIANT/initramfs.cpio.gz.
source "$(dirname "$0")/lib.sh"

variant=${1:?variant}
out=$B/out/$variant
mods=$out/modroot
list=$out/initramfs.list
kver=$(ls "$mods/lib/modules")

{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	for d in /bin /sbin /proc /sys /tmp /etc /etc/harness /lib /lib/modules; do
		echo "dir $d 0755 0 0"
	done
	echo "file /bin/busybox $B/dl/busybox/bin/busybox 0755 0 0"
	for a in sh mount umount cat echo grep sed sleep ls dmesg uname \
		 poweroff insmod rmmod lsmod modprobe modinfo depmod find \
		 head tail wc true false test printf od tr; do
		echo "slink /bin/$a /bin/busybox 0777 0 0"
	done
	echo "slink /sbin/modprobe /bin/busybox 0777 0 0"
	echo "file /sbin/hotplug $H/guest/hotplug 0755 0 0"
	echo "file /init $H/guest/init 0755 0 0"

	(cd "$mods" && find lib -type d) | sed 's|^|dir /|; s|$| 0755 0 0|'
	(cd "$mods" && find lib -type f) | while read -r f; do
		echo "file /$f $mods/$f 0644 0 0"
	done

	# KUnit suites are modules named *_test; /init loads each of them.
	find "$mods" -name '*_test.ko*' -printf '%f\n' | sed 's/\.ko.*//' | sort \
		> "$out/kunit-modules"
	echo "file /etc/harness/kunit-modules $out/kunit-modules 0644 0 0"

	# The sample VMM and the guest of `make run` (sample.sh)
	if [ -d "$out/sample" ]; then
		echo "file /bin/gunyah_vmm $out/sample/gunyah_vmm 0755 0 0"
		echo "dir /share 0755 0 0"
		echo "dir /share/gunyah 0755 0 0"
		for f in gunyah-guest.dtb greeting.gsim; do
			echo "file /share/gunyah/$f $out/sample/$f 0644 0 0"
		done
	fi

	if [ -d "$out/selftests" ]; then
		(cd "$out/selftests" && find . -type d) | sed 's|^\.|dir /selftests|; s|$| 0755 0 0|'
		(cd "$out/selftests" && find . -type f) | while read -r f; do
			echo "file /selftests/${f#./} $out/selftests/$f 0755 0 0"
		done
	fi
} > "$list"

"$B/obj/$variant/usr/gen_init_cpio" "$list" | gzip -1 > "$out/initramfs.cpio.gz"
log "initramfs for $variant ($kver): $(du -h "$out/initramfs.cpio.gz" | cut -f1)"
