#!/usr/bin/env bash
# Release, no LTO, three inputs: the outputs must total at most 40% of the
# inputs. Measured on the files themselves, not on what the report claims;
# the report must agree with the files.
source "$(dirname "$0")/lib.sh"
in=("$CORPUS"/release/lib{alpha,beta,gamma}.a)
"$SLIMLINK" dedup "${in[@]}" -o "$WORK/out" --json > "$WORK/report.json"
before=$(stat -c %s "${in[@]}" | paste -sd+ | bc)
after=$(stat -c %s "$WORK"/out/*.a | paste -sd+ | bc)
echo "inputs $before bytes, outputs $after bytes ($((100 * after / before))%)"
[ $((after * 100)) -le $((before * 40)) ] || fail "outputs are more than 40% of inputs"
[ "$(json_get "$WORK/report.json" "d['total_after']")" = "$after" ] || fail "report's total_after disagrees with the files"
[ "$(json_get "$WORK/report.json" "d['total_before']")" = "$before" ] || fail "report's total_before disagrees with the files"
# std must be among the shared crates, and its one copy must be in the common library.
grep -q "'std'" <<< "$(json_get "$WORK/report.json" "[c['crate'] for c in d['shared_by_crate']]")" || fail "std not reported as shared"
grep -q '^std-' <<< "$(llvm-ar-19 t "$WORK/out/libcommon.a")" || fail "std not in the common library"
if grep -q '^std-' <<< "$(llvm-ar-19 t "$WORK/out/libalpha.a")"; then fail "std still in a slim library"; fi
pass "outputs are $((100 * after / before))% of the inputs"
