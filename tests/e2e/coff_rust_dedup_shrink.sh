#!/usr/bin/env bash
# dedup and shrink on real Rust staticlibs for Windows (three plugins built by
# Debian's rustc 1.63 for x86_64-pc-windows-gnu: GNU archives of COFF
# objects, ~298 runtime members byte-identical across them), linked into the
# MinGW C host with clang-19 --target=x86_64-w64-mingw32 -fuse-ld=lld and with
# MinGW GNU ld (x86_64-w64-mingw32-gcc), in the order the report prints, with
# the native libraries rustc names. Checks:
#  - dedup: both programs run under wine and print exactly what the program
#    linked from the originals prints; the common library holds every
#    runtime member once (same bytes); the slim libraries hold their own
#    crate's members and no runtime member except the report's fallback
#    copies; verify passes; outputs byte-identical across two runs;
#  - shrink (API: the plugins' #[no_mangle] functions, ^plug[0-9]_): the same,
#    the API still defined under its names, and the outputs a small fraction
#    of the inputs' bytes (printed; at most 10 %).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/coff_lib.sh"
R=$COFF/rust
in=("$R"/libplug{1,2,3}.a)
read -ra native < "$R/native-libs"
expected=$COFF/run/rust.out
[ "$(grep -c . "$expected")" -ge 9 ] || fail "corpus: $expected is nearly empty"

# link_run NAME REPORT: links the host and the report's libraries (link
# order), with lld and with GNU ld, runs both, compares with the originals.
link_run() {
  local name=$1 report=$2 order
  read -ra order <<< "$(link_order "$report")"
  [ "${#order[@]}" = 4 ] || fail "$name: link line '$(json_get "$report" 'd["link_line"]')': want 4 archives"
  [ "$(basename "${order[3]}")" = libcommon.a ] || fail "$name: libcommon.a is not last on the link line: ${order[*]}"
  clang-19 --target=x86_64-w64-mingw32 -fuse-ld=lld "$R/host.o" "${order[@]}" "${native[@]}" \
    -o "$WORK/$name-lld.exe" 2> "$WORK/$name-lld.err" || fail "$name: lld link: $(head -5 "$WORK/$name-lld.err")"
  same_run "$expected" "$WORK/$name-lld.exe" "$name (lld)"
  x86_64-w64-mingw32-gcc "$R/host.o" "${order[@]}" "${native[@]}" \
    -o "$WORK/$name-bfd.exe" 2> "$WORK/$name-bfd.err" || fail "$name: GNU ld link: $(head -5 "$WORK/$name-bfd.err")"
  same_run "$expected" "$WORK/$name-bfd.exe" "$name (GNU ld)"
}

# The runtime: every member of libplug1.a that is not plug1's own.
coff_members list "${in[0]}" > "$WORK/in1.members"
grep -v '^libplug1\.' "$WORK/in1.members" | sort > "$WORK/runtime.members"
[ "$(wc -l < "$WORK/runtime.members")" -ge 250 ] || fail "corpus: only $(wc -l < "$WORK/runtime.members") runtime members"

# --- dedup ---------------------------------------------------------------
D=$WORK/dedup
run_twice dedup "$D" "${in[@]}"
"$SLIMLINK" verify "${in[@]}" -- "$D"/libplug{1,2,3}.a "$D/libcommon.a" > "$WORK/dedup.verify" 2>&1 ||
  fail "dedup: verify: $(tail -5 "$WORK/dedup.verify")"
coff_members list "$D/libcommon.a" | sort > "$WORK/common.members"
# Every runtime member, name and bytes, once in libcommon.a.
join -v1 <(cut -d' ' -f1,3 "$WORK/runtime.members" | tr ' ' '\t' | sort) \
         <(cut -d' ' -f1,3 "$WORK/common.members" | tr ' ' '\t' | sort) > "$WORK/missing" || true
[ ! -s "$WORK/missing" ] || fail "dedup: $(wc -l < "$WORK/missing") runtime members not in libcommon.a with their bytes, e.g. $(head -1 "$WORK/missing")"
dups=$(cut -d' ' -f1 "$WORK/common.members" | sort | uniq -d | head -3)
[ -z "$dups" ] || fail "dedup: libcommon.a holds members twice: $dups"
# The slim libraries: their own members, and runtime members only as the
# report's fallback copies.
json_get "$D.json" '"\n".join(sorted({f["member"] for f in d["common"]["fallback_copies"]}))' > "$WORK/fallbacks"
for n in 1 2 3; do
  coff_members list "$D/libplug$n.a" > "$WORK/slim$n.members"
  own=$(grep -c "^libplug$n\." "$WORK/slim$n.members" || true)
  [ "$own" = "$(coff_members list "${in[$((n - 1))]}" | grep -c "^libplug$n\.")" ] ||
    fail "dedup: libplug$n.a holds $own members of plug$n, the input more"
  extra=$(grep -v "^libplug$n\." "$WORK/slim$n.members" | cut -d' ' -f1 | sort | comm -23 - "$WORK/fallbacks" || true)
  [ -z "$extra" ] || fail "dedup: libplug$n.a still holds $(wc -l <<< "$extra") runtime members that are not fallback copies, e.g. $(head -1 <<< "$extra")"
done
link_run dedup "$D.json"
pass "dedup: lld and GNU ld programs print what the originals' does; libcommon.a holds the runtime once; deterministic"

# --- shrink --------------------------------------------------------------
S=$WORK/shrink
run_twice shrink "$S" "${in[@]}" --api-regex "$RUST_API_RE"
"$SLIMLINK" verify "${in[@]}" -- "$S"/libplug{1,2,3}.a "$S/libcommon.a" --api-regex "$RUST_API_RE" > "$WORK/shrink.verify" 2>&1 ||
  fail "shrink: verify: $(tail -5 "$WORK/shrink.verify")"
for n in 1 2 3; do for f in run describe; do
  grep " plug${n}_$f\$" <(llvm-nm-19 --defined-only -g "$S/libplug$n.a" 2>/dev/null) > /dev/null ||
    fail "shrink: libplug$n.a does not define plug${n}_$f under its name"
done; done
link_run shrink "$S.json"
before=$(bytes "${in[@]}")
after=$(bytes "$S"/libplug{1,2,3}.a "$S/libcommon.a")
frac=$(echo "scale=4; $after / $before" | bc)
echo "shrink: outputs $after bytes of $before input bytes: $frac ($(echo "scale=2; 100 * $after / $before" | bc) %)"
[ $((after * 10)) -le "$before" ] || fail "shrink: the outputs are not a small fraction of the inputs: $after of $before bytes ($frac)"
pass "shrink: lld and GNU ld programs print what the originals' does; outputs $frac of the inputs; deterministic"
