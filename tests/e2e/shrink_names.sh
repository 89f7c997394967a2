#!/usr/bin/env bash
# shrink's names (the default: short and local) against --keep-names, on the
# four release staticlibs. Must show:
#  - private symbols that one member alone defines and uses become local
#    (in both modes): every global left is the API or named by another
#    member, so the archive index holds nothing a link cannot pull;
#  - the other private names are TAG_<n>, each listed once with its original
#    in DIR/libcommon.names; no NAME.slimlink.TAG name is left, and no
#    section is still named after a symbol (.text._ZN...);
#  - both outputs link with GNU ld and lld, with and without --gc-sections,
#    and the program prints what the original libraries' program prints;
#    verify passes;
#  - identical members are rewritten once: the report counts the object
#    members and the rewrites, and adding a second copy of every library
#    doubles the members but adds no rewrite;
#  - byte-identical across two runs, and across -j 1 and -j 2.
source "$(dirname "$0")/lib.sh"
in=("$CORPUS"/release/lib{alpha,beta,gamma,delta}.a)
all="-DUSE_ALPHA -DUSE_BETA -DUSE_GAMMA -DUSE_DELTA"
names=(alpha beta gamma delta)
outs() { for l in "${names[@]}"; do printf '%s ' "$1/lib$l.a"; done; printf '%s' "$1/libcommon.a"; }

"$SLIMLINK" shrink "${in[@]}" -o "$WORK/short" --json > "$WORK/short.json"
"$SLIMLINK" shrink "${in[@]}" -o "$WORK/keep" --keep-names --json > "$WORK/keep.json"
short=($(outs "$WORK/short")) keep=($(outs "$WORK/keep"))

# Local and short.
localized=$(json_get "$WORK/short.json" 'd["localized_symbols"]')
[ "$localized" -gt 100 ] || fail "only $localized private symbols became local"
armap_symbols "${short[@]}" > "$WORK/short.armap"
grep -q '\.slimlink\.' "$WORK/short.armap" && fail "a NAME.slimlink.TAG name is left in the index"
# What stays global is the API, or what another member names.
for set in short keep; do
  declare -n o=$set
  llvm-nm-19 -g --defined-only "${o[@]}" 2>/dev/null | awk 'NF == 3 && $2 !~ /[VWvw]/ { print $3 }' | sort -u > "$WORK/$set.defs"
  llvm-nm-19 -u "${o[@]}" 2>/dev/null | awk '{ print $NF }' | sort -u > "$WORK/$set.undefs"
  comm -23 "$WORK/$set.defs" "$WORK/$set.undefs" | grep -v -E '^(alpha|beta|gamma|delta)_' > "$WORK/$set.alone" || true
  [ ! -s "$WORK/$set.alone" ] || fail "$set: globals that only their own member uses: $(head -3 "$WORK/$set.alone")"
done
tag=$(json_get "$WORK/short.json" 'd["names"]')
[ "$tag" = "$WORK/short/libcommon.names" ] || fail "the report does not list the names file: $tag"
map="$WORK/short/libcommon.names"
[ "$(cut -f1 "$map" | sort | uniq -d | wc -l)" = 0 ] || fail "a short name is listed twice in $map"
# Every private name in the index is listed, with a real original.
grep -v -x -F -f <(llvm-nm-19 -g --defined-only "${in[@]}" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u) \
  "$WORK/short.armap" | grep -v -x -F -f <(cut -f1 "$map") > "$WORK/unlisted" || true
[ ! -s "$WORK/unlisted" ] || fail "index names neither original nor in $map: $(head -3 "$WORK/unlisted")"
cut -f2 "$map" | grep -v -x -F -f <(llvm-nm-19 --defined-only "${in[@]}" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u) \
  > "$WORK/unknown" || true
[ ! -s "$WORK/unknown" ] || fail "$map names originals no input defines: $(head -3 "$WORK/unknown")"
for a in "${short[@]}"; do llvm-readelf-19 -S -W "$a" 2>/dev/null; done | grep -E '\] \.text\._|\] \.rodata\._' > "$WORK/long-sections" || true
[ ! -s "$WORK/long-sections" ] || fail "sections still named after symbols: $(head -2 "$WORK/long-sections")"
short_bytes=$(stat -c %s "${short[@]}" | paste -sd+ | bc) keep_bytes=$(stat -c %s "${keep[@]}" | paste -sd+ | bc)
[ $((short_bytes * 100)) -lt $((keep_bytes * 95)) ] || fail "short names save under 5% ($short_bytes vs $keep_bytes)"

# Both link and run like the originals; verify passes.
link_host "$WORK/orig" bfd "$all" "${in[@]}"
"$WORK/orig" > "$WORK/expected.txt"
for set in short keep; do
  declare -n o=$set
  "$SLIMLINK" verify "${in[@]}" -- "${o[@]}" > "$WORK/$set.verify" || fail "$set: verify: $(tail -5 "$WORK/$set.verify")"
  for ld in bfd lld; do
    for gc in "" "-Wl,--gc-sections"; do
      link_host "$WORK/host-$set-$ld" "$ld" "$all $gc" "${o[@]}" || fail "$set: $ld $gc does not link"
      "$WORK/host-$set-$ld" | diff -u "$WORK/expected.txt" - || fail "$set: $ld $gc: output differs"
    done
  done
done

# Identical members are rewritten once.
mkdir -p "$WORK/copies"
for l in "${names[@]}"; do cp "$CORPUS/release/lib$l.a" "$WORK/copies/lib${l}2.a"; done
api='^(alpha|beta|gamma|delta)_' # the copies' crate names differ from their file names
"$SLIMLINK" shrink "${in[@]}" -o "$WORK/once" --api-regex "$api" --json > "$WORK/once.json"
"$SLIMLINK" shrink "${in[@]}" "$WORK"/copies/lib*2.a -o "$WORK/twice" --api-regex "$api" --json > "$WORK/twice.json"
members=$(json_get "$WORK/once.json" 'd["object_members"]') rewrites=$(json_get "$WORK/once.json" 'd["objects_rewritten"]')
members2=$(json_get "$WORK/twice.json" 'd["object_members"]') rewrites2=$(json_get "$WORK/twice.json" 'd["objects_rewritten"]')
echo "object members $members, rewritten $rewrites; with a copy of each library: $members2, $rewrites2"
[ "$members2" = $((2 * members)) ] || fail "twice the libraries: $members2 object members, want $((2 * members))"
[ "$rewrites2" = "$rewrites" ] || fail "copies of the libraries were rewritten again: $rewrites2 rewrites, want $rewrites"
[ $((rewrites * 2)) -lt "$members" ] || fail "$rewrites rewrites for $members object members: shared members are rewritten per copy"

# Deterministic across runs and thread counts.
"$SLIMLINK" -j 1 shrink "${in[@]}" -o "$WORK/j1" > /dev/null
"$SLIMLINK" -j 2 shrink "${in[@]}" -o "$WORK/j2" > /dev/null
for f in "$WORK"/short/*; do
  b=$(basename "$f")
  cmp -s "$f" "$WORK/j1/$b" && cmp -s "$f" "$WORK/j2/$b" || fail "$b differs across runs or -j"
done
pass "shrink names: $localized symbols local, index $(wc -l < "$WORK/short.armap") names, $short_bytes bytes (--keep-names $keep_bytes); links with GNU ld and lld; $rewrites rewrites for $members members, none more for $members2"
