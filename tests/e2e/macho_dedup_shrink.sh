#!/usr/bin/env bash
# dedup and shrink on Mach-O staticlibs shaped like Rust's (SET: arm64,
# x86_64 or fat), linked with ld64.lld-19 into the C host in the order the
# report prints. Checks, per architecture:
#  - dedup: the program defines exactly the symbols (names, with repeats) and
#    the bytes of code of the program linked from the original libraries;
#    the common library holds the runtime's members, each once, and no slim
#    library holds any;
#  - shrink (API: plugN_run, plugN_version): linked with -dead_strip, the same
#    symbols (private suffixes taken off) and code as the originals linked
#    with -dead_strip; one definition of the runtime's globals, in the common
#    library; the API under its own names;
#  - verify passes; outputs are byte-identical across two runs;
#  - fat inputs give fat outputs with the slices in the input's order (the
#    common library: the first input's), and each slice links on its own;
#  - the clashing LTO-like set (same globals, different bytes in each
#    library): the originals do not link together (duplicate symbols); after
#    shrink, and after isolate of each library, they do.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/macho_lib.sh"
set=${1:?arm64, x86_64 or fat}
read -ra archs <<< "$(set_archs "$set")"
in=("$MACHO/$set"/libplug{1,2,3}.a)
lto=("$MACHO/$set"/lto/libplug{1,2,3}.a)
# The runtime's members: what libplug1 holds besides plug1's own CGUs.
mapfile -t runtime < <(llvm-ar-19 t "$MACHO/${archs[0]}/libplug1.a" | grep -v '^plug1-')
[ "${#runtime[@]}" = 6 ] || fail "corpus: want 6 runtime members, got ${#runtime[@]}"

# run VERB DIR ARGS...: the verb over the set into DIR, twice; the two runs'
# outputs must be byte-identical. The report goes to DIR.json.
run() {
  local verb=$1 dir=$2; shift 2
  local rc=0
  "$SLIMLINK" "$verb" "$@" -o "$dir" --json > "$dir.json" 2> "$dir.err" || rc=$?
  [ "$rc" = 0 ] || fail "$verb ($set): exit status $rc$( ((rc > 128)) && echo " (signal $((rc - 128)))"): $(head -5 "$dir.err")"
  "$SLIMLINK" "$verb" "$@" -o "$dir.again" --json > /dev/null 2>&1 ||
    fail "$verb ($set): the second run failed"
  diff -r "$dir" "$dir.again" > /dev/null || fail "$verb ($set): outputs differ between two runs"
}

# check_fat_order DIR INPUTS...: each DIR/<input's name> has its input's
# slices in the same order; DIR/libcommon.a has the first input's.
check_fat_order() {
  local dir=$1; shift
  local f
  for f in "$@"; do
    [ "$(archs_of "$dir/$(basename "$f")")" = "$(archs_of "$f")" ] ||
      fail "$(basename "$dir"): $(basename "$f") has slices '$(archs_of "$dir/$(basename "$f")")', input '$(archs_of "$f")'"
  done
  [ "$(archs_of "$dir/libcommon.a")" = "$(archs_of "$1")" ] ||
    fail "$(basename "$dir"): libcommon.a has slices '$(archs_of "$dir/libcommon.a")', first input '$(archs_of "$1")'"
}

# link_outputs ARCH OUT REPORT [LDFLAGS...]: the host and the outputs in the
# report's link order; for a fat set, also each output's ARCH slice alone.
link_outputs() {
  local arch=$1 out=$2 report=$3; shift 3
  local order; read -ra order <<< "$(link_order "$report" "$arch")"
  [ "${#order[@]}" = 4 ] || fail "$report: link line '${order[*]}': want 4 archives"
  macho_link "$arch" "$out" "$@" -- "${order[@]}" 2> "$out.err" || fail "link $out: $(head -5 "$out.err")"
  if [ "$set" = fat ]; then
    local thin=() f
    mkdir -p "$out.slices"
    for f in "${order[@]}"; do
      thin_slice "$f" "$arch" "$out.slices/$(basename "$f")"
      [ "$(archs_of "$out.slices/$(basename "$f")")" = "$arch" ] || fail "$f: no $arch slice"
      thin+=("$out.slices/$(basename "$f")")
    done
    macho_link "$arch" "$out.thin" "$@" -- "${thin[@]}" 2> "$out.err" || fail "link $out.thin: $(head -5 "$out.err")"
    same_program "$out" "$out.thin" "$arch slices of $(basename "$out")"
  fi
}

