#!/usr/bin/env bash
# --merge: one library with one copy of each distinct member. The host links
# against it alone with GNU ld and lld and prints what it printed before.
source "$(dirname "$0")/lib.sh"
in=("$CORPUS"/release/lib{alpha,beta,gamma}.a)
"$SLIMLINK" dedup "${in[@]}" --merge "$WORK/merged.a" --json > "$WORK/report.json"
link_host "$WORK/orig" bfd "" "${in[@]}"
"$WORK/orig" > "$WORK/expected.txt"
for ld in bfd lld; do
  link_host "$WORK/host-$ld" "$ld" "" "$WORK/merged.a"
  "$WORK/host-$ld" | diff -u "$WORK/expected.txt" - || fail "$ld: output differs"
done
# Distinct members: one std, and each crate's own object once.
[ "$(llvm-ar-19 t "$WORK/merged.a" | grep -c '^std-')" = 1 ] || fail "std is not there exactly once"
total=$(llvm-ar-19 t "$WORK/merged.a" | wc -l)
distinct=$(for f in "${in[@]}"; do d=$(mktemp -d); (cd "$d" && llvm-ar-19 x "$f" && sha256sum *); rm -rf "$d"; done | cut -d' ' -f1 | sort -u | wc -l)
[ "$total" = "$distinct" ] || fail "merged has $total members, inputs have $distinct distinct contents"
pass "merged library: $total members, links with GNU ld and lld"
