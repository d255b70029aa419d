#!/usr/bin/env bash
# selftests.sh VARIANT: build the Gunyah selftests (static arm64 binaries,
# against the UAPI headers of the overlaid tree) and install them, the test
# VM's devicetree and run.sh into build/out/VARIANT/selftests, which
# initramfs.sh packs into /selftests. Programs that are not tests
# (TEST_GEN_PROGS_EXTENDED, such as the benchmark) are installed too; run.sh
# runs only its own list.
source "$(dirname "$0")/lib.sh"

variant=${1:?variant}
O=$B/obj/$variant
out=$B/out/$variant
build=$out/selftests-build
dest=$out/selftests

command -v dtc > /dev/null || die "dtc is missing (device-tree-compiler)"
[ -f "$O/.config" ] || die "$O is not configured: run build.sh $variant first"

"${KMAKE[@]}" O="$O" headers_install > /dev/null
mkdir -p "$build"
make -s -C "$B/src/tools/testing/selftests/gunyah" ARCH=arm64 \
	CROSS_COMPILE=aarch64-linux-gnu- OUTPUT="$build" \
	KHDR_INCLUDES="-isystem $O/usr/include" LDFLAGS=-static -j"$JOBS"

rm -rf "$dest"
mkdir -p "$dest"
for t in $(make -s -C "$B/src/tools/testing/selftests/gunyah" OUTPUT="$build" \
		ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
		--eval='print-progs: ; @echo $(TEST_GEN_PROGS) $(TEST_GEN_PROGS_EXTENDED)' \
		print-progs); do
	file -b "$t" | grep -q 'ARM aarch64.*statically linked' ||
		die "$t is not a static arm64 binary"
	cp "$t" "$dest/"
done
cp "$build/gunyah-vm.dtb" "$dest/"
cp "$H/guest/selftests-run.sh" "$dest/run.sh"
chmod 0755 "$dest/run.sh"
log "selftests for $variant: $(cd "$dest" && echo *)"
