#!/usr/bin/env bash
# shrink/dedup --shared on Mach-O (arm64): the corpus's three Rust-shaped
# plugin staticlibs (build_macho_corpus.sh), each with two members more, as
# a Rust staticlib has: std's internal symbol __rdl_count defined hidden
# (private extern, N_PEXT) in a runtime member and referenced by each
# plugin's member (as std's allocator shims are). Checks:
#  - DIR/libcommon.dylib, install name @rpath/libcommon.dylib, no
#    libcommon.a; its exports (the export trie) are exactly the plan's: the
#    names the slim libraries reference, do not define and the common part
#    defines (that part read from the same run without --shared);
#  - each module, linked with ld64.lld-19 by the report's line, loads
#    @rpath/libcommon.dylib (--dylibs-used), finds it beside itself (rpath
#    @loader_path), binds what it takes from it to it (--bind, --lazy-bind,
#    --weak-bind), __rdl_count too (a hidden definition left hidden is
#    not exported: the module's reference falls to a flat-namespace lookup),
#    and defines none of them (llvm-nm); compact unwind names at most three
#    personality routines in each image;
#  - --linker: a driver with flags of its own links the dylib and starts
#    the report's lines;
#  - --pkg-config: pkg-config --libs NAME-MODULE links each module;
#  - refused with nothing written: two builds of std (naming both
#    libraries), universal inputs.
# Nothing runs (no macOS here): the link and the images' tables are checked.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/macho_lib.sh"
cd "$WORK"
A=$MACHO/arm64

# The extra members: std-...-cgu.2 (shared, byte-identical in all three) and
# plugN-...-cgu.2 (each plugin's own).
STD2=std-1a2b3c4d5e6f7a8b.std.1a2b3c4d5e6f7a8b-cgu.2.rcgu.o
cat > std2.c <<'EOF'
/* std's internals are hidden: Mach-O private externs. */
static unsigned long count;
__attribute__((visibility("hidden"))) unsigned long rdl_count(unsigned long n)
    __asm__("___rdl_count");
unsigned long rdl_count(unsigned long n) { return count += n; }
EOF
cat > plug2.c <<'EOF'
__attribute__((visibility("hidden"))) extern unsigned long rdl_count(unsigned long n)
    __asm__("___rdl_count");
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
unsigned long CAT(CAT(plug, PLUG), _count)(unsigned long n) { return rdl_count(n); }
EOF
CC=(clang-19 --target=arm64-apple-macos11 -O2 -c)
"${CC[@]}" std2.c -o "$STD2"
llvm-nm-19 -m "$STD2" | grep -q 'private external ___rdl_count' ||
  fail "premise: ___rdl_count is not a private extern in $STD2: $(llvm-nm-19 -m "$STD2")"
for n in 1 2 3; do
  cp "$A/libplug$n.a" .
  own=$(llvm-ar-19 t "$A/libplug$n.a" | grep "^plug$n-" | head -1 | sed 's/cgu\.0/cgu.2/')
  "${CC[@]}" -DPLUG=$n plug2.c -o "$own"
  llvm-ar-19 rs --format=darwin libplug$n.a "$STD2" "$own"
done
API='^_plug[0-9]+_(run|version|count)$'

# exports DYLIB: the names its export trie holds, sorted.
exports() { llvm-objdump-19 --macho --exports-trie "$1" | awk 'NF >= 2 && $1 ~ /^0x/ {print $2}' | sort -u; }
# undefined_not_own ARCHIVE: the names the archive references and does not define.
undefined_not_own() {
  comm -23 <(llvm-nm-19 -u -j "$1" 2>/dev/null | grep -v ':$' | sort -u) \
           <(llvm-nm-19 --defined-only -j "$1" 2>/dev/null | grep -v ':$' | sort -u)
}

