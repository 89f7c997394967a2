#!/usr/bin/env bash
# Registries the linker builds, in real Rust staticlibs of one profile:
#  - inv: the `inventory` crate, plugins registered by .init_array
#    constructors that nothing references by name;
#  - tab: a linkme-style table, #[used] statics in section "slimlink_tab"
#    walked between __start_slimlink_tab and __stop_slimlink_tab (one entry's
#    module is referenced by nothing but the table).
# Each verb's output (prune, prune + strip, isolate, shrink of both) must link
# with GNU ld and lld, with and without --gc-sections, and the host must
# print what it printed linked against the original; verify must pass. No
# --api flags: the default API (the crate's own #[no_mangle] functions) is
# the one function each library exports.
source "$(dirname "$0")/lib.sh"
profile=$1
HOST_C="$SRC/examples/registry/host.c"
libs=(inv tab)
in_of() { echo "$CORPUS/registry/$profile/lib$1.a"; }

problems=()
problem() { echo "PROBLEM: $*"; problems+=("$*"); }

# check VARIANT LIB ARCHIVES...: link the host for LIB against ARCHIVES every
# way, run it, compare with the original's output.
check() {
  local variant=$1 lib=$2 ok=1 n; shift 2
  for ld in bfd lld; do
    for gc in "" "-Wl,--gc-sections"; do
      n="$WORK/$variant-$lib-$ld${gc:+-gc}"
      if ! link_host "$n" "$ld" "$(flag_for "$lib") $gc" "$@" 2> "$n.link.err"; then
        problem "$variant $lib: link failed ($ld ${gc:-no gc}): $(grep -m2 -E 'undefined|error' "$n.link.err" | tr '\n' ' ')"
        ok=0; continue
      fi
      if ! "$n" > "$n.txt" 2> "$n.err"; then
        problem "$variant $lib: host crashed or failed ($ld ${gc:-no gc}): $(tail -2 "$n.err" | tr '\n' ' ')"
        ok=0; continue
      fi
      if ! diff -u "$WORK/expected-$lib.txt" "$n.txt" > "$n.diff"; then
        problem "$variant $lib ($ld ${gc:-no gc}): output differs: $(tail -n +4 "$n.diff" | tr '\n' ' ')"
        ok=0
      fi
    done
  done
  [ $ok = 1 ] && pass "$profile: $variant $lib links (GNU ld, lld, with and without --gc-sections) and behaves the same"
  return 0
}

# verify_ok VARIANT BEFORE... -- AFTER...
verify_ok() {
  local variant=$1; shift
  "$SLIMLINK" verify "$@" > "$WORK/verify-$variant.txt" 2>&1 ||
    problem "$variant: verify fails: $(head -5 "$WORK/verify-$variant.txt" | tr '\n' ' ')"
}

# The premise: rustc put each table entry in a section named exactly
# slimlink_tab (with SHF_GNU_RETAIN, "R", from #[used]), and inventory's
# constructors in .init_array.
flags=$(llvm-readelf-19 -SW "$(in_of tab)" 2>/dev/null | sed -n 's/.* slimlink_tab  *PROGBITS  *[0-9a-f]*  *[0-9a-f]*  *[0-9a-f]*  *[0-9a-f]*  *\([A-Z]*\) .*/\1/p' | sort | uniq -c | xargs)
[ "$(llvm-readelf-19 -SW "$(in_of tab)" 2>/dev/null | grep -c ' slimlink_tab ')" -ge 4 ] ||
  fail "libtab.a has fewer than 4 sections named slimlink_tab"
[ "$(llvm-readelf-19 -SW "$(in_of inv)" 2>/dev/null | grep -c ' \.init_array ')" -ge 4 ] ||
  fail "libinv.a has fewer than 4 .init_array sections"
echo "$profile: slimlink_tab sections (count, flags): $flags"