# defs_of NAME FILES...: how many times the FILES define NAME (renamed or not).
defs_of() {
  local name=$1; shift
  # shellcheck disable=SC2086
  for f in "$@"; do llvm-nm-19 --defined-only -g -j "$f" 2>/dev/null; done |
    original_names $NAMES_MAPS | grep -cx -- "$name" || true
}

# The programs linked from the originals.
for arch in "${archs[@]}"; do
  macho_link "$arch" "$WORK/orig-$arch" -- "${in[@]}"
  macho_link "$arch" "$WORK/orig-ds-$arch" -dead_strip -- "${in[@]}"
  [ "$(personalities "$WORK/orig-$arch")" = 2 ] || fail "corpus: want 2 personalities in the host, got $(personalities "$WORK/orig-$arch")"
done

# --- dedup ---------------------------------------------------------------
D=$WORK/dedup
run dedup "$D" "${in[@]}"
"$SLIMLINK" verify "${in[@]}" -- "$D"/libplug{1,2,3}.a "$D/libcommon.a" > "$WORK/dedup.verify" ||
  fail "dedup: verify: $(tail -5 "$WORK/dedup.verify")"
[ "$set" = fat ] && check_fat_order "$D" "${in[@]}"
for arch in "${archs[@]}"; do
  link_outputs "$arch" "$WORK/dedup-$arch" "$D.json"
  same_program "$WORK/orig-$arch" "$WORK/dedup-$arch" "dedup $arch"
  mkdir -p "$WORK/dedup-$arch.members"
  for f in "$D"/*.a; do thin_slice "$f" "$arch" "$WORK/dedup-$arch.members/$(basename "$f")"; done
  common=$(llvm-ar-19 t "$WORK/dedup-$arch.members/libcommon.a")
  for m in "${runtime[@]}"; do
    [ "$(grep -cxF -- "$m" <<< "$common")" = 1 ] || fail "dedup $arch: libcommon.a holds $m $(grep -cxF -- "$m" <<< "$common") times"
  done
  for n in 1 2 3; do
    slim=$(llvm-ar-19 t "$WORK/dedup-$arch.members/libplug$n.a")
    [ "$(grep -vc "^plug$n-" <<< "$slim")" = 0 ] || fail "dedup $arch: libplug$n.a still holds $(grep -v "^plug$n-" <<< "$slim" | head -1)"
    [ "$(grep -c "^plug$n-" <<< "$slim")" = 2 ] || fail "dedup $arch: libplug$n.a lost its own members: $slim"
  done
done
pass "dedup ($set): links in report order, same symbols and code as the originals, one runtime in libcommon.a, deterministic"

# --- shrink --------------------------------------------------------------
S=$WORK/shrink
run shrink "$S" "${in[@]}" --api-regex "$API_RE"
NAMES_MAPS=$(ls "$S"/*.names) # one per slice where they differ
"$SLIMLINK" verify "${in[@]}" -- "$S"/libplug{1,2,3}.a "$S/libcommon.a" --api-regex "$API_RE" > "$WORK/shrink.verify" ||
  fail "shrink: verify: $(tail -5 "$WORK/shrink.verify")"
[ "$set" = fat ] && check_fat_order "$S" "${in[@]}"
for arch in "${archs[@]}"; do
  link_outputs "$arch" "$WORK/shrink-ds-$arch" "$S.json" -dead_strip
  same_program "$WORK/orig-ds-$arch" "$WORK/shrink-ds-$arch" "shrink $arch (-dead_strip)"
  link_outputs "$arch" "$WORK/shrink-$arch" "$S.json"
  for n in 1 2 3; do for f in run version; do
    llvm-nm-19 --defined-only -g -j "$WORK/shrink-$arch" | grep -qx "_plug${n}_$f" ||
      fail "shrink $arch: the API's _plug${n}_$f is not defined under its name"
  done; done
  [ "$(code_size "$WORK/shrink-$arch")" -lt "$(code_size "$WORK/orig-$arch")" ] ||
    fail "shrink $arch: not less code than the originals ($(code_size "$WORK/shrink-$arch") >= $(code_size "$WORK/orig-$arch")): dead code was not pruned"
  mkdir -p "$WORK/shrink-$arch.members"
  for f in "$S"/*.a; do thin_slice "$f" "$arch" "$WORK/shrink-$arch.members/$(basename "$f")"; done
  for sym in _rust_eh_personality ___rust_alloc __ZN3std2io5stdio6_print17h1a2b3c4d5e6f7a8bE ___udivdi3; do
    [ "$(defs_of "$sym" "$WORK/shrink-$arch.members"/*.a)" = 1 ] ||
      fail "shrink $arch: $sym defined $(defs_of "$sym" "$WORK/shrink-$arch.members"/*.a) times in the outputs, want 1"
    [ "$(defs_of "$sym" "$WORK/shrink-$arch.members/libcommon.a")" = 1 ] || fail "shrink $arch: $sym is not in libcommon.a"
  done
done
pass "shrink ($set): links in report order, with -dead_strip the same symbols and code as the originals, one runtime, deterministic"

# --- the clashing LTO-like set -------------------------------------------
for arch in "${archs[@]}"; do
  if macho_link "$arch" "$WORK/lto-orig-$arch" -- "${lto[@]}" 2> "$WORK/lto-orig-$arch.err"; then
    fail "lto $arch: the clashing set links as it is; the premise of this test is gone"
  fi
  grep -q "duplicate symbol" "$WORK/lto-orig-$arch.err" || fail "lto $arch: unexpected link error: $(head -3 "$WORK/lto-orig-$arch.err")"
done
L=$WORK/lto-shrink
run shrink "$L" "${lto[@]}" --api-regex "$API_RE"
NAMES_MAPS=$(ls "$L"/*.names)
"$SLIMLINK" verify "${lto[@]}" -- "$L"/libplug{1,2,3}.a "$L/libcommon.a" --api-regex "$API_RE" > "$WORK/lto.verify" ||
  fail "lto shrink: verify: $(tail -5 "$WORK/lto.verify")"
[ "$set" = fat ] && check_fat_order "$L" "${lto[@]}"
for arch in "${archs[@]}"; do
  link_outputs "$arch" "$WORK/lto-shrink-$arch" "$L.json"
  for n in 1 2 3; do
    llvm-nm-19 --defined-only -g -j "$WORK/lto-shrink-$arch" | grep -qx "_plug${n}_run" || fail "lto shrink $arch: _plug${n}_run not defined"
  done
  # Each library keeps its own runtime (their bytes differ): three copies
  # of what the API reaches (LTO inlined __rust_alloc into its callers:
  # prune drops it; __rust_realloc is still called).
  [ "$(defined_names "$WORK/lto-shrink-$arch" | grep -cx ___rust_realloc)" = 3 ] ||
    fail "lto shrink $arch: want 3 private copies of ___rust_realloc, got $(defined_names "$WORK/lto-shrink-$arch" | grep -cx ___rust_realloc)"
  [ "$(defined_names "$WORK/lto-shrink-$arch" | grep -cx ___rust_alloc)" = 0 ] ||
    fail "lto shrink $arch: ___rust_alloc, which nothing calls after LTO, survived prune"
done
I=$WORK/lto-isolate && mkdir -p "$I"
for f in "${lto[@]}"; do
  "$SLIMLINK" isolate "$f" -o "$I/$(basename "$f")" --api-regex "$API_RE" > /dev/null 2> "$I.err" ||
    fail "lto isolate $(basename "$f"): $(cat "$I.err")"
  [ "$set" != fat ] || [ "$(archs_of "$I/$(basename "$f")")" = "$(archs_of "$f")" ] || fail "lto isolate: $(basename "$f"): slices out of order"
done
for arch in "${archs[@]}"; do
  macho_link "$arch" "$WORK/lto-isolate-$arch" -- "$I"/libplug{1,2,3}.a 2> "$WORK/lto-isolate-$arch.err" ||
    fail "lto isolate $arch: $(head -5 "$WORK/lto-isolate-$arch.err")"
done
pass "lto ($set): the originals clash (duplicate symbols); shrink's and isolate's outputs link"
