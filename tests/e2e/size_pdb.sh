#!/usr/bin/env bash
# slimlink size of a PE program with its PDB (clang-19 -gcodeview, lld-link
# /debug): the PE file has no symbol table, so its symbols and compile
# units come from the PDB (procedures with their code sizes, data, publics;
# modules), its bytes from itself, and every column still sums to its
# total. The PDB is given by --debug-file or found: at the path the
# CodeView record names, under that name beside the file, or as NAME.pdb
# beside it; a PDB of another build (GUID and age) is refused naming both
# files; a truncated or damaged PDB is one clear error, never a crash.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

# C, and C++ with a namespace (the PDB names its static function
# "hello::twice", with no public), and a function whose linkage name is a
# Rust legacy one (as rustc's MSVC objects have): the crates rule reads both.
cat > main.c <<'C'
int area(int w, int h);
int perimeter(int w, int h);
int small[5] = {1};
int table[64] = {1};
__attribute__((noinline)) int square(int x) __asm__("_ZN5hello6square17h0123456789abcdefE");
__attribute__((noinline)) int square(int x) { return x * x + table[x & 63]; }
int main(void) { return area(6, 7) + perimeter(6, 7) + square(3) + small[1]; }
C
cat > shapes.cc <<'CC'
namespace hello {
static int counter;
__attribute__((noinline)) static int twice(int x) { counter++; return 2 * x; }
}
extern "C" int area(int w, int h) { return w * h + hello::twice(w) - hello::twice(w) + VARIANT; }
extern "C" int perimeter(int w, int h) { return hello::twice(w) + hello::twice(h); }
int unused_cxx(int x) { return x * 3 + 1; }
CC
# build OUT VARIANT [LINK ARGS...]: OUT.exe and OUT.pdb.
build() {
  local out=$1 variant=$2; shift 2
  clang-19 --target=x86_64-pc-windows-msvc -O1 -g -gcodeview -c main.c -o main.obj
  clang-19 --target=x86_64-pc-windows-msvc -O1 -g -gcodeview -DVARIANT="$variant" -c shapes.cc -o shapes.obj
  lld-link-19 /debug /pdb:"$PWD/$out.pdb" /out:"$out.exe" /entry:main /subsystem:console \
    /nodefaultlib "$@" main.obj shapes.obj
}
build prog 0
build other 1
# The CodeView record names a Windows path no machine here has.
build alt 0 '/pdbaltpath:C:\build\out\alt-name.pdb'
llvm-readobj-19 --coff-debug-directory prog.exe | grep -q "PDBFileName: $PWD/prog.pdb" ||
  fail "lld-link wrote no CodeView record naming prog.pdb"
llvm-readobj-19 --symbols prog.exe | grep -q "Symbol {" && fail "prog.exe has a symbol table"

# The procedures as llvm-pdbutil dumps them: name (the public at the same
# address where there is one) and code size, summed by name, sorted.
pdb_procs() {
  llvm-pdbutil-19 dump --symbols --publics "$1" | python3 -c '
import re, sys
procs, publics, cur = [], {}, None
for line in sys.stdin:
    m = re.search(r"\| S_(G|L)PROC32 \[size = \d+\] `(.*)`", line)
    if m: cur = ("proc", m.group(2)); continue
    m = re.search(r"\| S_PUB32 \[size = \d+\] `(.*)`", line)
    if m: cur = ("pub", m.group(1)); continue
    m = re.search(r"addr = (\d+:\d+)(, code size = (\d+))?", line)
    if m and cur:
        if cur[0] == "proc": procs.append((m.group(1), cur[1], int(m.group(3))))
        else: publics.setdefault(m.group(1), cur[1])
        cur = None
sizes = {}
for addr, name, size in procs:
    n = publics.get(addr, name)
    sizes[n] = sizes.get(n, 0) + size
for n in sorted(sizes): print(n, sizes[n])
'
}
# size_procs CSV: the rows of `size -d rawsymbols --csv` that pdb_procs
# names, with their VM and file sizes.
size_procs() { # CSV EXPECTED
  python3 - "$1" "$2" <<'PY'
import csv, sys
rows = {r[0]: (int(r[1]), int(r[2])) for r in list(csv.reader(open(sys.argv[1])))[1:]}
for line in open(sys.argv[2]):
    name, size = line.rsplit(" ", 1)
    vm, fs = rows.get(name, (0, 0))
    print(name, vm if vm == fs else f"{vm} (file {fs})")
PY
}
pdb_procs prog.pdb > expected.txt
grep -q '^_ZN5hello6square17h0123456789abcdefE [0-9]' expected.txt &&
  grep -q '^hello::twice [0-9]' expected.txt && grep -q '^?unused_cxx@@YAHH@Z [0-9]' expected.txt ||
  fail "llvm-pdbutil shows other procedures than expected: $(cat expected.txt)"
