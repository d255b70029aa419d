#!/usr/bin/env bash
# series.sh OUT: write the git format-patch series (with a cover letter)
# against the pinned base into OUT.
# series.sh --check: also run checkpatch --strict on every patch, apply the
# series with git am onto a pristine base, build the kernel (built-in
# variant) after every patch, and check that the result equals the overlay.
source "$(dirname "$0")/lib.sh"

check=0
if [ "${1:-}" = --check ]; then check=1; out=$B/out/series; else out=${1:?OUT}; fi
case $out in /*) ;; *) out=$PWD/$out ;; esac

python3 "$H/overlay.py" lint
python3 "$H/overlay.py" series "$B/base" "$B/series-repo" "$out" > "$B/out/series.list"
n=$(grep -c -v cover-letter "$B/out/series.list")
log "wrote $n patches and a cover letter to $out"
[ $check = 1 ] || exit 0

# A pristine base under git, made once and reset before every check.
repo=$B/bisect-src
if [ ! -f "$repo/.git/gunyah-pristine" ]; then
	log "making a git repository of the pristine base (once)"
	rm -rf "$repo"
	cp -a "$B/base" "$repo"
	git -C "$repo" init -q -b pristine
	git -C "$repo" add -A -f .
	git -C "$repo" -c user.name=harness -c user.email=harness@localhost \
		commit -q -m "Debian linux-source-6.12 $PIN_VERSION"
	touch "$repo/.git/gunyah-pristine"
fi
git -C "$repo" checkout -q -f pristine
git -C "$repo" clean -fdq
git -C "$repo" branch -q -D series 2>/dev/null || true
git -C "$repo" checkout -q -b series

O=$B/obj/bisect
mkdir -p "$O"
cat "$H/configs/base.config" "$H/configs/gunyah-y.config" > "$O/gunyah-fragment.config"
# checkpatch --strict runs in the tree with the series applied up to the
# patch, as in a maintainer's tree (so it sees the bindings the series adds).
am_ok=1 build_ok=1 cp_ok=1 i=0
for p in $(grep -v cover-letter "$B/out/series.list"); do
	i=$((i + 1))
	if ! git -C "$repo" -c user.name=harness -c user.email=harness@localhost \
		am -q --whitespace=error-all "$p" >&2; then
		git -C "$repo" am --abort 2>/dev/null || true
		am_ok=0
		log "patch $i does not apply: $p"
		break
	fi
	r=$(cd "$repo" && ./scripts/checkpatch.pl --strict --show-types "$p" 2>&1 || true)
	if ! grep -q '^total: 0 errors, 0 warnings, 0 checks' <<< "$r"; then
		printf '%s\n' "$r" >&2
		cp_ok=0
	fi
	start=$(date +%s)
	if make -s -C "$repo" O="$O" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
		KCONFIG_ALLCONFIG="$O/gunyah-fragment.config" allnoconfig >/dev/null &&
	   make -s -C "$repo" O="$O" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
		"CC=ccache aarch64-linux-gnu-gcc" -j"$JOBS" Image modules \
		> "$B/out/bisect-$i.log" 2>&1; then
		log "patch $i builds ($(( $(date +%s) - start ))s): $(basename "$p")"
	else
		tail -20 "$B/out/bisect-$i.log" >&2
		log "patch $i does not build: $(basename "$p")"
		build_ok=0
	fi
done
if [ $am_ok = 1 ]; then result "git-am" pass "$n patches"; else result "git-am" fail; fi
if [ $am_ok = 1 ] && [ $cp_ok = 1 ]; then
	result checkpatch pass "--strict, $n patches"
else
	result checkpatch fail
fi
if [ $am_ok = 1 ] && [ $build_ok = 1 ]; then
	result bisect-build pass "built-in kernel builds after each of $n patches"
else
	result bisect-build fail
fi

# The built-in variant through sparse and W=1 as well.
if [ $am_ok = 1 ] && [ $build_ok = 1 ]; then
	bash "$H/static.sh" built-in "$repo" "$O"
fi

# The series, applied, is exactly the overlay.
diffs=0
for f in $(cat "$B/src/.gunyah-overlay"); do
	cmp -s "$repo/$f" "$B/src/$f" || { log "differs from the overlay: $f"; diffs=1; }
done
if [ $diffs = 0 ] && [ $am_ok = 1 ]; then
	result series-equals-overlay pass
else
	result series-equals-overlay fail
fi

# MAINTAINERS names us for every file the series adds, and for every patch.
if [ $am_ok = 1 ]; then
	unnamed=0 added=0
	for f in $(git -C "$repo" diff --name-only --diff-filter=A pristine series); do
		added=$((added + 1))
		(cd "$repo" && ./scripts/get_maintainer.pl --no-git --no-tree -f "$f" 2>/dev/null) |
			grep -q 'kernel-team@gunyah-drivers.invalid' ||
			{ log "get_maintainer.pl does not name us for $f"; unnamed=1; }
	done
	for p in $(grep -v cover-letter "$B/out/series.list"); do
		(cd "$repo" && ./scripts/get_maintainer.pl --no-git "$p" 2>/dev/null) |
			grep -q 'kernel-team@gunyah-drivers.invalid' ||
			{ log "get_maintainer.pl does not name us for $(basename "$p")"; unnamed=1; }
	done
	if [ $unnamed = 0 ]; then
		result get-maintainer pass "names the Gunyah entry for $added added files and $n patches"
	else
		result get-maintainer fail
	fi
fi
