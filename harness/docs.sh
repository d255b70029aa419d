#!/usr/bin/env bash
# The documentation checks of make check, on the prepared tree:
#  - htmldocs of Documentation/virt (our pages and the UAPI header's
#    kernel-doc) with no warning that names a Gunyah file;
#  - the devicetree binding: its YAML against the meta-schemas
#    (dt-doc-validate), yamllint with the kernel's rules, its example built
#    with dtc and validated against the processed binding, and broken
#    copies of the example rejected (harness/dtcheck.py).
# Debian bookworm's dt-schema (2022.08) is older than the v2023.9 that
# `make dt_binding_check` of this kernel insists on, and its dt-validate
# cannot load a tree once this kernel's bindings are processed; dtcheck.py
# does the same validation with dt-schema's library on our binding alone.
source "$(dirname "$0")/lib.sh"

src=$B/src
out=$B/out/docs
rm -rf "$out"
mkdir -p "$out"

# htmldocs
if make -s -C "$src" ARCH=arm64 O="$out/html" htmldocs SPHINXDIRS=virt \
	> "$out/htmldocs.log" 2>&1; then
	bad=$(grep -E 'WARNING|ERROR' "$out/htmldocs.log" |
	      grep -E 'gunyah' || true)
	pages=$(ls "$out/html/Documentation/output/virt/gunyah/" 2>/dev/null |
		grep -c '\.html$' || true)
	if [ -n "$bad" ]; then
		echo "$bad"
		result htmldocs fail "warnings in our pages: see $out/htmldocs.log"
	elif [ "$pages" -lt 5 ]; then
		result htmldocs fail "only $pages pages of Documentation/virt/gunyah built"
	else
		result htmldocs pass "make htmldocs SPHINXDIRS=virt: $pages Gunyah pages, no warning in them"
	fi
else
	tail -20 "$out/htmldocs.log"
	result htmldocs fail "make htmldocs failed: see $out/htmldocs.log"
fi

# The devicetree binding
yaml=Documentation/devicetree/bindings/firmware/qcom,gunyah-hypervisor.yaml
(
	cd "$src"
	dt-doc-validate -u Documentation/devicetree/bindings "$yaml" &&
	yamllint -s -c Documentation/devicetree/bindings/.yamllint "$yaml" &&
	dt-extract-example "$yaml" > "$out/example.dts" &&
	cpp -nostdinc -I include -I scripts/dtc/include-prefixes -undef \
		-D__DTS__ -x assembler-with-cpp "$out/example.dts" \
		-o "$out/example.pp.dts" &&
	dtc -q -I dts -O dtb -o "$out/example.dtb" "$out/example.pp.dts" &&
	/usr/bin/python3 "$H/dtcheck.py" "$yaml" "$out/example.pp.dts" "$out"
) > "$out/binding.log" 2>&1
if [ $? = 0 ]; then
	result dt-binding pass "dt-doc-validate, yamllint, $(tail -1 "$out/binding.log")"
else
	cat "$out/binding.log"
	result dt-binding fail "see $out/binding.log"
fi