[ "$(wc -l < expected.txt)" = 6 ] || fail "expected 6 procedures: $(cat expected.txt)"

# check_found FILE [ARGS...]: FILE's procedures as the PDB says, every
# report's rows summing to the totals.
check_found() {
  local f=$1; shift
  "$SLIMLINK" size "$f" -d rawsymbols --csv "$@" > syms.csv || fail "size $f $*"
  size_procs syms.csv expected.txt > got.txt
  diff expected.txt got.txt > procs.diff ||
    fail "size $f -d rawsymbols $*: procedures differ from llvm-pdbutil's: $(cat procs.diff)"
  local v
  for v in symbols compileunits crates sections,symbols; do
    size_json "r.$v.json" "$f" "$v" "$@"
    size_sums "r.$v.json" "$f" || fail "size $f -d $v $*: rows do not sum to the totals"
  done
}

# Found at the path the CodeView record names (absolute here), from a copy
# of the program elsewhere.
mkdir elsewhere && cp prog.exe elsewhere/
check_found elsewhere/prog.exe
"$SLIMLINK" size elsewhere/prog.exe -d symbols -v > /dev/null 2> verbose.txt
grep -q "elsewhere/prog.exe: symbols and compile units from $PWD/prog.pdb (found)" verbose.txt ||
  fail "-v does not say which PDB was used: $(cat verbose.txt)"
# Data: the global arrays and the namespace's static counter, sized by
# their types (small: int[5], 20 bytes, then padding up to table at +32).
json_get r.symbols.json "sorted((r['name'], r['vm_size']) for r in d['rows'] if r['name'] in ('small', 'table', 'hello::counter'))" > data.txt
[ "$(cat data.txt)" = "[('hello::counter', 4), ('small', 20), ('table', 256)]" ] || fail "data symbols: $(cat data.txt)"
# -C full (the default) demangles the MSVC C++ and Rust publics.
"$SLIMLINK" size elsewhere/prog.exe -d symbols --csv > full.csv
grep -q '^int __cdecl unused_cxx(int),' full.csv && grep -q '^hello::square,' full.csv ||
  fail "-d symbols does not demangle the publics: $(cat full.csv)"
pass "found by the CodeView path: procedures with llvm-pdbutil's code sizes, data by type, sums"

# Without it: no names (the stripped note), which the test above needs.
mv prog.pdb prog.pdb.away
"$SLIMLINK" size prog.exe -d symbols > nopdb.txt
grep -q "square\|area" nopdb.txt && fail "names without the PDB: $(cat nopdb.txt)"
grep -q "stripped" nopdb.txt || fail "no stripped note without the PDB: $(cat nopdb.txt)"
check_found prog.exe --debug-file prog.pdb.away
mv prog.pdb.away prog.pdb
pass "given by --debug-file; without a PDB the file is said to be stripped"

# Beside the file: by the CodeView record's file name, else as NAME.pdb.
mkdir byname asname
cp alt.exe byname/ && cp alt.pdb byname/alt-name.pdb
cp alt.exe asname/ && cp alt.pdb asname/alt.pdb
check_found byname/alt.exe
check_found asname/alt.exe
"$SLIMLINK" size asname/alt.exe -d symbols -v > /dev/null 2> verbose.txt
grep -q "asname/alt.exe: symbols and compile units from asname/alt.pdb (found)" verbose.txt ||
  fail "-v: $(cat verbose.txt)"
pass "found beside the file, by the CodeView record's name and as NAME.pdb"

