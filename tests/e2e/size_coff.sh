#!/usr/bin/env bash
# slimlink size on COFF and PE: executables (lld-link for x86_64, arm64 and
# i686; MinGW gcc with DWARF and a symbol table), a DLL with exports, objects
# (COMDATs, CodeView, MinGW DWARF), an MSVC .lib (both linker members, long
# names), an import library (short import objects) and a MinGW archive.
# Every view's rows sum to the file size; .text agrees with SizeOfRawData;
# the import and export directories are rows of their own; objects group
# ".text$x" under ".text"; damaged files are refused with the file's name.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

cat > dll.c <<'EOF'
__declspec(dllexport) int ext(int x) { return x + 1; }
__declspec(dllexport) int other(int x) { return x * 2; }
int zeroes[4096];
EOF
cat > app.c <<'EOF'
__declspec(dllimport) int ext(int);
int counter;
static const char msg[] = "hello world";
int helper(int x) { return x * 3 + msg[x & 7]; }
int main(void) { counter = helper(2); return ext(counter); }
EOF
cat > obj.cc <<'EOF'
namespace shapes { int area(int w, int h) { return w * h + 7; } }
inline int twice(int x) { return 2 * x; }
extern "C" int cxx_entry(int x) { return shapes::area(x, twice(x)); }
/* A Rust (legacy-mangled) function of crate "alpha". */
int rusty(int) asm("_ZN5alpha5rusty17h0123456789abcdefE");
int rusty(int x) { return x ^ 3; }
/* MSVC's name for a COMDAT function's section. */
extern "C" __attribute__((section(".text$mn"))) int in_mn(int x) { return x - 5; }
EOF
cat > mingw.c <<'EOF'
#include <stdio.h>
static int table[1000];
int fill(int n) { for (int i = 0; i < n; i++) table[i] = i * i; return table[n - 1]; }
int rusty(int) asm("_ZN5alpha5rusty17h0123456789abcdefE");
int rusty(int x) { return x ^ table[x & 7]; }
int main(int argc, char **argv) { printf("%d\n", fill(10) + rusty(argc)); return 0; }
EOF

for t in x86_64 aarch64 i686; do
  clang-19 --target=$t-pc-windows-msvc -O1 -c dll.c -o dll_$t.obj
  lld-link-19 /dll /noentry /nodefaultlib /out:dll_$t.dll /implib:dll_$t.lib dll_$t.obj
  clang-19 --target=$t-pc-windows-msvc -O1 -g -gcodeview -c app.c -o app_$t.obj
  lld-link-19 /debug /entry:main /nodefaultlib /subsystem:console \
    /out:app_$t.exe app_$t.obj dll_$t.lib
done
clang-19 --target=x86_64-pc-windows-msvc -O1 -ffunction-sections -fdata-sections -c obj.cc -o comdat.obj
clang-19 --target=x86_64-pc-windows-msvc -O1 -g -gcodeview -c obj.cc -o codeview.obj
x86_64-w64-mingw32-gcc -g -O1 -ffunction-sections -c mingw.c -o mingw.o
x86_64-w64-mingw32-gcc -g -O1 -c dll.c -o mingw_dll.o
x86_64-w64-mingw32-gcc -g -O1 mingw.c -o mingw.exe
llvm-lib-19 /out:msvc.lib comdat.obj codeview.obj dll_x86_64.obj
printf 'LIBRARY foo.dll\nEXPORTS\nfoo_fn\nfoo_data DATA\nbar\n' > foo.def
llvm-dlltool-19 -m i386:x86-64 -d foo.def -l libfoo.lib
llvm-ar-19 --format=gnu rcs libmingw.a mingw.o mingw_dll.o
cat app_x86_64.exe mingw.c > overlay.exe

reports=()
for f in app_x86_64.exe app_aarch64.exe app_i686.exe dll_x86_64.dll mingw.exe \
         overlay.exe comdat.obj codeview.obj mingw.o msvc.lib libfoo.lib dll_x86_64.lib libmingw.a; do
  views="sections segments symbols crates segments,sections crates,symbols"
  case $f in
    *.a|*.lib) views="$views members members,sections members,symbols" ;;
    *.o|mingw.exe) views="$views compileunits" ;;
  esac
  for v in $views; do
    size_json "r.$f.$v.json" "$f" "$v"
    reports+=("r.$f.$v.json" "$f")
  done
done
size_sums "${reports[@]}" || fail "a view's rows do not sum to the totals"
pass "every view of every COFF kind (exe, dll, object, .lib, import library, MinGW archive) sums to the file size"

# row FILE NAME [KEY]: a top-level row's file size (or KEY), "" if none.
row() { json_get "$1" "next((r.get('${3:-file_size}') for r in d['rows'] if r['name'] == '$2'), '')"; }
# raw_size FILE SECTION: the section's SizeOfRawData, from llvm-readobj.
raw_size() {
  llvm-readobj-19 --sections "$1" |
    awk -v s="$2" '$1 == "Name:" { n = $2 } $1 == "RawDataSize:" && n == s && !done { print $2; done = 1 }'
}

