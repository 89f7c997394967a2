#!/usr/bin/env bash
# dedup, isolate and shrink on MSVC-style libraries shaped like Rust
# staticlibs (clang-19 x86_64-pc-windows-msvc objects, llvm-lib-19 .lib files
# with both linker members, a runtime byte-identical across the set, short
# import members of fakedll.dll in every library), linked with lld-link-19
# into the freestanding host (no CRT) and run under wine. Checks:
#  - every output program prints exactly what the program linked from the
#    originals prints;
#  - dedup (linked in the report's order, with lld-link's default /opt:ref
#    and with /opt:noref) and isolate: the map's public symbols (names,
#    private suffixes taken off, with repeats, and section) and the import
#    table equal the originals'; shrink: the same with /opt:ref (what
#    lld-link keeps of the originals: shrink must keep as much — plugN_keep,
#    which only a /INCLUDE: directive keeps, included — and may keep no more
#    under /opt:ref than the linker does);
#  - every short import member stays in its input's library, same name,
#    same bytes, same order among them, and none is in the common library;
#  - the common library holds the runtime's members, each once;
#  - verify passes; outputs are byte-identical across two runs;
#  - the clashing LTO-like set (same globals, different bytes in each
#    library): the originals do not link together (lld-link: duplicate
#    symbol); after shrink, and after isolate of each library, they link and
#    run: the host's lines as from the first set, each plugin's own lines.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/coff_lib.sh"
M=$COFF/msvc
in=("$M"/libplug{1,2,3}.lib)
lto=("$M"/lto/libplug{1,2,3}.lib)
expected=$COFF/run/msvc.out
mapfile -t runtime < <(coff_members list "${in[0]}" | awk '$2 == "object" && $1 !~ /^plug1-/ && $1 != "fakedll.dll" { print $1 }')
[ "${#runtime[@]}" = 5 ] || fail "corpus: want 5 runtime members, got ${#runtime[@]}: ${runtime[*]}"

# same_program EXPECTED ACTUAL WHAT: same public symbols (map) and imports.
same_program() {
  diff <(map_publics "$1") <(map_publics "$2") > "$2.publics.diff" ||
    fail "$3: public symbols differ from the program linked from the originals: $(head -20 "$2.publics.diff")"
  diff <(imports "$1") <(imports "$2") > "$2.imports.diff" ||
    fail "$3: import table differs from the originals': $(head -20 "$2.imports.diff")"
  [ "$(imports "$2" | grep -c '^fakedll.dll ')" = 3 ] || fail "$3: not 3 imports from fakedll.dll: $(imports "$2")"
}

# imports_kept WHAT INPUTS... -- OUTPUTS... COMMON: each output's short import
# members are its input's (names, bytes, order); the common library has none.
imports_kept() {
  local what=$1; shift
  local ins=() outs=()
  while [ "$1" != -- ]; do ins+=("$1"); shift; done
  shift
  local common=${*: -1} i
  outs=("${@:1:$#-1}")
  for i in "${!ins[@]}"; do
    coff_members short-imports "${ins[$i]}" > "$WORK/imp.in"
    coff_members short-imports "${outs[$i]}" > "$WORK/imp.out"
    [ -s "$WORK/imp.in" ] || fail "corpus: ${ins[$i]} has no short import members"
    diff "$WORK/imp.in" "$WORK/imp.out" > "$WORK/imp.diff" ||
      fail "$what: $(basename "${outs[$i]}"): short import members not as in the input: $(head -10 "$WORK/imp.diff")"
  done
  if [ -n "$common" ]; then
    local n; n=$(coff_members short-imports "$common" | wc -l)
    [ "$n" = 0 ] || fail "$what: the common library holds $n short import members: $(coff_members short-imports "$common" | head -3)"
  fi
}

# link_report NAME REPORT [LINKFLAGS...]: links the host and the report's
# libraries in order, into $WORK/NAME/NAME.exe.
link_report() {
  local name=$1 report=$2; shift 2
  local order; read -ra order <<< "$(link_order "$report")"
  [ "${#order[@]}" = 4 ] || fail "$name: link line '$(json_get "$report" 'd["link_line"]')': want 4 libraries"
  mkdir -p "$WORK/$name"
  msvc_link "$WORK/$name/$name.exe" "$@" "${order[@]}" > "$WORK/$name.link" 2>&1 ||
    fail "$name: lld-link: $(head -5 "$WORK/$name.link")"
}

