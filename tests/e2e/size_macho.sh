#!/usr/bin/env bash
# slimlink size on Mach-O: executables (arm64, x86_64), a dylib, an object, a
# Darwin archive ("#1/NN" names, __.SYMDEF index) and universal (fat) files.
# Every view's rows sum to the file size; __text agrees with llvm-size; a
# symbol row has its name without Mach-O's '_' and C++ names demangle; a fat
# file has a row per slice and --arch reads one slice as if it were thin;
# damaged files are refused with the file's name.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

cat > main.c <<'EOF'
int counter;
static int table[100] = {1, 2, 3};
int helper_function(int x) { return x * 3 + table[x % 100]; }
static int local_fn(int y) { return helper_function(y) + counter; }
int cxx_entry(int);
/* A Rust (legacy-mangled) function of crate "alpha", '_' added as on Apple. */
int rusty(int) __asm__("__ZN5alpha5rusty17h0123456789abcdefE");
int rusty(int x) { return x ^ table[x & 7]; }
int main(int argc, char **argv) {
  return local_fn(argc) + cxx_entry(argc) + rusty(argc);
}
EOF
cat > a_member_with_a_long_name.cc <<'EOF'
namespace shapes { int area(int w, int h) { return w * h + 7; } }
extern "C" int cxx_entry(int x) { return shapes::area(x, x + 1); }
EOF

for arch in arm64 x86_64; do
  for src in main.c a_member_with_a_long_name.cc; do
    clang-19 --target=$arch-apple-macos11 -O1 -g -c "$src" -o "$arch.${src%.*}.o"
  done
  mkdir -p "$arch"
  cp "$arch.main.o" "$arch/main.o"
  cp "$arch.a_member_with_a_long_name.o" "$arch/a_member_with_a_long_name.o"
  (cd "$arch" && llvm-ar-19 --format=darwin rcs "../lib$arch.a" main.o a_member_with_a_long_name.o)
  ld64.lld-19 -arch $arch -platform_version macos 11.0 11.0 -undefined dynamic_lookup \
    "$arch.main.o" "$arch.a_member_with_a_long_name.o" -o "app_$arch"
  ld64.lld-19 -arch $arch -platform_version macos 11.0 11.0 -undefined dynamic_lookup \
    -dylib "$arch.a_member_with_a_long_name.o" -o "libshapes_$arch.dylib"
done
llvm-lipo-19 -create app_arm64 app_x86_64 -output app_fat
llvm-lipo-19 -create libarm64.a libx86_64.a -output libfat.a

reports=()
for f in app_arm64 app_x86_64 libshapes_arm64.dylib libshapes_x86_64.dylib \
         arm64.main.o x86_64.main.o libarm64.a libx86_64.a app_fat libfat.a; do
  views="sections segments symbols crates segments,sections crates,symbols"
  case $f in
    *.a) views="$views members members,sections members,symbols" ;;
    *.o) views="$views compileunits" ;;
  esac
  for v in $views; do
    size_json "r.$f.$v.json" "$f" "$v"
    reports+=("r.$f.$v.json" "$f")
  done
done
size_sums "${reports[@]}" || fail "a view's rows do not sum to the totals"
pass "every view of every Mach-O kind (exe, dylib, object, archives, fat) sums to the file size"

# row FILE NAME [KEY]: a top-level row's file size (or KEY), "" if none.
row() { json_get "$1" "next((r.get('${3:-file_size}') for r in d['rows'] if r['name'] == '$2'), '')"; }

for arch in arm64 x86_64; do
  size_json s.json "app_$arch" sections
  want=$(llvm-size-19 -m "app_$arch" | sed -n 's/^\tSection __text: //p')
  [ "$(row s.json __TEXT,__text)" = "$want" ] || fail "$arch: __TEXT,__text is $(row s.json __TEXT,__text) bytes, llvm-size says $want"
  [ "$(row s.json '[Mach-O header]')" = 32 ] || fail "$arch: no 32-byte [Mach-O header] row"
  for r in '[load commands]' '[symbol table]' '[string table]'; do
    [ -n "$(row s.json "$r")" ] || fail "$arch: no $r row"
  done
  # __PAGEZERO reserves 4 GB of addresses and no bytes: not in the VM total.
  [ "$(json_get s.json "d['vm_size'] < 1 << 32")" = True ] || fail "$arch: __PAGEZERO counted in VM size"
  size_json y.json "app_$arch" symbols
  [ -n "$(row y.json helper_function)" ] || fail "$arch: no symbol row 'helper_function' (Mach-O's '_' dropped)"
  [ -n "$(row y.json 'shapes::area(int, int)')" ] || fail "$arch: '__ZN6shapes4areaEii' is not demangled"
  [ -n "$(row y.json 'alpha::rusty')" ] || fail "$arch: the Rust symbol is not demangled"
  size_json c.json "app_$arch" crates
  [ -n "$(row c.json alpha)" ] || fail "$arch: no crate row 'alpha' for __ZN5alpha5rusty17h...E"
done
size_json seg.json app_arm64 segments
for s in __TEXT __DATA __LINKEDIT; do
  [ -n "$(row seg.json $s)" ] || fail "no $s segment row"
