#!/usr/bin/env bash
# sample.sh VARIANT: build the sample VMM, samples/gunyah (a static arm64
# binary, with the kernel's build system against the overlaid tree's UAPI
# headers), its guest's devicetree and the simulator guest of `make run`
# into build/out/VARIANT/sample, which initramfs.sh packs into /bin and
# /share/gunyah.
source "$(dirname "$0")/lib.sh"

variant=${1:?variant}
O=$B/obj/$variant
dest=$B/out/$variant/sample

command -v dtc > /dev/null || die "dtc is missing (device-tree-compiler)"
[ -f "$O/.config" ] || die "$O is not configured: run build.sh $variant first"

"${KMAKE[@]}" O="$O" headers_install > /dev/null
# Built as an external directory (M=), so that the test kernel's
# configuration need not enable CONFIG_SAMPLES; the output stays in the
# build's copy of the tree.
dir=$B/src/samples/gunyah
"${KMAKE[@]}" O="$O" M="$dir" USERLDFLAGS=-static
bin=$dir/gunyah_vmm
file -b "$bin" | grep -q 'ARM aarch64.*statically linked' ||
	die "$bin is not a static arm64 binary"

rm -rf "$dest"
mkdir -p "$dest"
cp "$bin" "$dir/gunyah-guest.dtb" "$dest/"
python3 "$H/mkguest.py" "$H/guest/greeting.gs" "$dest/greeting.gsim"
log "sample VMM for $variant: $(cd "$dest" && echo *)"
