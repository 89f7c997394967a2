#!/usr/bin/env bash
# shrink sets that do not link together as they are: LTO builds (each carries
# its own std) and a mix of profiles. The shrunk set links with GNU ld and
# lld and the host prints what each library printed alone.
source "$(dirname "$0")/lib.sh"
case $1 in
  mix) profiles=(lto debug panic-abort) ;;
  *) profiles=("$1" "$1" "$1") ;;
esac
in=()
: > "$WORK/expected.txt"
for i in "${!LIBS[@]}"; do
  in+=("$CORPUS/${profiles[$i]}/lib${LIBS[$i]}.a")
  link_host "$WORK/alone-$i" bfd "$(flag_for "${LIBS[$i]}")" "${in[$i]}"
  "$WORK/alone-$i" >> "$WORK/expected.txt"
done
if link_host "$WORK/together" bfd "" "${in[@]}" 2>/dev/null; then
  fail "the original libraries linked together; the premise of this test is gone"
fi
"$SLIMLINK" shrink "${in[@]}" -o "$WORK/out" > /dev/null
out=("$WORK"/out/lib{alpha,beta,gamma}.a "$WORK/out/libcommon.a")
"$SLIMLINK" verify "${in[@]}" -- "${out[@]}" > "$WORK/verify.txt" || fail "verify: $(cat "$WORK/verify.txt")"
for ld in bfd lld; do
  link_host "$WORK/host-$ld" "$ld" "" "${out[@]}"
  "$WORK/host-$ld" | diff -u "$WORK/expected.txt" - || fail "$ld: output differs"
done
pass "$1: shrunk set links (GNU ld, lld) and behaves as each library alone"