# The programs linked from the originals.
mkdir -p "$WORK/orig" "$WORK/orig-noref"
msvc_link "$WORK/orig/orig.exe" "${in[@]}"
msvc_link "$WORK/orig-noref/orig.exe" /opt:noref "${in[@]}"
grep '^plug2_keep ' <(map_publics "$WORK/orig/orig.exe") > /dev/null || fail "corpus: the /INCLUDE: directive kept no plug2_keep"
grep '^plug2_dead ' <(map_publics "$WORK/orig-noref/orig.exe") > /dev/null || fail "corpus: /opt:noref kept no plug2_dead"
! grep '^plug2_dead ' <(map_publics "$WORK/orig/orig.exe") > /dev/null || fail "corpus: /opt:ref kept plug2_dead"
same_run "$expected" "$WORK/orig/orig.exe" "the originals"

# --- dedup ---------------------------------------------------------------
D=$WORK/dedup
run_twice dedup "$D" "${in[@]}"
read -ra dout <<< "$(outputs_of "$D.json")"
"$SLIMLINK" verify "${in[@]}" -- "${dout[@]}" > "$WORK/dedup.verify" 2>&1 || fail "dedup: verify: $(tail -5 "$WORK/dedup.verify")"
link_report dedup "$D.json"
same_program "$WORK/orig/orig.exe" "$WORK/dedup/dedup.exe" "dedup"
same_run "$expected" "$WORK/dedup/dedup.exe" "dedup"
link_report dedup-noref "$D.json" /opt:noref
same_program "$WORK/orig-noref/orig.exe" "$WORK/dedup-noref/dedup-noref.exe" "dedup (/opt:noref)"
imports_kept dedup "${in[@]}" -- "${dout[@]}"
common=$(coff_members list "${dout[3]}")
for m in "${runtime[@]}"; do
  [ "$(grep -c "^$m " <<< "$common")" = 1 ] || fail "dedup: the common library holds $m $(grep -c "^$m " <<< "$common") times"
done
for n in 1 2 3; do
  left=$(coff_members list "${dout[$((n - 1))]}" | awk '$2 == "object" && $1 !~ /^plug/ && $1 != "fakedll.dll"')
  [ -z "$left" ] || fail "dedup: libplug$n still holds runtime members: $left"
done
pass "dedup: same publics, imports and output as the originals; import members in place; one runtime; deterministic"

# --- isolate -------------------------------------------------------------
I=$WORK/isolate && mkdir -p "$I"
for f in "${in[@]}"; do
  "$SLIMLINK" isolate "$f" -o "$I/$(basename "$f")" --api-regex "$MSVC_API_RE" > /dev/null 2> "$I.err" ||
    fail "isolate $(basename "$f"): $(head -5 "$I.err")"
done
"$SLIMLINK" verify "${in[@]}" -- "$I"/libplug{1,2,3}.lib --api-regex "$MSVC_API_RE" > "$WORK/isolate.verify" 2>&1 ||
  fail "isolate: verify: $(tail -5 "$WORK/isolate.verify")"
imports_kept isolate "${in[@]}" -- "$I"/libplug{1,2,3}.lib ""
mkdir -p "$WORK/iso"
msvc_link "$WORK/iso/iso.exe" "$I"/libplug{1,2,3}.lib > "$WORK/iso.link" 2>&1 || fail "isolate: lld-link: $(head -5 "$WORK/iso.link")"
same_run "$expected" "$WORK/iso/iso.exe" "isolate"
# Each library has its own runtime now: the originals' publics, with the
# runtime's globals three times (private names) where the linker took one.
diff <(imports "$WORK/orig/orig.exe") <(imports "$WORK/iso/iso.exe") > "$WORK/iso.imports.diff" ||
  fail "isolate: import table differs: $(head "$WORK/iso.imports.diff")"
[ "$(map_publics "$WORK/iso/iso.exe" | grep -c '^__rust_alloc ')" = 3 ] ||
  fail "isolate: want 3 private __rust_alloc, got $(map_publics "$WORK/iso/iso.exe" | grep -c '^__rust_alloc ')"