done
[ -z "$(row seg.json __PAGEZERO)" ] || fail "__PAGEZERO has a row"
pass "executables: __text as llvm-size says, headers, __LINKEDIT tables, symbols without '_', demangled C++ and Rust, crates"

# An object: relocations and debug info by role, zero-fill without bytes.
size_json o.json arm64.main.o sections
[ -n "$(row o.json '[relocations]')" ] || fail "object: no [relocations] row"
[ "$(row o.json __DATA,__common)" = 0 ] || fail "object: __DATA,__common (zero-fill) has file bytes"
[ "$(row o.json __DATA,__common vm_size)" = 4 ] || fail "object: __DATA,__common has no VM size"
want=$(llvm-size-19 -m arm64.main.o | sed -n 's/^\tSection (__TEXT, __text): //p')
[ "$(row o.json __TEXT,__text)" = "$want" ] || fail "object: __text is $(row o.json __TEXT,__text), llvm-size says $want"
size_json oc.json arm64.main.o crates
for c in '[debug info]' '[relocations]' '[symbol tables]'; do
  [ -n "$(row oc.json "$c")" ] || fail "object: no $c crates row"
done
size_json ou.json arm64.main.o compileunits
[ "$(row ou.json main.c)" = "$(stat -c %s arm64.main.o)" ] || fail "object: compile unit main.c does not get the whole object"
pass "object: [relocations], zero-fill, __text, crates by role, its compile unit"

# The Darwin archive: a "#1/NN" name is stored after its member's header and
# counts as archive header; each member's row is the bytes ar lists.
size_json m.json libarm64.a members
want=$(python3 - libarm64.a <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
at, total = 8, 8
while at < len(d):
    h = d[at:at + 60]
    name, size = h[:16].decode().strip(), int(h[48:58])
    nn = int(name[3:]) if name.startswith("#1/") else 0
    if not d[at + 60:at + 60 + nn].rstrip(b"\0").startswith(b"__.SYMDEF"):
        total += 60 + nn
    at += 60 + size + (size & 1)
print(total)
PY
)
[ "$(row m.json '[archive headers]')" = "$want" ] || fail "[archive headers] is $(row m.json '[archive headers]'), expected $want"
[ -n "$(row m.json '[archive index]')" ] || fail "no [archive index] row (__.SYMDEF)"
llvm-ar-19 tv libarm64.a | awk '{ print $NF, $3 }' | sort > ar.txt
json_get m.json "'\n'.join(sorted(r['name'] + ' ' + str(r['file_size']) for r in d['rows'] if not r['name'].startswith('[')))" > ours.txt
diff ar.txt ours.txt || fail "member rows disagree with llvm-ar tv"
pass "Darwin archive: #1/NN names are archive headers, member rows as llvm-ar tv"

# Universal files: the fat header, a row per slice; --arch shows one slice
# exactly as the thin file it was made from.
for f in app_fat libfat.a; do
  size_json u.json $f sections
  [ "$(row u.json '[fat header]')" = 48 ] || fail "$f: [fat header] is not 8 + 2 * 20 bytes"
  for arch in arm64 x86_64; do
    [ -n "$(row u.json "[slice $arch]")" ] || fail "$f: no [slice $arch] row"
  done
done
size_json u.json app_fat sections
size_json thin.json app_arm64 sections
[ "$(row u.json '[slice arm64]')" = "$(stat -c %s app_arm64)" ] || fail "[slice arm64] is not app_arm64's size"
size_json one.json app_fat sections --arch arm64
size_sums one.json app_arm64 || fail "--arch arm64 does not total the slice's size"
[ "$(json_get one.json 'sorted(map(str, d["rows"]))')" = "$(json_get thin.json 'sorted(map(str, d["rows"]))')" ] ||
  fail "--arch arm64 rows differ from the thin file's"
size_json one.json libfat.a members --arch x86_64
size_sums one.json libx86_64.a || fail "libfat.a --arch x86_64 does not total the slice's size"
pass "universal files: [fat header], a row per slice, --arch as thin"

# expect_error PATTERN ARGS...: size fails (not a crash) with PATTERN on stderr.
expect_error() {
  local pattern=$1; shift
  set +e
  "$SLIMLINK" size "$@" > out.txt 2> err.txt
  local rc=$?
  set -e
  [ $rc -ne 0 ] && [ $rc -lt 128 ] || fail "size $*: exit $rc, expected an error"
  grep -q -- "$pattern" err.txt || fail "size $*: stderr lacks '$pattern': $(cat err.txt)"
}
expect_error "app_fat: has no ppc64 slice (it holds .*arm64" app_fat --arch ppc64
grep -q "x86_64" err.txt || fail "--arch ppc64: the error does not list x86_64"
expect_error "app_x86_64: has no arm64 slice" app_x86_64 --arch arm64
head -c $(( $(stat -c %s app_fat) - 100 )) app_fat > cut_fat
expect_error "cut_fat: " cut_fat
head -c 100 arm64.main.o > cut_commands.o
expect_error "cut_commands.o: malformed Mach-O file" cut_commands.o
head -c $(( $(stat -c %s arm64.main.o) - 300 )) arm64.main.o > cut.o
expect_error "cut.o: malformed Mach-O file" cut.o
pass "bad --arch, a truncated fat file, truncated objects: one error naming the file"
