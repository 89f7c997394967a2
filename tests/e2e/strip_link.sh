#!/usr/bin/env bash
# strip drops debug info and embedded bitcode; the host links and behaves as
# before, the archive index offers the same symbols.
source "$(dirname "$0")/lib.sh"
in=("$CORPUS"/release/lib{alpha,beta,gamma}.a)
out=("$WORK"/lib{alpha,beta,gamma}.a)
for i in 0 1 2; do "$SLIMLINK" strip "${in[$i]}" -o "${out[$i]}" > /dev/null; done
"$SLIMLINK" strip "${in[0]}" -o "$WORK/keep-debug.a" --keep-debug > /dev/null

before=$(stat -c %s "${in[@]}" | paste -sd+ | bc)
after=$(stat -c %s "${out[@]}" | paste -sd+ | bc)
[ $((after * 4)) -le "$before" ] || fail "stripped libraries are more than 25% of the inputs ($after of $before)"
diff <(armap_symbols "${in[@]}") <(armap_symbols "${out[@]}") > /dev/null || fail "archive index changed"
sections=$(llvm-objdump-19 -h "${out[0]}")
grep -q '\.llvmbc\|\.debug_info' <<< "$sections" && fail "stripped library still has .llvmbc or .debug_info"
grep -q '\.debug_info' <<< "$(llvm-objdump-19 -h "$WORK/keep-debug.a")" || fail "--keep-debug dropped .debug_info"
grep -q '\.llvmbc' <<< "$(llvm-objdump-19 -h "$WORK/keep-debug.a")" && fail "--keep-debug kept .llvmbc"

link_host "$WORK/orig" bfd "" "${in[@]}"
"$WORK/orig" > "$WORK/expected.txt"
for ld in bfd lld; do
  link_host "$WORK/host-$ld" "$ld" "" "${out[@]}"
  "$WORK/host-$ld" | diff -u "$WORK/expected.txt" - || fail "$ld: output differs"
done
pass "stripped to $((100 * after / before))% of the inputs; links and behaves the same"
