#!/usr/bin/env bash
# slimlink size on stripped and export-only libraries, ELF, Mach-O and PE:
# a named symbol never runs past the next function start (or end) the file
# itself records (ELF: .eh_frame's FDEs, Mach-O: LC_FUNCTION_STARTS, PE:
# .pdata), so an export that is a 4-byte branch is not shown as the unnamed
# functions after it. Every report's rows still sum to the file size, the
# file is said to be stripped (once, with how much code has no name), and a
# diff by symbols against the unstripped build is refused, as for ELF.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

# Exports between static functions: stripped of its local names, each
# export is followed by unnamed code up to the next export.
cat > lib.c <<'EOF'
#ifdef _WIN32
#define EXPORT __declspec(dllexport)
#else
#define EXPORT
#endif
static int table[64] = {1, 2, 3};
__attribute__((noinline)) static int local_a(int x) {
  int s = 0;
  for (int i = 0; i < x; ++i) s += table[i & 63] * i;
  return s;
}
__attribute__((noinline)) static int local_b(int x) {
  int s = 1;
  for (int i = 0; i < x; ++i) s = s * 3 + table[(i * 7) & 63];
  return s + local_a(x);
}
__attribute__((noinline)) static int local_c(int x) {
  return x > 3 ? local_b(x - 1) + local_c(x / 2) : table[x & 63];
}
EXPORT int exported_tiny(int x) { return local_c(x); }
EXPORT int exported_big(int x) {
  int s = 0;
  for (int i = 0; i < x; ++i) s += local_a(i) ^ local_b(i);
  return s;
}
EXPORT int exported_last(int x) { return local_b(x) - local_a(x); }
EOF

# check_bounds FILE BOUNDS EXPORTS: FILE's symbols view. BOUNDS: lines
# "START END" (hex VM addresses; END "-" when the file records only the
# start) of what the file records, and lines "code START END" of its code
# sections; EXPORTS: lines "NAME ADDR" (hex). No export's row is larger than
# the distance from its address to the next recorded start or end (or the
# end of its code section): what the file says the function can take.
check_bounds() {
  local f=$1 bounds=$2 exports=$3
  size_json "$f.symbols.json" "$f" symbols
  size_sums "$f.symbols.json" "$f" || fail "$f: the symbols view does not sum to the file size"
  python3 - "$f.symbols.json" "$bounds" "$exports" "$f" <<'PY' || fail "$f: an export is larger than its function"
import json, sys
report, bounds, exports, name = sys.argv[1:]
rows = {r["name"]: r for r in json.load(open(report))["rows"]}
cuts, code = set(), []
for line in open(bounds):
    w = line.split()
    if w[0] == "code":
        code.append((int(w[1], 16), int(w[2], 16)))
        continue
    cuts.add(int(w[0], 16))
    if w[1] != "-":
        cuts.add(int(w[1], 16))
assert cuts, f"{name}: the tools found no function bounds"
checked = 0
for line in open(exports):
    sym, addr = line.split()
    addr = int(addr, 16)
    end = next(e for s, e in code if s <= addr < e)
    limit = min([c for c in cuts if c > addr] + [end]) - addr
    row = rows.get(sym)
    assert row, f"{name}: no row {sym}"
    size = row["vm_size"]
    assert size <= limit, f"{name}: {sym} is {size} bytes, but its function takes at most {limit}"
    print(f"{name}: {sym} {size} bytes (bound {limit})")
    checked += 1
assert checked >= 3, f"{name}: only {checked} exports checked"
PY
}

# stripped_note FILE NAMES: the report says FILE is stripped, which names are
# left, and that code has no name, once (JSON: a "stripped" entry; the
# table: one line).
stripped_note() {
  local f=$1 names=$2
  [ "$(json_get "$f.symbols.json" "[(s['file'], s['names'], s['unnamed_code_size'] > 0) for s in d['stripped']]")" = "[('$f', '$names', True)]" ] ||
    fail "$f: JSON says stripped: $(json_get "$f.symbols.json" "d.get('stripped')")"
  "$SLIMLINK" size "$f" -d symbols > "$f.table" || fail "$f: size failed"
  [ "$(grep -c "is stripped ($names)" "$f.table")" = 1 ] ||
    fail "$f: the table does not say once that it is stripped ($names): $(tail -3 "$f.table")"
  grep -q "debug file" "$f.table" || fail "$f: the note does not say where the names are"
}