# check_shared VERB DIR STATIC_DIR: the checks above on VERB --shared's DIR,
# the plan's exports computed from STATIC_DIR (the run without --shared).
check_shared() {
  local verb=$1 D=$2 S=$3
  [ -f "$D/libcommon.dylib" ] && [ ! -e "$D/libcommon.a" ] ||
    fail "$verb: want libcommon.dylib and no libcommon.a: $(ls "$D")"
  [ "$(llvm-objdump-19 --macho --dylib-id "$D/libcommon.dylib" | tail -1)" = "@rpath/libcommon.dylib" ] ||
    fail "$verb: install name: $(llvm-objdump-19 --macho --dylib-id "$D/libcommon.dylib")"
  # The plan's exports, from the static run (same plan, same names).
  llvm-nm-19 --defined-only -j "$S/libcommon.a" | grep -v ':$' | sort -u > "$verb.common_defs"
  for n in 1 2 3; do undefined_not_own "$D/libplug$n.a"; done | sort -u > "$verb.slim_imports"
  comm -12 "$verb.slim_imports" "$verb.common_defs" > "$verb.planned"
  exports "$D/libcommon.dylib" > "$verb.exports"
  [ -s "$verb.planned" ] || fail "$verb: the plan exports nothing"
  diff "$verb.planned" "$verb.exports" > "$verb.exports.diff" ||
    fail "$verb: libcommon.dylib's exports are not the plan's (< planned, > exported): $(head -10 "$verb.exports.diff")"
  # shrink's private names back to the originals (DIR/libcommon.names).
  local maps=""; [ -f "$D/libcommon.names" ] && maps=$D/libcommon.names
  original_names $maps < "$verb.exports" > "$verb.exports.orig"
  grep -qx ___rdl_count "$verb.exports.orig" || fail "$verb: libcommon.dylib does not export ___rdl_count"
  [ "$(json_get "$verb.json" 'd["shared_exports"]')" = "$(wc -l < "$verb.exports")" ] ||
    fail "$verb: the report counts $(json_get "$verb.json" 'd["shared_exports"]') exports, the dylib has $(wc -l < "$verb.exports")"
  local p
  p=$(personalities "$D/libcommon.dylib")
  [ "${p:-0}" -le 3 ] || fail "$verb: libcommon.dylib names $p personality routines"

  json_get "$verb.json" '"\n".join(d["link_lines"])' > "$verb.lines"
  [ "$(wc -l < "$verb.lines")" = 3 ] || fail "$verb: want 3 link lines: $(cat "$verb.lines")"
  grep -q -- '-Wl,-rpath,@loader_path' "$verb.lines" || fail "$verb: no @loader_path rpath: $(head -1 "$verb.lines")"
  local line
  while read -r line; do
    eval "$line" > link.log 2>&1 || fail "$verb: '$line': $(head -5 link.log)"
    ! grep -q warning link.log || fail "$verb: '$line' warns: $(head -5 link.log)"
  done < "$verb.lines"
  for n in 1 2 3; do
    local m=$D/libplug$n.dylib
    [ -f "$m" ] || m=$D/plug$n.dylib
    [ -f "$m" ] || fail "$verb: module $n not written where its line says: $(ls "$D")"
    llvm-objdump-19 --macho --dylibs-used "$m" | grep -q '@rpath/libcommon.dylib' ||
      fail "$verb: $m does not load @rpath/libcommon.dylib: $(llvm-objdump-19 --macho --dylibs-used "$m")"
    llvm-objdump-19 --macho --rpaths "$m" | grep -q '@loader_path' ||
      fail "$verb: $m has no @loader_path rpath"
    [ "$(llvm-objdump-19 --macho --dylib-id "$m" | tail -1)" = "@rpath/$(basename "$m")" ] ||
      fail "$verb: $m's install name names the build's directory: $(llvm-objdump-19 --macho --dylib-id "$m" | tail -1)"
    { llvm-objdump-19 --macho --bind "$m"; llvm-objdump-19 --macho --lazy-bind "$m"
      llvm-objdump-19 --macho --weak-bind "$m"; } > "$m.bind"
    # A row's dylib column (libcommon, flat-namespace for the host's) comes
    # before its symbol; calls are lazy binds, data and the GOT plain ones.
    awk '{for (i = 1; i < NF; i++) if ($i == "libcommon") print $(i + 1)}' "$m.bind" | sort -u > "$m.from_common"
    original_names $maps < "$m.from_common" > "$m.from_common.orig"
    grep -qx ___rdl_count "$m.from_common.orig" ||
      fail "$verb: $m does not bind ___rdl_count to libcommon: $(head -20 "$m.bind")"
    grep -qx '__ZN3std2io5stdio6_print17h1a2b3c4d5e6f7a8bE' "$m.from_common.orig" ||
      fail "$verb: $m does not bind std's print to libcommon: $(head -5 "$m.from_common.orig")"
    comm -23 "$m.from_common" "$verb.exports" > "$m.unexported"
    [ ! -s "$m.unexported" ] || fail "$verb: $m binds to libcommon what it does not export: $(head -3 "$m.unexported")"
    llvm-nm-19 --defined-only -j "$m" | sort -u | comm -12 - "$verb.exports" > "$m.dup"
    [ ! -s "$m.dup" ] || fail "$verb: $m defines what libcommon.dylib exports (a second std): $(head -3 "$m.dup")"
    p=$(personalities "$m")
    [ "${p:-0}" -le 3 ] || fail "$verb: $m names $p personality routines"
  done
  pass "$verb --shared: libcommon.dylib exports the plan's $(wc -l < "$verb.exports") names; 3 modules link with ld64.lld and bind them to @rpath/libcommon.dylib, defining none"
}

