#!/usr/bin/env bash
# shrink three release staticlibs as one set. Must show:
#  - total output bytes below the per-library recipe (ld -r --gc-sections -u
#    API, then objcopy --strip-debug -R .llvmbc -G API) on the same inputs;
#  - the host linked from the outputs with --gc-sections and stripped is no
#    bigger than the host linked from the original libraries the same way;
#  - it links with GNU ld and lld together with an unrelated isolated
#    staticlib built by another profile (delta, LTO), and behaves the same.
source "$(dirname "$0")/lib.sh"
in=("$CORPUS"/release/lib{alpha,beta,gamma}.a)
"$SLIMLINK" shrink "${in[@]}" -o "$WORK/out" --json > "$WORK/report.json"
out=("$WORK"/out/lib{alpha,beta,gamma}.a "$WORK/out/libcommon.a")
"$SLIMLINK" verify "${in[@]}" -- "${out[@]}" > "$WORK/verify.txt" || fail "verify: $(cat "$WORK/verify.txt")"

# The per-library recipe, run here on the same inputs.
recipe_total=0
for lib in alpha beta gamma; do
  api=$(llvm-nm-19 -g --defined-only "$CORPUS/release/lib$lib.a" 2>/dev/null | awk '$3 ~ /^'$lib'_/ { print $3 }')
  d="$WORK/recipe-$lib" && mkdir -p "$d/x"
  (cd "$d/x" && llvm-ar-19 x "$CORPUS/release/lib$lib.a")
  ld -r --gc-sections -u "$api" "$d"/x/*.o -o "$d/combined.o"
  llvm-objcopy-19 --strip-debug -R .llvmbc -R .llvmcmd -R .comment -G "$api" "$d/combined.o" "$d/final.o"
  llvm-ar-19 rcs "$d/lib$lib.a" "$d/final.o"
  recipe_total=$((recipe_total + $(stat -c %s "$d/lib$lib.a")))
done
shrink_total=$(stat -c %s "${out[@]}" | paste -sd+ | bc)
echo "shrink: $shrink_total bytes; per-library recipe: $recipe_total bytes"
[ "$shrink_total" -lt "$recipe_total" ] || fail "shrink ($shrink_total) is not below the recipe ($recipe_total)"

# Host size, --gc-sections and stripped.
link_host "$WORK/orig-gc" bfd "-Wl,--gc-sections -s" "${in[@]}"
link_host "$WORK/shrunk-gc" bfd "-Wl,--gc-sections -s" "${out[@]}"
orig=$(stat -c %s "$WORK/orig-gc") shrunk=$(stat -c %s "$WORK/shrunk-gc")
echo "host (--gc-sections, stripped): original libraries $orig bytes, shrunk $shrunk bytes"
[ "$shrunk" -le "$orig" ] || fail "host from shrunk libraries is bigger ($shrunk > $orig)"

# Together with an unrelated isolated staticlib of another profile.
mkdir -p "$WORK/delta"
"$SLIMLINK" isolate "$CORPUS/lto/libdelta.a" -o "$WORK/delta/libdelta.a" > /dev/null
all="-DUSE_ALPHA -DUSE_BETA -DUSE_GAMMA -DUSE_DELTA"
link_host "$WORK/orig3" bfd "" "${in[@]}"
link_host "$WORK/delta-alone" bfd "-DUSE_DELTA" "$CORPUS/lto/libdelta.a"
{ "$WORK/orig3"; "$WORK/delta-alone"; } > "$WORK/expected.txt"
for ld in bfd lld; do
  for gc in "" "-Wl,--gc-sections"; do
    link_host "$WORK/host-$ld" "$ld" "$all $gc" "${out[@]}" "$WORK/delta/libdelta.a"
    "$WORK/host-$ld" | diff -u "$WORK/expected.txt" - || fail "$ld $gc: output differs"
  done
done
pass "shrink: $shrink_total bytes (recipe $recipe_total), host $shrunk bytes (original $orig); links beside an isolated LTO library"
