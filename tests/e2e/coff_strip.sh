#!/usr/bin/env bash
# strip on COFF libraries with debug information:
#  - MSVC-style .lib files whose objects were built with -g -gcodeview
#    (.debug$S, .debug$T) and which hold fakedll's import members;
#  - MinGW archives of gcc -g objects (DWARF .debug_* sections);
#  - a real Rust windows-gnu staticlib (.debug_*, .llvmbc, .llvmcmd).
# Checks: no .debug$* / .debug_* (nor .llvmbc / .llvmcmd) section is left
# (llvm-readobj-19 --sections), --keep-debug keeps the DWARF sections, the
# archive's index (llvm-nm-19 --print-armap: the linker members of a .lib)
# lists the same symbols, the short import members are unchanged, the output
# is smaller, and it links (lld-link-19 / MinGW GNU ld / lld) into a program
# that runs under wine and prints what the one linked from the input prints.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/coff_lib.sh"

# sections FILE REGEX: how many sections of the file's objects match REGEX.
sections() {
  llvm-readobj-19 --sections "$1" 2>/dev/null | sed -n 's/^ *Name: \([^ ]*\).*/\1/p' | grep -cE "$2" || true
}

# strip_ok WHAT IN OUT [FLAGS...]: strips IN into OUT; same index, smaller.
strip_ok() {
  local what=$1 in=$2 out=$3; shift 3
  mkdir -p "$(dirname "$out")"
  "$SLIMLINK" strip "$in" -o "$out" "$@" > /dev/null 2> "$out.err" || fail "strip $what: $(head -5 "$out.err")"
  diff <(armap_symbols "$in") <(armap_symbols "$out") > "$out.armap.diff" ||
    fail "strip $what: the archive index changed: $(head "$out.armap.diff")"
  [ "$(armap_symbols "$out" | grep -c .)" -gt 10 ] || fail "strip $what: archive index nearly empty"
  [ "$(stat -c %s "$out")" -lt "$(stat -c %s "$in")" ] || fail "strip $what: output not smaller ($(stat -c %s "$out") >= $(stat -c %s "$in"))"
  diff <(coff_members short-imports "$in") <(coff_members short-imports "$out") > "$out.imp.diff" ||
    fail "strip $what: short import members changed: $(head "$out.imp.diff")"
  diff <(coff_members list "$in" | cut -d' ' -f1,2) <(coff_members list "$out" | cut -d' ' -f1,2) > "$out.members.diff" ||
    fail "strip $what: members changed (names, kinds or order): $(head "$out.members.diff")"
  # No member grows by more than a little padding (e.g. a .bss section
  # written out as zeros).
  local grew
  grew=$(paste -d' ' <(coff_members offsets "$in") <(coff_members offsets "$out") |
         awk '$8 > $4 + 256 { print $1 " " $4 " -> " $8 " bytes" }' | head -3)
  [ -z "$grew" ] || fail "strip $what: members grew: $grew"
}

# --- MSVC-style, CodeView ---------------------------------------------------
M=$COFF/msvc/debug
for n in 1 2; do
  in=$M/libplug$n.lib out=$WORK/msvc/libplug$n.lib
  [ "$(sections "$in" '^\.debug\$[ST]$')" -gt 0 ] || fail "corpus: $in has no .debug\$S/.debug\$T sections"
  strip_ok "msvc libplug$n.lib" "$in" "$out"
  left=$(sections "$out" '^\.debug')
  [ "$left" = 0 ] || fail "strip msvc libplug$n.lib: $left .debug sections left"
  [ "$(sections "$out" '^\.pdata$')" -gt 0 ] && [ "$(sections "$out" '^\.xdata$')" -gt 0 ] ||
    fail "strip msvc libplug$n.lib: unwind tables (.pdata/.xdata) lost"
done
mkdir -p "$WORK/msvc-orig" "$WORK/msvc-run"
HOST=host2.obj msvc_link "$WORK/msvc-orig/orig.exe" "$M"/libplug{1,2}.lib
HOST=host2.obj msvc_link "$WORK/msvc-run/stripped.exe" "$WORK/msvc"/libplug{1,2}.lib > "$WORK/msvc.link" 2>&1 ||
  fail "strip msvc: lld-link: $(head -5 "$WORK/msvc.link")"
run_exe "$WORK/msvc-orig/orig.exe" "$WORK/msvc-orig.out" || fail "corpus: the debug originals do not run"
same_run "$WORK/msvc-orig.out" "$WORK/msvc-run/stripped.exe" "strip msvc"
diff <(map_publics "$WORK/msvc-orig/orig.exe") <(map_publics "$WORK/msvc-run/stripped.exe") > "$WORK/msvc.publics.diff" ||
  fail "strip msvc: public symbols differ: $(head "$WORK/msvc.publics.diff")"
pct=$((100 * $(bytes "$WORK/msvc"/libplug{1,2}.lib) / $(bytes "$M"/libplug{1,2}.lib)))
pass "strip msvc (CodeView): no .debug\$* sections, same index and import members, $pct % of the bytes, runs the same"

# --- MinGW, DWARF -----------------------------------------------------------
G=$COFF/mingw/debug
for n in 1 2; do
  in=$G/libplug$n.a out=$WORK/mingw/libplug$n.a
  [ "$(sections "$in" '^\.debug_')" -gt 0 ] || fail "corpus: $in has no .debug_* sections"
  strip_ok "mingw libplug$n.a" "$in" "$out"
  left=$(sections "$out" '^\.debug')
  [ "$left" = 0 ] || fail "strip mingw libplug$n.a: $left .debug sections left"