# dedup names its driver (--linker, with flags of its own): the dylib and
# the report's lines use it.
DRIVER="clang-19 --target=arm64-apple-macos11 -fuse-ld=lld -nostdlib -Wl,-current_version,1.2.3"
for verb in shrink dedup; do
  args=() shared=()
  [ $verb = shrink ] && args=(--api-regex "$API")
  [ $verb = dedup ] && shared=(--linker "$DRIVER")
  "$SLIMLINK" $verb "${args[@]}" libplug{1,2,3}.a -o "$WORK/$verb.static" > /dev/null 2> $verb.static.err ||
    fail "$verb: $(head -5 $verb.static.err)"
  "$SLIMLINK" $verb --shared "${shared[@]}" "${args[@]}" libplug{1,2,3}.a -o "$WORK/$verb" --json > $verb.json 2> $verb.err ||
    fail "$verb --shared: $(head -5 $verb.err)"
  check_shared $verb "$WORK/$verb" "$WORK/$verb.static"
done
json_get dedup.json '"\n".join(d["link_lines"])' | grep -c "^$DRIVER -dynamiclib " | grep -qx 3 ||
  fail "dedup --linker: the report's lines do not start with the driver: $(head -1 dedup.lines)"
llvm-objdump-19 --macho --private-headers dedup/libcommon.dylib > dedup.headers
grep -A6 LC_ID_DYLIB dedup.headers | grep -q 'current version 1.2.3' ||
  fail "dedup --linker: libcommon.dylib was not linked by the driver given: $(grep -A6 LC_ID_DYLIB dedup.headers)"
pass "--linker: the driver given (with flags of its own) links libcommon.dylib and starts the report's lines"

# --pkg-config: DIR/plugins.pc (the dylib) and DIR/plugins-plugN.pc (each
# module); the directory moved, each module linked from pkg-config's line.
"$SLIMLINK" shrink --shared --api-regex "$API" --pkg-config plugins libplug{1,2,3}.a -o pc > pc.out 2> pc.err ||
  fail "--pkg-config: $(head -5 pc.err)"
# The text report says what the exports are computed from.
grep -q 'libcommon.dylib exports [0-9]* symbols: every one the slim libraries reference' pc.out ||
  fail "the report does not say what the exports are: $(grep -i exports pc.out)"
mv pc moved
for n in 1 2 3; do
  libs=$(PKG_CONFIG_PATH=$WORK/moved pkg-config --libs plugins-plug$n) ||
    fail "pkg-config cannot read plugins-plug$n.pc: $(cat moved/plugins-plug$n.pc)"
  grep -q -- "-force_load,$WORK/moved/libplug$n.a .*-L$WORK/moved -lcommon" <<< "$libs" ||
    fail "plugins-plug$n.pc: $libs"
  # shellcheck disable=SC2086
  clang-19 --target=arm64-apple-macos11 -fuse-ld=lld -nostdlib -dynamiclib -o moved/plug$n.dylib \
    -Wl,-dead_strip $libs > pc.link 2>&1 || fail "the .pc's line does not link: $libs: $(head -5 pc.link)"
  llvm-objdump-19 --macho --lazy-bind moved/plug$n.dylib > pc.bind
  grep -q 'libcommon ' pc.bind || fail "plug$n.dylib from the .pc binds nothing to libcommon: $(head -5 pc.bind)"
  llvm-objdump-19 --macho --rpaths moved/plug$n.dylib | grep -q '@loader_path' ||
    fail "plug$n.dylib from the .pc has no @loader_path rpath"
done
pass "--pkg-config: pkg-config --libs plugins-plugN links each module on libcommon.dylib (the directory moved)"

# Bad input: libplug2 with another build of std (its std members renamed,
# as another rustc's hash would name them).
mkdir other && (cd other && llvm-ar-19 x "$WORK/libplug2.a" &&
  for f in std-1a2b3c4d5e6f7a8b*; do mv "$f" "${f//1a2b3c4d5e6f7a8b/9f9f9f9f9f9f9f9f}"; done &&
  llvm-ar-19 rcs --format=darwin ../libplug2_other.a ./*.o)
rc=0
"$SLIMLINK" shrink --shared libplug1.a libplug2_other.a -o "$WORK/bad" > bad.out 2> bad.err || rc=$?
[ "$rc" != 0 ] || fail "two builds of std: accepted"
grep -q 'libplug1.a' bad.err && grep -q 'libplug2_other.a' bad.err ||
  fail "two builds of std: the error does not name both libraries: $(cat bad.err)"
[ ! -e "$WORK/bad" ] || fail "two builds of std: wrote $(ls "$WORK/bad")"
rc=0
"$SLIMLINK" shrink --shared "$MACHO"/fat/libplug{1,2,3}.a -o "$WORK/fat" > fat.out 2> fat.err || rc=$?
[ "$rc" != 0 ] && grep -q 'one architecture' fat.err || fail "universal inputs: exit $rc, $(cat fat.err)"
[ ! -e "$WORK/fat" ] || fail "universal inputs: wrote $(ls "$WORK/fat")"
pass "refused, nothing written: two builds of std ($(head -1 bad.err | cut -c1-80)...), universal inputs"
