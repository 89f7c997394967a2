#!/usr/bin/env bash
# dedup three real staticlibs of one profile, then link the C host against the
# outputs with GNU ld and lld and compare what it prints with the host linked
# against the original libraries. Each slim library must also link alone with
# the common library (GNU ld's one pass must find what std calls back into).
source "$(dirname "$0")/lib.sh"
profile=$1
in=("${LIBS[@]/#/$CORPUS/$profile/lib}"); in=("${in[@]/%/.a}")

"$SLIMLINK" dedup "${in[@]}" -o "$WORK/out" --json > "$WORK/report.json"
slim=("${LIBS[@]/#/$WORK/out/lib}"); slim=("${slim[@]/%/.a}")
common="$WORK/out/libcommon.a"

rc=0
"$SLIMLINK" verify "${in[@]}" -- "${slim[@]}" "$common" > "$WORK/verify.txt" 2> "$WORK/verify.err" || rc=$?
if [ "$profile" != lto ]; then
  [ "$rc" = 0 ] || fail "verify: exit status $rc: $(tail -3 "$WORK/verify.txt") $(tail -1 "$WORK/verify.err")"
else
  # LTO staticlibs each hold their own std, so std's strong globals are still
  # defined in several outputs: verify must say so (exit 1, as
  # verify_catches.sh expects of the inputs) and say nothing else, and dedup
  # must add no duplicate the inputs did not have.
  [ "$rc" = 1 ] || fail "verify (LTO): exit status $rc, want 1: $(tail -3 "$WORK/verify.txt") $(tail -1 "$WORK/verify.err")"
  grep -q '^duplicate-strong: rust_eh_personality ' "$WORK/verify.txt" ||
    fail "verify (LTO): want 'duplicate-strong: rust_eh_personality' in: $(head -5 "$WORK/verify.txt")"
  grep -q '^verify: FAILED (' "$WORK/verify.txt" || fail "verify (LTO): no summary line: $(tail -3 "$WORK/verify.txt")"
  others=$(grep -v -e '^duplicate-strong: ' -e '^verify: FAILED (' "$WORK/verify.txt" || true)
  [ -z "$others" ] || fail "verify (LTO): findings besides duplicate strong globals: $(head -3 <<< "$others")"
  "$SLIMLINK" verify "${in[@]}" -- "${in[@]}" > "$WORK/verify-inputs.txt" 2> /dev/null || true
  new=$(comm -13 <(awk '$1 == "duplicate-strong:" { print $2 }' "$WORK/verify-inputs.txt" | sort) \
                 <(awk '$1 == "duplicate-strong:" { print $2 }' "$WORK/verify.txt" | sort))
  [ -z "$new" ] || fail "verify (LTO): dedup made new duplicate strong globals: $new"
  pass "lto: verify finds only the duplicate strong globals the inputs had ($(grep -c '^duplicate-strong: ' "$WORK/verify.txt"))"
fi

# The outputs' archive indexes offer every symbol the inputs' indexes did.
diff <(armap_symbols "${in[@]}") <(armap_symbols "${slim[@]}" "$common") >/dev/null ||
  fail "archive index lost or invented symbols"

if [ "$profile" = lto ]; then
  # LTO staticlibs each hold their own std: together they do not link at all.
  if link_host "$WORK/together" bfd "" "${in[@]}" 2>"$WORK/together.err"; then
    fail "three LTO libraries linked together; the premise of this test is gone"
  fi
  grep -q "multiple definition" "$WORK/together.err" || fail "unexpected link error: $(head -3 "$WORK/together.err")"
  notes=$(json_get "$WORK/report.json" "sum('LTO' in i.get('note','') for i in d['libraries'])")
  [ "$notes" = 3 ] || fail "report should explain low sharing for each LTO input (got $notes)"
else
  link_host "$WORK/orig" bfd "" "${in[@]}"
  "$WORK/orig" > "$WORK/expected.txt"
  for ld in bfd lld; do
    link_host "$WORK/all-$ld" "$ld" "" "${slim[@]}" "$common"
    "$WORK/all-$ld" > "$WORK/all-$ld.txt"
    diff -u "$WORK/expected.txt" "$WORK/all-$ld.txt" || fail "$ld: host output differs"
  done
  pass "$profile: all three link with GNU ld and lld and print the same"
fi

for i in "${!LIBS[@]}"; do
  lib=${LIBS[$i]} flag=$(flag_for "${LIBS[$i]}")
  link_host "$WORK/orig-$lib" bfd "$flag" "${in[$i]}"
  "$WORK/orig-$lib" > "$WORK/expected-$lib.txt"
  for ld in bfd lld; do
    link_host "$WORK/$lib-$ld" "$ld" "$flag" "${slim[$i]}" "$common"
    "$WORK/$lib-$ld" > "$WORK/$lib-$ld.txt"
    diff -u "$WORK/expected-$lib.txt" "$WORK/$lib-$ld.txt" || fail "$lib alone, $ld: output differs"
  done
done
pass "$profile: each slim library links alone with the common library (GNU ld, lld)"