diff <(map_publics "$WORK/orig/orig.exe" | sort -u) <(map_publics "$WORK/iso/iso.exe" | sort -u) > "$WORK/iso.publics.diff" ||
  fail "isolate: other public names than the originals': $(head -20 "$WORK/iso.publics.diff")"
for n in 1 2 3; do
  grep " plug${n}_run$" <(llvm-nm-19 --defined-only -g "$I/libplug$n.lib" 2>/dev/null) > /dev/null || fail "isolate: plug${n}_run renamed"
done
pass "isolate: runs as the originals, same names and imports, import members in place"

# --- shrink --------------------------------------------------------------
S=$WORK/shrink
run_twice shrink "$S" "${in[@]}" --api-regex "$MSVC_API_RE"
NAMES_MAPS=$S/libcommon.names
read -ra sout <<< "$(outputs_of "$S.json")"
"$SLIMLINK" verify "${in[@]}" -- "${sout[@]}" --api-regex "$MSVC_API_RE" > "$WORK/shrink.verify" 2>&1 ||
  fail "shrink: verify: $(tail -5 "$WORK/shrink.verify")"
link_report shrink "$S.json"
same_program "$WORK/orig/orig.exe" "$WORK/shrink/shrink.exe" "shrink"
same_run "$expected" "$WORK/shrink/shrink.exe" "shrink"
imports_kept shrink "${in[@]}" -- "${sout[@]}"
[ "$(bytes "${sout[@]}")" -lt "$(bytes "${in[@]}")" ] || fail "shrink: outputs not smaller than the inputs"
pass "shrink: same publics (/opt:ref), imports and output as the originals; import members in place; deterministic"

# --- the clashing LTO-like set --------------------------------------------
mkdir -p "$WORK/lto-orig"
if msvc_link "$WORK/lto-orig/lto.exe" "${lto[@]}" > "$WORK/lto-orig.err" 2>&1; then
  fail "lto: the clashing set links as it is; the premise of this test is gone"
fi
grep -q "duplicate symbol" "$WORK/lto-orig.err" || fail "lto: unexpected link error: $(head -3 "$WORK/lto-orig.err")"
# lto_output EXE WHAT: the host's lines as from the first set; each plugin's.
lto_output() {
  local why
  why=$(run_exe "$1" "$1.out") || fail "$2: $why"
  diff <(grep '^host:' "$expected") <(grep '^host:' "$1.out") > "$1.out.diff" ||
    fail "$2: the host's lines differ: $(head "$1.out.diff")"
  for n in 1 2 3; do
    [ "$(grep -c "^plug$n: run(" "$1.out")" = 2 ] || fail "$2: plug$n did not print twice: $(cat "$1.out")"
  done
}
L=$WORK/lto-shrink
run_twice shrink "$L" "${lto[@]}" --api-regex "$MSVC_API_RE"
read -ra lout <<< "$(outputs_of "$L.json")"
"$SLIMLINK" verify "${lto[@]}" -- "${lout[@]}" --api-regex "$MSVC_API_RE" > "$WORK/lto.verify" 2>&1 ||
  fail "lto shrink: verify: $(tail -5 "$WORK/lto.verify")"
link_report lto-shrink "$L.json"
lto_output "$WORK/lto-shrink/lto-shrink.exe" "lto shrink"
imports_kept "lto shrink" "${lto[@]}" -- "${lout[@]}"
LI=$WORK/lto-isolate && mkdir -p "$LI"
for f in "${lto[@]}"; do
  "$SLIMLINK" isolate "$f" -o "$LI/$(basename "$f")" --api-regex "$MSVC_API_RE" > /dev/null 2> "$LI.err" ||
    fail "lto isolate $(basename "$f"): $(head -5 "$LI.err")"
done
imports_kept "lto isolate" "${lto[@]}" -- "$LI"/libplug{1,2,3}.lib ""
mkdir -p "$WORK/lto-iso"
msvc_link "$WORK/lto-iso/lto-iso.exe" "$LI"/libplug{1,2,3}.lib > "$WORK/lto-iso.link" 2>&1 ||
  fail "lto isolate: lld-link: $(head -5 "$WORK/lto-iso.link")"
lto_output "$WORK/lto-iso/lto-iso.exe" "lto isolate"
pass "lto: the originals clash (duplicate symbol); shrink's and isolate's outputs link and run"
