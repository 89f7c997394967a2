#!/usr/bin/env bash
# prune (then strip) real staticlibs of one profile: each host that calls one
# library still links with GNU ld and lld, with and without --gc-sections,
# and prints what it printed before; verify passes; the archive shrinks, to
# no more than the usual recipe makes of it: ld -r --gc-sections -u API, then
# objcopy --strip-debug -R .llvmbc -G API.
source "$(dirname "$0")/lib.sh"
profile=$1

recipe() { # LIB API OUT
  local d="$WORK/recipe-$(basename "$3" .a)"
  mkdir -p "$d/x" && (cd "$d/x" && llvm-ar-19 x "$1")
  ld -r --gc-sections -u "$2" "$d"/x/*.o -o "$d/combined.o"
  llvm-objcopy-19 --strip-debug -R .llvmbc -R .llvmcmd -R .comment -G "$2" "$d/combined.o" "$d/final.o"
  llvm-ar-19 rcs "$3" "$d/final.o"
}
mkdir -p "$WORK/pruned" "$WORK/out"
for lib in "${LIBS[@]}"; do
  in="$CORPUS/$profile/lib$lib.a" pruned="$WORK/pruned/lib$lib.a" out="$WORK/out/lib$lib.a"
  "$SLIMLINK" prune "$in" -o "$pruned" --json > "$WORK/prune-$lib.json"
  "$SLIMLINK" strip "$pruned" -o "$out" > /dev/null
  "$SLIMLINK" strip "$in" -o "$WORK/strip-only-$lib.a" > /dev/null
  "$SLIMLINK" verify "$in" -- "$pruned" > "$WORK/verify-$lib.txt" || fail "$lib: verify: $(cat "$WORK/verify-$lib.txt")"
  [ "$(stat -c %s "$pruned")" -lt "$(stat -c %s "$in")" ] || fail "$lib: prune did not shrink the library"
  [ "$(stat -c %s "$out")" -lt "$(stat -c %s "$WORK/strip-only-$lib.a")" ] || fail "$lib: prune+strip is not smaller than strip alone"
  api=$(llvm-nm-19 -g --defined-only "$in" 2>/dev/null | awk '$3 ~ /^'$lib'_/ { print $3 }')
  recipe "$in" "$api" "$WORK/recipe-$lib.a"
  echo "$lib: prune+strip $(stat -c %s "$out") bytes, recipe $(stat -c %s "$WORK/recipe-$lib.a") bytes"
  # Debug builds come in many small codegen units; one merged object (what
  # ld -r makes) saves their per-object overhead. Measured there, not asserted.
  if [ "$profile" != debug ]; then
    [ "$(stat -c %s "$out")" -le "$(stat -c %s "$WORK/recipe-$lib.a")" ] || fail "$lib: prune+strip is bigger than the recipe"
  fi
  flag=$(flag_for "$lib")
  link_host "$WORK/orig-$lib" bfd "$flag" "$in"
  "$WORK/orig-$lib" > "$WORK/expected-$lib.txt"
  for ld in bfd lld; do
    for gc in "" "-Wl,--gc-sections"; do
      link_host "$WORK/$lib-$ld" "$ld" "$flag $gc" "$out"
      "$WORK/$lib-$ld" | diff -u "$WORK/expected-$lib.txt" - || fail "$lib, $ld $gc: output differs"
    done
  done
done
pass "$profile: pruned libraries link (GNU ld, lld, with and without --gc-sections) and behave the same"

# A --keep root that nobody defines is an error, not a silent no-op.
if "$SLIMLINK" prune "$CORPUS/$profile/libalpha.a" -o "$WORK/bad.a" --keep no_such_symbol 2> "$WORK/bad.err"; then
  fail "--keep of a missing symbol succeeded"
fi
grep -q "no_such_symbol" "$WORK/bad.err" || fail "error does not name the symbol: $(cat "$WORK/bad.err")"
[ ! -e "$WORK/bad.a" ] || fail "output written on error"

# A build system's name for the archive (libalpha_static.a): the default API
# is still the crate's own, found from its first member, and the output is
# the one the crate's own name gives.
cp "$CORPUS/$profile/libalpha.a" "$WORK/libalpha_static.a"
"$SLIMLINK" prune "$WORK/libalpha_static.a" -o "$WORK/renamed.a" > /dev/null 2> "$WORK/renamed.err" ||
  fail "prune of a renamed staticlib: $(cat "$WORK/renamed.err")"
cmp -s "$WORK/renamed.a" "$WORK/pruned/libalpha.a" || fail "prune of a renamed staticlib differs from the crate-named one"
pass "$profile: a renamed staticlib keeps the crate's default API"