# Compile units: the PDB's modules, each with the code and data its
# section contributions give.
units=$(json_get r.compileunits.json "sorted(r['name'] for r in d['rows'] if not r['name'].startswith('['))")
[ "$units" = "['* Linker *', '$PWD/main.obj', '$PWD/shapes.obj']" ] || fail "compile units: $units"
modules=$(llvm-pdbutil-19 dump --modules prog.pdb | sed -n 's/^ *Mod [0-9]* | `\(.*\)`:.*/\1/p' | sort | tr '\n' ,)
[ "$modules" = "* Linker *,$PWD/main.obj,$PWD/shapes.obj," ] || fail "llvm-pdbutil's modules: $modules"
json_get r.compileunits.json "[r['vm_size'] for r in d['rows'] if r['name'].endswith('shapes.obj')][0]" > shapes_vm.txt
procs_vm=$(awk '/^area |^perimeter |^hello::twice |^.unused_cxx/ {s += $NF} END {print s}' expected.txt)
[ "$(cat shapes_vm.txt)" -gt "$procs_vm" ] || fail "shapes.obj's unit: $(cat shapes_vm.txt) bytes, its procedures alone $procs_vm"
pass "compile units: the PDB's modules"

# Crates: the Rust legacy public and the paths the PDB names a local
# function and a static by (hello::counter: 4 bytes) are all crate hello.
json_get r.crates.json "[r['vm_size'] for r in d['rows'] if r['name'] == 'hello']" > hello.txt
want=$(awk '/^_ZN5hello6square|^hello::twice / {s += $NF} END {print s + 4}' expected.txt)
[ "$(cat hello.txt)" = "[$want]" ] || fail "crate hello: $(cat hello.txt), expected $want bytes"
pass "crates: Rust's MSVC names (public and the PDB's path) go to their crate"

# rustc's own MSVC output, where this machine's nightly rustc builds a
# no_core crate for the target (no std for it is installed here): v0
# publics and a local function's path (hello::shapes::twice) are crate hello.
if rustup run nightly rustc --target x86_64-pc-windows-msvc --crate-type=lib --crate-name hello \
    -C opt-level=0 -C debuginfo=2 -C panic=abort --emit=obj -o hello.obj \
    "$SRC/tests/e2e/size_pdb_no_core.rs" 2> rustc.err; then
  lld-link-19 /debug /pdb:rs.pdb /out:rs.exe /entry:main /subsystem:console /nodefaultlib hello.obj
  pdb_procs rs.pdb > rs.expected
  grep -q '^hello::shapes::twice ' rs.expected && grep -q '^_RNv.*5hello6shapes4area ' rs.expected ||
    fail "rustc's PDB has other procedures than expected: $(cat rs.expected)"
  size_json rs.json rs.exe crates
  size_sums rs.json rs.exe || fail "rs.exe -d crates: rows do not sum to the totals"
  want=$(awk '!/^main / {s += $NF} END {print s}' rs.expected)
  got=$(json_get rs.json "[r['vm_size'] for r in d['rows'] if r['name'] == 'hello']")
  [ "$got" = "[$want]" ] || fail "rustc's crate hello: $got, expected $want bytes"
  pass "crates: rustc's MSVC output (v0 publics, a local function's path)"
else
  echo "skipped: nightly rustc builds no no_core crate for x86_64-pc-windows-msvc here: $(head -3 rustc.err)"
fi

# Outside a Rust image, such a path is a C++ function's (or static's).
cat > cmain.c <<'C'
int area(int w, int h);
int main(void) { return area(2, 3); }
C
clang-19 --target=x86_64-pc-windows-msvc -O1 -g -gcodeview -c cmain.c -o cmain.obj
lld-link-19 /debug /pdb:cxx.pdb /out:cxx.exe /entry:main /subsystem:console /nodefaultlib cmain.obj shapes.obj
size_json cxx.json cxx.exe crates
size_sums cxx.json cxx.exe || fail "cxx.exe -d crates: rows do not sum to the totals"
json_get cxx.json "[r['vm_size'] for r in d['rows'] if r['name'] == '[C++]']" > cxx.txt
want=$(awk '/^hello::twice |^.unused_cxx/ {s += $NF} END {print s + 4}' expected.txt)
[ "$(cat cxx.txt)" = "[$want]" ] || fail "[C++] of a C and C++ program: $(cat cxx.txt), expected $want bytes"
pass "crates: a C++ program's PDB names with no public are [C++]"