# The originals: what each host prints, the same with every linker and flag.
for lib in "${libs[@]}"; do
  link_host "$WORK/orig-$lib" bfd "$(flag_for "$lib")" "$(in_of "$lib")"
  "$WORK/orig-$lib" > "$WORK/expected-$lib.txt"
  echo "$lib expects: $(tr '\n' '|' < "$WORK/expected-$lib.txt")"
  case $lib in
    inv) want='inv: 4 plugins' ;;
    tab) want='tab: 4 entries' ;;
  esac
  grep -qx "$want" "$WORK/expected-$lib.txt" || fail "original $lib does not print '$want'"
  for ld in bfd lld; do
    link_host "$WORK/orig-$lib-$ld" "$ld" "$(flag_for "$lib") -Wl,--gc-sections" "$(in_of "$lib")"
    "$WORK/orig-$lib-$ld" | diff -u "$WORK/expected-$lib.txt" - || fail "original $lib behaves differently with $ld --gc-sections"
  done
done
pass "$profile: the originals print the same with GNU ld and lld, with and without --gc-sections"

for lib in "${libs[@]}"; do
  in=$(in_of "$lib")
  # prune, then strip its output.
  mkdir -p "$WORK/prune" "$WORK/prune-strip" "$WORK/isolate"
  if "$SLIMLINK" prune "$in" -o "$WORK/prune/lib$lib.a" --json > "$WORK/prune-$lib.json" 2> "$WORK/prune-$lib.err"; then
    roots=$(json_get "$WORK/prune-$lib.json" "d['roots']")
    [ "$roots" = 1 ] || problem "prune $lib: default API has $roots roots, want 1 (${lib}_run)"
    check prune "$lib" "$WORK/prune/lib$lib.a"
    verify_ok "prune-$lib" "$in" -- "$WORK/prune/lib$lib.a"
    if "$SLIMLINK" strip "$WORK/prune/lib$lib.a" -o "$WORK/prune-strip/lib$lib.a" > /dev/null 2> "$WORK/strip-$lib.err"; then
      check prune+strip "$lib" "$WORK/prune-strip/lib$lib.a"
      verify_ok "prune-strip-$lib" "$in" -- "$WORK/prune-strip/lib$lib.a"
    else
      problem "strip $lib failed: $(cat "$WORK/strip-$lib.err")"
    fi
  else
    problem "prune $lib failed: $(cat "$WORK/prune-$lib.err")"
  fi
  # isolate.
  if "$SLIMLINK" isolate "$in" -o "$WORK/isolate/lib$lib.a" --json > "$WORK/isolate-$lib.json" 2> "$WORK/isolate-$lib.err"; then
    n=$(json_get "$WORK/isolate-$lib.json" "d['api_symbols']")
    [ "$n" = 1 ] || problem "isolate $lib: default API has $n symbols, want 1 (${lib}_run)"
    check isolate "$lib" "$WORK/isolate/lib$lib.a"
    verify_ok "isolate-$lib" "$in" -- "$WORK/isolate/lib$lib.a"
  else
    problem "isolate $lib failed: $(cat "$WORK/isolate-$lib.err")"
  fi
done

# shrink: both libraries as one set, each host against its own library and
# the common one.
ins=() outs=()
for lib in "${libs[@]}"; do ins+=("$(in_of "$lib")"); outs+=("$WORK/shrink/lib$lib.a"); done
if "$SLIMLINK" shrink "${ins[@]}" -o "$WORK/shrink" --json > "$WORK/shrink.json" 2> "$WORK/shrink.err"; then
  n=$(json_get "$WORK/shrink.json" "d['api_symbols']")
  [ "$n" = 2 ] || problem "shrink: default API has $n symbols, want 2 (inv_run, tab_run)"
  for lib in "${libs[@]}"; do
    check shrink "$lib" "$WORK/shrink/lib$lib.a" "$WORK/shrink/libcommon.a"
  done
  verify_ok shrink "${ins[@]}" -- "${outs[@]}" "$WORK/shrink/libcommon.a"
else
  problem "shrink failed: $(cat "$WORK/shrink.err")"
fi

if ((${#problems[@]})); then
  fail "${#problems[@]} problem(s), each on a PROBLEM line above"
fi
pass "$profile: inventory and linkme-style registries survive prune, strip, isolate and shrink"
