#!/usr/bin/env bash
# isolate three staticlibs of one profile (or a mix of profiles), then link
# them into one C host with GNU ld and lld. The host must print what each
# library printed when linked alone. For LTO builds this is the case that
# fails without isolate (duplicate rust_eh_personality, std statics).
source "$(dirname "$0")/lib.sh"
case $1 in
  mix) profiles=(lto debug panic-abort) ;; # different profiles in one program
  *) profiles=("$1" "$1" "$1") ;;
esac
in=() iso=()
mkdir -p "$WORK/iso"
for i in "${!LIBS[@]}"; do
  in+=("$CORPUS/${profiles[$i]}/lib${LIBS[$i]}.a")
  iso+=("$WORK/iso/lib${LIBS[$i]}.a")
done

: > "$WORK/expected.txt"
for i in "${!LIBS[@]}"; do
  link_host "$WORK/alone-${LIBS[$i]}" bfd "$(flag_for "${LIBS[$i]}")" "${in[$i]}"
  "$WORK/alone-${LIBS[$i]}" >> "$WORK/expected.txt"
  "$SLIMLINK" isolate "${in[$i]}" -o "${iso[$i]}" --json > "$WORK/report-${LIBS[$i]}.json"
  [ "$(json_get "$WORK/report-${LIBS[$i]}.json" "d['api_symbols']")" = 1 ] ||
    fail "${LIBS[$i]}: want exactly one API symbol (its #[no_mangle] function)"
done

if [ "$1" = lto ] || [ "$1" = mix ]; then
  if link_host "$WORK/together" bfd "" "${in[@]}" 2>/dev/null; then
    fail "the original libraries linked together; the premise of this test is gone"
  fi
fi

"$SLIMLINK" verify "${in[@]}" -- "${iso[@]}" > "$WORK/verify.txt" || fail "verify: $(cat "$WORK/verify.txt")"
for ld in bfd lld; do
  link_host "$WORK/host-$ld" "$ld" "" "${iso[@]}"
  "$WORK/host-$ld" > "$WORK/host-$ld.txt"
  diff -u "$WORK/expected.txt" "$WORK/host-$ld.txt" || fail "$ld: output differs"
done
pass "$1: isolated libraries link together (GNU ld, lld) and behave as alone"