# refused OLD NEW: a diff by symbols of a stripped and an unstripped build is
# refused with the reason (as ELF's is); by sections it is not.
refused() {
  local rc=0
  "$SLIMLINK" size --diff "$1" "$2" -d symbols > "diff.out" 2> "diff.err" || rc=$?
  [ "$rc" = 2 ] && grep -q "has no symbol table (stripped" diff.err && [ ! -s diff.out ] ||
    fail "diff by symbols of $1 and $2: exit $rc, $(cat diff.err)"
  "$SLIMLINK" size --diff "$1" "$2" -d sections > /dev/null ||
    fail "diff by sections of $1 and $2 failed"
}

# code_sections FILE: "code START END" for each code section (llvm-objdump).
code_sections() {
  llvm-objdump-19 -h "$1" | python3 -c '
import re, sys
for line in sys.stdin:
    m = re.match(r"\s*\d+ \S+\s+([0-9a-f]+) ([0-9a-f]+) (.*)", line)
    if m and "TEXT" in m.group(3).split(", "):
        size, start = int(m.group(1), 16), int(m.group(2), 16)
        print(f"code {start:x} {start + size:x}")'
}

# --- ELF: sizes come with the symbols; .eh_frame's FDEs bound them too.
gcc -O1 -fPIC -shared lib.c -o libf.so
strip --strip-all -o libf.stripped.so libf.so
llvm-objcopy-19 --strip-all libf.so libf.llvm-stripped.so
for f in libf.stripped.so libf.llvm-stripped.so; do
  readelf --debug-dump=frames "$f" | sed -n 's/.* FDE .*pc=\([0-9a-f]*\)\.\.\([0-9a-f]*\).*/\1 \2/p' > "$f.bounds"
  code_sections "$f" >> "$f.bounds"
  llvm-nm-19 -D --defined-only "$f" | awk '/ T exported_/ { print $3, $1 }' > "$f.exports"
  check_bounds "$f" "$f.bounds" "$f.exports"
  stripped_note "$f" "exports only"
done
refused libf.so libf.stripped.so
pass "ELF stripped to its dynamic symbols: exports within their FDEs, rows sum, said once, diff refused"

# --- Mach-O: LC_FUNCTION_STARTS; strip -x keeps the exports.
for arch in arm64 x86_64; do
  clang-19 --target=$arch-apple-macos11 -O1 -c lib.c -o m_$arch.o
  ld64.lld-19 -arch $arch -platform_version macos 11.0 11.0 -undefined dynamic_lookup \
    -dylib m_$arch.o -o libm_$arch.dylib
  llvm-strip-19 -x libm_$arch.dylib -o libm_$arch.x.dylib
  f=libm_$arch.x.dylib
  llvm-objdump-19 --macho --function-starts "$f" | awk 'NR > 1 { print $1, "-" }' > "$f.bounds"
  code_sections "$f" >> "$f.bounds"
  llvm-nm-19 --defined-only -g "$f" | awk '/ T _exported_/ { print substr($3, 2), $1 }' > "$f.exports"
  check_bounds "$f" "$f.bounds" "$f.exports"
  stripped_note "$f" "exports only"
  refused libm_$arch.dylib "$f"
  # The unstripped dylib has every name: nothing to say.
  size_json "libm_$arch.symbols.json" libm_$arch.dylib symbols
  [ "$(json_get "libm_$arch.symbols.json" "d['stripped']")" = "[]" ] ||
    fail "libm_$arch.dylib (unstripped) is said to be stripped"
done
pass "Mach-O stripped to its exports (arm64, x86_64): exports within their function starts, rows sum, said once, diff refused"