done
mkdir -p "$WORK/mingw-keep"
"$SLIMLINK" strip "$G/libplug1.a" -o "$WORK/mingw-keep/libplug1.a" --keep-debug > /dev/null 2> "$WORK/keep.err" ||
  fail "strip --keep-debug mingw: $(head -5 "$WORK/keep.err")"
[ "$(sections "$WORK/mingw-keep/libplug1.a" '^\.debug_info$')" -gt 0 ] || fail "strip --keep-debug mingw: .debug_info dropped"
# mingw_link OUT LIBS...: the host (gcc, no CRT) with GNU ld.
mingw_link() {
  local out=$1; shift
  mkdir -p "$(dirname "$out")"
  x86_64-w64-mingw32-gcc -nostdlib -nostartfiles -e main -Wl,--subsystem,console "$COFF/mingw/host2.o" "$@" \
    "$COFF/msvc/fakedll.lib" "$COFF/msvc/kernel32.lib" -o "$out"
  cp "$COFF/msvc/fakedll.dll" "$(dirname "$out")/"
}
mingw_link "$WORK/mingw-orig/orig.exe" "$G"/libplug{1,2}.a
mingw_link "$WORK/mingw-run/stripped.exe" "$WORK/mingw"/libplug{1,2}.a > "$WORK/mingw.link" 2>&1 ||
  fail "strip mingw: GNU ld: $(head -5 "$WORK/mingw.link")"
run_exe "$WORK/mingw-orig/orig.exe" "$WORK/mingw-orig.out" || fail "corpus: the MinGW originals do not run"
same_run "$WORK/mingw-orig.out" "$WORK/mingw-run/stripped.exe" "strip mingw"
pct=$((100 * $(bytes "$WORK/mingw"/libplug{1,2}.a) / $(bytes "$G"/libplug{1,2}.a)))
pass "strip mingw (DWARF): no .debug_* sections, same index, $pct % of the bytes, runs the same"

# --- real Rust (windows-gnu) -------------------------------------------------
R=$COFF/rust
in=$R/libplug1.a out=$WORK/rust/libplug1.a
[ "$(sections "$in" '^\.llvmbc$')" -gt 100 ] || fail "corpus: $in has no .llvmbc sections"
strip_ok "rust libplug1.a" "$in" "$out"
left=$(sections "$out" '^(\.debug|\.llvmbc$|\.llvmcmd$)')
[ "$left" = 0 ] || fail "strip rust libplug1.a: $left .debug_*/.llvmbc/.llvmcmd sections left"
[ $(($(stat -c %s "$out") * 2)) -le "$(stat -c %s "$in")" ] || fail "strip rust: output more than half the input"
read -ra native < "$R/native-libs"
x86_64-w64-mingw32-gcc "$R/host.o" "$out" "$R"/libplug{2,3}.a "${native[@]}" -o "$WORK/rust/prog.exe" 2> "$WORK/rust.link" ||
  fail "strip rust: GNU ld: $(head -5 "$WORK/rust.link")"
same_run "$COFF/run/rust.out" "$WORK/rust/prog.exe" "strip rust"
pct=$((100 * $(stat -c %s "$out") / $(stat -c %s "$in")))
pass "strip rust: no .debug_*/.llvmbc sections, same index, $pct % of the bytes, runs the same"

# --- a large .bss: its size stays a size ----------------------------------
# A COFF object's .bss has a size and no bytes. LLVM 19's ObjCopy writes (and
# first allocates) that many zeros; slimlink never gives it the size, so a
# 256 MB .bss costs neither 256 MB of memory nor of output, and the section
# keeps its size.
mkdir -p "$WORK/bss"
printf 'static char big[1 << 28];\nchar *touch(int i) { big[i] = 1; return big; }\n' > "$WORK/bss/bss.c"
clang-19 -c -O1 -g -gcodeview --target=x86_64-pc-windows-msvc "$WORK/bss/bss.c" -o "$WORK/bss/bss.obj"
llvm-ar-19 rcs --format=coff "$WORK/bss/libbss.lib" "$WORK/bss/bss.obj"
/usr/bin/time -f %M -o "$WORK/bss/rss" "$SLIMLINK" strip "$WORK/bss/libbss.lib" -o "$WORK/bss/out.lib" -j 1 \
  > /dev/null 2> "$WORK/bss/err" || fail "strip bss: $(head -3 "$WORK/bss/err")"
rss=$(tail -1 "$WORK/bss/rss")
[ "$rss" -lt 150000 ] || fail "strip bss: peak RSS $rss KB for a 256 MB .bss: its zeros were made"
[ "$(stat -c %s "$WORK/bss/out.lib")" -lt 100000 ] || fail "strip bss: the output holds the .bss's zeros"
bss_size=$(llvm-readobj-19 --sections "$WORK/bss/out.lib" | grep -A4 'Name: .bss' | sed -n 's/.*RawDataSize: //p')
[ "$bss_size" = 268435456 ] || fail "strip bss: .bss is $bss_size bytes, not 268435456"
pass "strip bss: a 256 MB .bss stays a size (peak RSS $rss KB)"