for f in app_x86_64.exe app_aarch64.exe app_i686.exe mingw.exe; do
  size_json s.json $f sections
  want=$(raw_size $f .text)
  [ "$(row s.json .text)" = "$want" ] || fail "$f: .text is $(row s.json .text) bytes, SizeOfRawData is $want"
  for r in '[DOS header + stub]' '[PE headers]' '[section headers]'; do
    [ -n "$(row s.json "$r")" ] || fail "$f: no $r row"
  done
  # The headers are all the loader maps besides the sections.
  vm=$(llvm-readobj-19 --sections $f | python3 -c 'import sys; print(sum(int(l.split()[1], 16) for l in sys.stdin if l.split()[:1] == ["VirtualSize:"]))')
  hdr=$(llvm-readobj-19 --file-headers $f | awk '$1 == "SizeOfHeaders:" { print $2 }')
  [ "$(json_get s.json "d['vm_size']")" = $((vm + hdr)) ] || fail "$f: VM size $(json_get s.json "d['vm_size']"), expected headers + VirtualSizes = $((vm + hdr))"
done
pass "PE: .text is SizeOfRawData, header rows, VM size is SizeOfHeaders + the sections' VirtualSize"

for t in x86_64 aarch64 i686; do
  size_json s.json app_$t.exe sections
  [ -n "$(row s.json '[import table]')" ] || fail "app_$t.exe imports ext() but has no [import table] row"
  [ -n "$(row s.json '[CodeView]')" ] || fail "app_$t.exe (/debug) has no [CodeView] row"
  [ -n "$(row s.json '[debug directory]')" ] || fail "app_$t.exe (/debug) has no [debug directory] row"
  size_json c.json app_$t.exe crates
  [ -n "$(row c.json '[debug info]')" ] || fail "app_$t.exe: debug directory not filed as [debug info]"
  size_json s.json dll_$t.dll sections
  [ -n "$(row s.json '[export table]')" ] || fail "dll_$t.dll exports ext() but has no [export table] row"
  # int zeroes[4096]: zero-fill, memory and no file bytes.
  [ "$(json_get s.json "d['vm_size'] >= 16384 > d['file_size']")" = True ] || fail "dll_$t.dll: zero-fill not counted in VM"
done
size_json s.json overlay.exe sections
[ "$(row s.json '[overlay]')" = "$(stat -c %s mingw.c)" ] || fail "appended bytes are not the [overlay] row"
pass "PE: import, export and debug directories are rows, zero-fill is VM only, appended bytes are [overlay]"

size_json s.json mingw.exe sections
for r in .bss .debug_info .pdata .xdata '[symbol table]' '[string table]'; do
  [ -n "$(row s.json "$r")" ] || fail "mingw.exe: no $r row"
done
[ "$(row s.json .bss)" = 0 ] && [ "$(row s.json .bss vm_size)" -ge 4000 ] || fail "mingw.exe: .bss is not zero-fill"
size_json y.json mingw.exe symbols
[ -n "$(row y.json fill)" ] || fail "mingw.exe: no symbol row 'fill'"
[ -n "$(row y.json alpha::rusty)" ] || fail "mingw.exe: _ZN5alpha5rusty... is not demangled"
size_json c.json mingw.exe crates
[ -n "$(row c.json alpha)" ] || fail "mingw.exe: no crate row 'alpha'"
[ -n "$(row c.json '[symbol tables]')" ] || fail "mingw.exe: the COFF symbol table is not [symbol tables]"
size_json u.json mingw.exe compileunits
[ "$(row u.json mingw.c vm_size)" -gt 0 ] || fail "mingw.exe: compile unit mingw.c has no code"
pass "MinGW exe: .bss, DWARF, symbol and string tables, symbols, crates, compile units"

size_json s.json comdat.obj sections
[ "$(json_get s.json "[r['name'] for r in d['rows'] if '\$' in r['name']]")" = "[]" ] || fail "comdat.obj: a '\$' section is not grouped: $(json_get s.json "[r['name'] for r in d['rows']]")"
want=$(llvm-readobj-19 --sections comdat.obj | awk '$1 == "Name:" { n = $2 } $1 == "RawDataSize:" && n ~ /^\.text/ { s += $2 } END { print s }')
[ "$(row s.json .text)" = "$want" ] || fail "comdat.obj: .text is $(row s.json .text), its sections hold $want"
[ "$(row s.json .text vm_size)" = "$want" ] || fail "comdat.obj: .text's VM size is not its bytes"
size_json y.json comdat.obj symbols
[ "$(row y.json alpha::rusty)" = 6 ] || fail "comdat.obj: alpha::rusty is not a 6-byte row"
[ -n "$(row y.json cxx_entry)" ] || fail "comdat.obj: no cxx_entry row"
[ -n "$(row y.json in_mn)" ] || fail "comdat.obj: no in_mn row (in .text\$mn)"
size_json s.json codeview.obj sections
for r in '.debug$S' '.debug$T' '[relocations]' '[symbol table]' '[string table]' '[COFF header]'; do
  [ -n "$(row s.json "$r")" ] || fail "codeview.obj: no $r row"