# patch FILE OUT OFFSET BYTES: OUT is FILE with BYTES (hex) written at OFFSET.
patch() {
  python3 - "$@" <<'PY'
import sys
src, out, off, data = sys.argv[1], sys.argv[2], int(sys.argv[3], 0), bytes.fromhex(sys.argv[4])
b = bytearray(open(src, "rb").read())
b[off:off + len(data)] = data
open(out, "wb").write(b)
PY
}
# A damaged LC_FUNCTION_STARTS is not trusted: a number that runs past the
# list, or starts outside the code, and the list is not used (the exports
# run to the next export again); the report is still whole.
f=libm_arm64.x.dylib
off=$(llvm-objdump-19 --macho --private-headers "$f" | awk '/cmd LC_FUNCTION_STARTS/ { s = 1 } s && $1 == "dataoff" { print $2; exit }')
size=$(llvm-objdump-19 --macho --private-headers "$f" | awk '/cmd LC_FUNCTION_STARTS/ { s = 1 } s && $1 == "datasize" { print $2; exit }')
patch "$f" starts-unended.dylib "$off" "$(printf '80%.0s' $(seq "$size"))"
patch "$f" starts-outside.dylib "$off" ffffffff0f
for d in starts-unended.dylib starts-outside.dylib; do
  size_json "$d.json" "$d" symbols
  size_sums "$d.json" "$d" || fail "$d: the symbols view does not sum to the file size"
  [ "$(json_get "$d.json" "next(r['vm_size'] for r in d['rows'] if r['name'] == 'exported_tiny') > 4")" = True ] ||
    fail "$d: the damaged function starts were used"
done
pass "a damaged LC_FUNCTION_STARTS is not used"

# --- PE: .pdata. lld-link's /debug:symtab writes a COFF symbol table, and
# strip -x leaves its exports; MinGW's DLL has one of its own.
for t in x86_64 aarch64; do
  clang-19 --target=$t-pc-windows-msvc -O1 -c lib.c -o w_$t.obj
  lld-link-19 /dll /noentry /nodefaultlib /debug:symtab /out:w_$t.dll w_$t.obj
  llvm-strip-19 -x w_$t.dll -o w_$t.x.dll
  lld-link-19 /dll /noentry /nodefaultlib /out:w_$t.nosym.dll w_$t.obj
done
x86_64-w64-mingw32-gcc -O1 -shared lib.c -o g.dll
llvm-strip-19 -x g.dll -o g.x.dll
# pdata_bounds FILE: "START END" of each RuntimeFunction (x64: its start
# and end addresses; arm64: its address and length).
pdata_bounds() {
  llvm-readobj-19 --unwind "$1" | python3 -c '
import re, sys
start = None
for line in sys.stdin:
    m = re.search(r"(StartAddress|Function): .*?\(?0x([0-9A-Fa-f]+)\)?$", line.strip())
    if m:
        start = int(m.group(2), 16)
        continue
    m = re.search(r"EndAddress: .*\(?0x([0-9A-Fa-f]+)\)?$", line.strip())
    if m and start is not None:
        print(f"{start:x} {int(m.group(1), 16):x}"); start = None
        continue
    m = re.search(r"FunctionLength: (\d+)", line)
    if m and start is not None:
        print(f"{start:x} {start + int(m.group(1)):x}"); start = None'
}
for f in w_x86_64.x.dll w_aarch64.x.dll g.x.dll; do
  pdata_bounds "$f" > "$f.bounds"
  # The code sections at their VAs (llvm-objdump prints them with ImageBase).
  code_sections "$f" >> "$f.bounds"
  llvm-nm-19 --defined-only -g "$f" | awk '/ T exported_/ { print $3, $1 }' > "$f.exports"
  check_bounds "$f" "$f.bounds" "$f.exports"
  stripped_note "$f" "exports only"
done
refused w_x86_64.dll w_x86_64.x.dll
# A damaged .pdata (a function past the code) is not used either.
pdata=$(llvm-readobj-19 --sections w_x86_64.x.dll | awk '/Name: .pdata/ { s = 1 } s && /PointerToRawData/ { print $2; exit }')
patch w_x86_64.x.dll pdata-outside.dll "$pdata" ffffff7fffffff7f
size_json pdata-outside.dll.json pdata-outside.dll symbols
size_sums pdata-outside.dll.json pdata-outside.dll || fail "pdata-outside.dll: the symbols view does not sum to the file size"
[ "$(json_get pdata-outside.dll.json "next(r['vm_size'] for r in d['rows'] if r['name'] == 'exported_tiny') > 16")" = True ] ||
  fail "pdata-outside.dll: the damaged .pdata was used"
refused g.dll g.x.dll
# No symbol table at all (as MSVC links): every function is unnamed.
for f in w_x86_64.nosym.dll w_aarch64.nosym.dll; do
  size_json "$f.symbols.json" "$f" symbols
  size_sums "$f.symbols.json" "$f" || fail "$f: the symbols view does not sum to the file size"
  stripped_note "$f" "no symbols"
done
pass "PE stripped to its exports (x64, arm64, MinGW) or of all symbols: exports within .pdata, rows sum, said once, diff refused"
