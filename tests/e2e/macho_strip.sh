#!/usr/bin/env bash
# strip on Mach-O archives whose objects were built with -g -fembed-bitcode
# (thin arm64, thin x86_64, and universal): no __LLVM (__bitcode, __cmdline)
# and no __DWARF sections are left, --keep-debug keeps __DWARF only, the
# archive index lists the same symbols, the outputs are smaller (at most half)
# and link with ld64.lld-19 into a program defining the same symbols, with
# the same sizes, as the one linked from the inputs.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/macho_lib.sh"

# segment_sections FILE SEGMENT: how many sections of SEGMENT the file's
# objects have (all members; llvm-readobj-19 names each section's segment).
segment_sections() {
  llvm-readobj-19 --sections "$1" 2>/dev/null | grep -c "Segment: $2 " || true
}

for set in arm64 x86_64 fat; do
  read -ra archs <<< "$(set_archs "$set")"
  in=("$MACHO/$set"/debug/libplug{1,2}.a)
  out=("$WORK/$set"/libplug{1,2}.a)
  mkdir -p "$WORK/$set" "$WORK/$set/keep"
  for i in 0 1; do
    "$SLIMLINK" strip "${in[$i]}" -o "${out[$i]}" > /dev/null 2> "$WORK/$set.err" ||
      fail "strip $set $(basename "${in[$i]}"): $(cat "$WORK/$set.err")"
  done
  "$SLIMLINK" strip "${in[0]}" -o "$WORK/$set/keep/libplug1.a" --keep-debug > /dev/null 2> "$WORK/$set.err" ||
    fail "strip --keep-debug $set: $(cat "$WORK/$set.err")"
  if [ "$set" = fat ]; then
    for i in 0 1; do
      [ "$(archs_of "${out[$i]}")" = "$(archs_of "${in[$i]}")" ] ||
        fail "strip fat: $(basename "${out[$i]}") has slices '$(archs_of "${out[$i]}")', input '$(archs_of "${in[$i]}")'"
    done
  fi
  before=$(stat -c %s "${in[@]}" | paste -sd+ | bc)
  after=$(stat -c %s "${out[@]}" | paste -sd+ | bc)
  [ $((after * 2)) -le "$before" ] || fail "strip $set: outputs are more than half the inputs ($after of $before bytes)"

  for arch in "${archs[@]}"; do
    d=$WORK/$set/$arch && mkdir -p "$d"
    # One slice of each input and output (the file itself when thin).
    for i in 0 1; do
      thin_slice "${in[$i]}" "$arch" "$d/in$i.a"
      thin_slice "${out[$i]}" "$arch" "$d/out$i.a"
    done
    thin_slice "$WORK/$set/keep/libplug1.a" "$arch" "$d/keep.a"
    for seg in __LLVM __DWARF; do
      [ "$(segment_sections "$d/in0.a" $seg)" -gt 0 ] || fail "corpus: $set $arch input has no $seg sections"
      for i in 0 1; do
        n=$(segment_sections "$d/out$i.a" $seg)
        [ "$n" = 0 ] || fail "strip $set $arch: $(basename "${out[$i]}") still has $n $seg sections"
      done
    done
    [ "$(segment_sections "$d/keep.a" __DWARF)" -gt 0 ] || fail "strip --keep-debug $set $arch: dropped __DWARF"
    [ "$(segment_sections "$d/keep.a" __LLVM)" = 0 ] || fail "strip --keep-debug $set $arch: kept __LLVM"
    # Symbols, unwind tables and LSDAs stay.
    for s in __compact_unwind __gcc_except_tab; do
      [ "$(llvm-readobj-19 --sections "$d/out0.a" | grep -c "Name: $s ")" -gt 0 ] || fail "strip $set $arch: $s lost"
    done
    diff <(armap_symbols "$d/in0.a" "$d/in1.a") <(armap_symbols "$d/out0.a" "$d/out1.a") > "$d/armap.diff" ||
      fail "strip $set $arch: the archive index changed: $(head "$d/armap.diff")"
    [ "$(armap_symbols "$d/out0.a" | grep -c .)" -gt 10 ] || fail "strip $set $arch: archive index nearly empty"
    macho_link "$arch" "$d/orig" -- "${in[@]}"
    macho_link "$arch" "$d/stripped" -- "${out[@]}" 2> "$d/link.err" || fail "strip $set $arch: link: $(head -5 "$d/link.err")"
    same_program "$d/orig" "$d/stripped" "strip $set $arch"
  done
  pass "strip $set: no __LLVM or __DWARF sections, same index, $((100 * after / before))% of the input bytes, links to the same program"
done
