#!/usr/bin/env bash
# static.sh NAME SRC OBJ: sparse (C=2) and W=1 on the directories we own,
# in the kernel tree SRC configured in OBJ, and kernel-doc -Wall on every C
# file and header of ours. Any finding fails.
source "$(dirname "$0")/lib.sh"

variant=${1:?name} src=$(realpath "${2:?source tree}") O=$(realpath "${3:?object tree}")
out=$B/out/$variant
mkdir -p "$out"
cd "$ROOT"

# Our kernel-side directories; files elsewhere (headers) are checked by
# kernel-doc and by the builds of these directories.
dirs=()
for d in arch/arm64/gunyah drivers/virt/gunyah drivers/mailbox; do
	[ -d "$ROOT/$d" ] && dirs+=("$d/")
done

# Force a rebuild of our objects so that every file is compiled with W=1.
find "$O/arch/arm64/gunyah" "$O/drivers/virt/gunyah" "$O/drivers/mailbox" \
	-name '*.o' -delete 2>/dev/null || true
set +e
"${KMAKE[@]}" -C "$src" O="$O" W=1 C=2 "${dirs[@]}" > "$out/static-build.log" 2>&1
rc=$?
set -e
ours='(arch/arm64/gunyah|drivers/virt/gunyah|drivers/mailbox/gunyah|include/linux/gunyah|include/uapi/linux/gunyah)'
if [ $rc != 0 ] || grep -E "$ours" "$out/static-build.log" | grep -Eq 'warning|error'; then
	{ grep -E "$ours|Error" "$out/static-build.log" || true; } | head -40 >&2
	result "sparse+W=1[$variant]" fail "see $out/static-build.log"
else
	result "sparse+W=1[$variant]" pass "${dirs[*]}"
fi

# kernel-doc does not depend on the configuration: once is enough.
[ "$variant" = test ] || exit 0

mapfile -t files < <(git ls-files -co --exclude-standard -- \
	'arch/*.c' 'arch/*.h' 'drivers/*.c' 'drivers/*.h' 'include/*.h' 'samples/*.c')
"$src/scripts/kernel-doc" -none -Wall "${files[@]}" > "$out/kernel-doc.log" 2>&1 || true
if [ -s "$out/kernel-doc.log" ]; then
	head -40 "$out/kernel-doc.log" >&2 || true
	result kernel-doc fail "${#files[@]} files, see $out/kernel-doc.log"
else
	result kernel-doc pass "${#files[@]} files"
fi