done
size_json c.json codeview.obj crates
[ "$(row c.json '[debug info]')" -ge "$(row s.json '.debug$S')" ] || fail "codeview.obj: .debug\$S is not [debug info]"
[ -n "$(row c.json '[relocations]')" ] || fail "codeview.obj: no [relocations] crate row"
size_json s.json mingw.o sections
for r in .text .pdata .xdata .debug_info '[relocations]'; do
  [ -n "$(row s.json "$r")" ] || fail "mingw.o: no $r row"
done
size_json c.json mingw.o crates
[ -n "$(row c.json '[unwind info]')" ] || fail "mingw.o: .pdata/.xdata are not [unwind info]"
size_json u.json mingw.o compileunits
[ "$(row u.json mingw.c)" = "$(stat -c %s mingw.o)" ] || fail "mingw.o: its one compile unit does not get all of it"
pass "objects: .text\$x grouped, symbols (Rust demangled), CodeView and DWARF as debug info, relocations, unwind"

# Archive headers: "!<arch>\n" and each member's header, except the index
# members' ("/" twice in a .lib, "//" the long names), which with their
# contents are the [archive index].
archive_headers() {
  python3 - "$1" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
at, total = 8, 8
while at < len(d):
    h = d[at:at + 60]
    name, size = h[:16].decode().strip(), int(h[48:58])
    if name not in ("/", "//", "/SYM64/"):
        total += 60
    at += 60 + size + (size & 1)
print(total)
PY
}
for f in msvc.lib libfoo.lib libmingw.a; do
  size_json m.json $f members
  want=$(archive_headers $f)
  [ "$(row m.json '[archive headers]')" = "$want" ] || fail "$f: [archive headers] is $(row m.json '[archive headers]'), expected $want"
  [ -n "$(row m.json '[archive index]')" ] || fail "$f: no [archive index] row"
done
size_json m.json msvc.lib members
for m in comdat.obj codeview.obj dll_x86_64.obj; do
  [ -n "$(row m.json $m)" ] || fail "msvc.lib: no member row $m"
done
# Short import objects (Sig1 0, Sig2 0xffff): one row, all of their bytes.
want=$(python3 - libfoo.lib <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
at, total = 8, 0
while at < len(d):
    size = int(d[at + 48:at + 58])
    if d[at + 60:at + 64] == b"\0\0\xff\xff":
        total += size
    at += 60 + size + (size & 1)
print(total)
PY
)
size_json s.json libfoo.lib sections
[ "$(row s.json '[import objects]')" = "$want" ] || fail "libfoo.lib: [import objects] is $(row s.json '[import objects]'), its short import members hold $want"
size_json m.json libmingw.a members,symbols
[ "$(json_get m.json "'fill' in [c['name'] for r in d['rows'] if r['name'] == 'mingw.o' for c in r['rows']]")" = True ] ||
  fail "libmingw.a: no symbol row 'fill' in member mingw.o"
pass "archives: .lib linker members and long names are the index, import objects a row, MinGW archive members"

# Damaged files: one error naming the file, exit status 2 (size's errors).
expect_error() { # PATTERN FILE
  set +e; "$SLIMLINK" size "$2" > out.txt 2> err.txt; local rc=$?; set -e
  [ "$rc" = 2 ] || fail "size $2: exit status $rc, expected 2"
  grep -q -- "$1" err.txt || fail "size $2: error does not match '$1': $(cat err.txt)"
}
head -c 700 app_x86_64.exe > truncated.exe
expect_error "truncated.exe: " truncated.exe
head -c 2000 mingw.exe > truncated_mingw.exe
expect_error "truncated_mingw.exe: " truncated_mingw.exe
python3 - <<'PY'
import struct
d = bytearray(open("app_x86_64.exe", "rb").read())
lfanew = struct.unpack_from("<I", d, 0x3c)[0]
opt = struct.unpack_from("<H", d, lfanew + 20)[0]
struct.pack_into("<I", d, lfanew + 24 + opt + 16, 0x100000)  # .text's SizeOfRawData
open("past_end.exe", "wb").write(d)
d = bytearray(open("app_x86_64.exe", "rb").read())
d[lfanew:lfanew + 4] = b"XX\0\0"
open("bad_signature.exe", "wb").write(d)
d = bytearray(open("comdat.obj", "rb").read())
struct.pack_into("<I", d, 20 + 40 * 0 + 20, 0x7fff0000)  # PointerToRawData
struct.pack_into("<I", d, 20 + 40 * 0 + 16, 16)          # SizeOfRawData
open("past_end.obj", "wb").write(d)
PY
expect_error "past_end.exe: .*runs past the end" past_end.exe
expect_error "bad_signature.exe: " bad_signature.exe
expect_error "past_end.obj: .*runs past the end" past_end.obj
pass "damaged PE and COFF files: one error naming the file"