# Another build's PDB: refused, naming both files; nothing written.
expect_refused() { # PATTERN ARGS...
  local pattern=$1; shift
  set +e; "$SLIMLINK" size "$@" -d symbols --csv=out.csv > stdout.txt 2> stderr.txt; local rc=$?; set -e
  [ "$rc" = 2 ] || fail "size $*: exit status $rc, expected 2 (an error): $(cat stderr.txt)"
  [ "$(wc -l < stderr.txt)" = 1 ] || fail "size $*: more than one line of error: $(cat stderr.txt)"
  grep -q -- "$pattern" stderr.txt || fail "size $*: error does not match '$pattern': $(cat stderr.txt)"
  [ ! -e out.csv ] && [ ! -s stdout.txt ] || fail "size $*: wrote output despite the error"
}
guid='{[0-9A-F-]*} age 1'
expect_refused "other.pdb: is not the debug file of prog.exe: the debug file's GUID and age are $guid, the file's are $guid (its PDB: $PWD/prog.pdb)" \
  prog.exe --debug-file other.pdb
# Found beside the file but of another build: not used, said so on stderr
# (both files, both GUIDs), exit 0.
mkdir swapped && cp alt.exe swapped/ && cp other.pdb swapped/alt.pdb
"$SLIMLINK" size swapped/alt.exe -d symbols --csv > swapped.csv 2> swapped.err ||
  fail "a PDB of another build found: exit status $?"
grep -q area swapped.csv && fail "a PDB of another build was used"
[ "$(grep -c . swapped.err)" = 1 ] &&
  grep -q "^slimlink: note: swapped/alt.pdb is not the debug file of swapped/alt.exe (the debug file's GUID and age are $guid, the file's are $guid.*): passed over, swapped/alt.exe is sized without it" swapped.err ||
  fail "a PDB of another build found: no single note naming both: $(cat swapped.err)"
pass "a PDB of another build is refused, naming both files (found: a note)"

# Not a PDB, truncated, damaged: one clear error naming the file.
expect_refused "main.c: is not the debug file of prog.exe: the debug file is not a readable PDB file (not a PDB file" \
  prog.exe --debug-file main.c
head -c 100 prog.pdb > head.pdb
expect_refused "head.pdb: is not the debug file of prog.exe: the debug file is not a readable PDB file (malformed PDB file" \
  prog.exe --debug-file head.pdb
size=$(stat -c %s prog.pdb)
for cut in 4096 8192 20000 $((size / 2)) $((size - 4096)) $((size - 1)); do
  head -c "$cut" prog.pdb > cut.pdb
  expect_refused "cut.pdb: " prog.exe --debug-file cut.pdb
done
# Damaged bytes anywhere: an error naming the PDB, or (where the damage
# is in bytes no reader looks at) a report; never a crash.
python3 - prog.pdb <<'PY'
import random, sys
data = open(sys.argv[1], 'rb').read()
rng = random.Random(25)
for i in range(60):
    b = bytearray(data)
    for _ in range(rng.choice([1, 4, 32])):
        b[rng.randrange(len(b))] = rng.randrange(256)
    open(f'damaged{i}.pdb', 'wb').write(b)
PY
# And one LLVM's own reader would die of: the info stream's named stream
# map with a capacity of four billion (InfoStream's hash table load
# allocates that many buckets: std::bad_alloc). Only the stream's fixed
# header (GUID, age) is read, and the map as pdb_lines.cc reads it (no
# allocation by its capacity) to find the string table. The views include
# inlines: the PDB's line tables and inline sites are read too.
python3 - prog.pdb damaged60.pdb <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
bs, = struct.unpack_from('<I', b, 32)
dir_block, = struct.unpack_from('<I', b, struct.unpack_from('<I', b, 52)[0] * bs)
d = dir_block * bs
nstreams, size0 = struct.unpack_from('<II', b, d)
blocks0 = 0 if size0 in (0, 0xffffffff) else -(-size0 // bs)
info_block, = struct.unpack_from('<I', b, d + 4 + 4 * nstreams + 4 * blocks0)
info = info_block * bs
names, = struct.unpack_from('<I', b, info + 28)  # the map's string buffer
capacity = info + 28 + 4 + names + 4
assert struct.unpack_from('<I', b, capacity)[0] < 64, "not the map's capacity"
b[capacity + 3] = 0xff
open(sys.argv[2], 'wb').write(b)
PY
for i in $(seq 0 60); do
  set +e; "$SLIMLINK" size prog.exe --debug-file "damaged$i.pdb" -d compileunits,symbols,inlines > /dev/null 2> stderr.txt; rc=$?; set -e
  [ "$rc" = 0 ] || { [ "$rc" = 2 ] && grep -q "damaged$i.pdb" stderr.txt; } ||
    fail "damaged$i.pdb: exit status $rc: $(cat stderr.txt)"
done
pass "a truncated or damaged PDB is one error naming it"
