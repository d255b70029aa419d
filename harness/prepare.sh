#!/usr/bin/env bash
# Extract the pinned base once into build/base, keep build/src as base +
# glue patches + overlay, rewriting only the files whose content changed so
# that make rebuilds only what an edit touched.
source "$(dirname "$0")/lib.sh"

stamp="$PIN_PACKAGE $PIN_VERSION"
extract() {	# extract DIR
	rm -rf "$1" "$1.tmp"
	mkdir -p "$1.tmp"
	log "extracting $BASE_TAR into $1"
	tar -xJf "$BASE_TAR" -C "$1.tmp" --strip-components=1
	grep -qx "SUBLEVEL = $PIN_SUBLEVEL" "$1.tmp/Makefile" ||
		die "$BASE_TAR is not 6.12.$PIN_SUBLEVEL"
	echo "$stamp" > "$1.tmp/.gunyah-base"
	mv "$1.tmp" "$1"
}

[ "$(cat "$B/base/.gunyah-base" 2>/dev/null)" = "$stamp" ] || extract "$B/base"
if [ "$(cat "$B/src/.gunyah-base" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$B/src" "$B/src.tmp"
	log "copying the base to $B/src"
	cp -a "$B/base" "$B/src.tmp"
	mv "$B/src.tmp" "$B/src"
fi
python3 "$H/overlay.py" lint
python3 "$H/overlay.py" prepare "$B/src" "$B/base"
