#!/usr/bin/env bash
# build.sh VARIANT: configure (allnoconfig + the variant's fragments) and
# build an arm64 kernel and its modules in build/obj/VARIANT; install the
# modules, with depmod's output, into build/out/VARIANT/modroot.
source "$(dirname "$0")/lib.sh"

variant=${1:?variant}
case $variant in
test)	frags=(base debug kunit gunyah-m) ;;	# what make run and make check boot
bisect)	frags=(base gunyah-y) ;;		# built-in, built after every patch
bench)	frags=(base kunit gunyah-m bench) ;;	# make bench: no debug options
*)	die "unknown variant $variant" ;;
esac

O=$B/obj/$variant
mkdir -p "$O"
frag=$O/gunyah-fragment.config
: > "$frag.new"
for f in "${frags[@]}"; do cat "$H/configs/$f.config" >> "$frag.new"; done

if ! cmp -s "$frag.new" "$frag" || [ ! -f "$O/.config" ]; then
	log "configuring $variant (allnoconfig + ${frags[*]})"
	"${KMAKE[@]}" O="$O" KCONFIG_ALLCONFIG="$frag.new" allnoconfig >/dev/null
	mv "$frag.new" "$frag"
else
	rm -f "$frag.new"
	"${KMAKE[@]}" O="$O" olddefconfig >/dev/null
fi

# Every option the fragments ask for must have taken effect.
bad=0
while IFS= read -r line; do
	case $line in ''|'#'*) continue ;; esac
	sym=${line%%=*} val=${line#*=}
	if [ "$val" = n ]; then
		grep -q "^$sym=" "$O/.config" && { log "$sym is set, wanted n"; bad=1; }
	else
		grep -qxF "$line" "$O/.config" || { log "$line did not take effect"; bad=1; }
	fi
done < "$frag"
[ $bad = 0 ] || die "$variant: configuration fragment not honoured"

start=$(date +%s)
"${KMAKE[@]}" O="$O" ${KBUILD_EXTRA:-} Image modules
log "$variant kernel built in $(( $(date +%s) - start ))s"

mods=$B/out/$variant/modroot
rm -rf "$mods"
"${KMAKE[@]}" O="$O" INSTALL_MOD_PATH="$mods" INSTALL_MOD_STRIP=1 modules_install >/dev/null
