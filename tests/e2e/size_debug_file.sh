#!/usr/bin/env bash
# slimlink size of a stripped ELF file whose debug info is kept apart
# (objcopy --only-keep-debug; strip; objcopy --add-gnu-debuglink): its
# symbols and compile units come from the debug file, found by
# .gnu_debuglink, given by --debug-file, or found by build ID under a debug
# root, so that -d symbols and -d compileunits show the same code rows as
# the unstripped file, and every column still sums to its total. A debug
# file of another build is refused, naming both files. Mach-O: the .dSYM.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

cat > main.cc <<'CC'
#include <cstdio>
int area(int w, int h);
int perimeter(int w, int h);
int main(int argc, char **) {
  std::printf("%d %d\n", area(6, 7 + argc - 1), perimeter(6, 7));
}
CC
cat > shapes.cc <<'CC'
static int twice(int x) { return 2 * x; }
int area(int w, int h) { return w * h + twice(w) - twice(w) + VARIANT; }
int perimeter(int w, int h) { return twice(w) + twice(h); }
CC
g++ -g -O1 -DVARIANT=0 main.cc shapes.cc -o prog.full
g++ -g -O1 -DVARIANT=1 main.cc shapes.cc -o other.full
g++ -g -O1 -DVARIANT=0 -Wl,--build-id=none main.cc shapes.cc -o noid.full
[ "$(./prog.full)" = "42 26" ] || fail "test program does not run"

cat > hello.rs <<'RS'
#[inline(never)]
fn square(x: u64) -> u64 { x * x }
#[inline(never)]
fn sum_of_squares(n: u64) -> u64 { (1..=n).map(square).sum() }
fn main() { println!("{}", sum_of_squares(std::env::args().count() as u64 + 2)); }
RS
rustc -g -C opt-level=1 hello.rs -o hello.full
[ "$(./hello.full)" = 14 ] || fail "Rust test program does not run"

# split FULL NAME: NAME (stripped, with .gnu_debuglink) and NAME.debug.
split() {
  objcopy --only-keep-debug "$1" "$2.debug"
  cp "$1" "$2" && strip "$2"
  objcopy --add-gnu-debuglink="$2.debug" "$2"
}
split prog.full prog
split other.full other
split noid.full noid
split hello.full hello
for f in prog hello; do
  llvm-readelf-19 -S "$f" | grep -q '\.symtab' && fail "$f still has a symbol table"
  llvm-readelf-19 -S "$f" | grep -q '\.debug_info' && fail "$f still has debug info"
done
llvm-readelf-19 -n prog | grep -q 'Build ID' || fail "g++ wrote no build ID"

# code_rows CSV [vm]: the named rows of a one-view CSV report (not the
# bracketed ones, whose sizes are the file's own tables and padding), sorted:
# name, VM size and (unless "vm") file size. A compile unit's file bytes
# are its debug info, which the stripped file does not hold: with "vm",
# the units with code, and their VM sizes.
code_rows() {
  python3 - "$@" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))[1:]
vm_only = len(sys.argv) > 2
for r in sorted(r for r in rows if not r[0].startswith('[') and not (vm_only and r[1] == '0')):
    print(r[0], r[1], *([] if vm_only else [r[2]]))
PY
}
# same FULL STRIPPED ARGS...: -d symbols and -d compileunits (or $VIEWS) of
# STRIPPED (with ARGS) show FULL's code rows, and STRIPPED's rows sum to its
# totals.
same() {
  local full=$1 stripped=$2; shift 2
  local view
  for view in ${VIEWS:-symbols compileunits}; do
    size_json "$stripped.$view.json" "$stripped" "$view" "$@"
    size_sums "$stripped.$view.json" "$stripped" || fail "$stripped -d $view $*: rows do not sum to the totals"
    "$SLIMLINK" size "$full" -d "$view" --csv > full.csv
    "$SLIMLINK" size "$stripped" -d "$view" --csv "$@" > stripped.csv
    local vm=; [ "$view" = compileunits ] && vm=vm
    code_rows full.csv $vm > full.rows
    code_rows stripped.csv $vm > stripped.rows
    [ "$(wc -l < full.rows)" -ge 2 ] || fail "$full -d $view: too few named rows: $(cat full.rows)"
    diff full.rows stripped.rows > rows.diff ||
      fail "$stripped -d $view $*: code rows differ from $full's: $(head -20 rows.diff)"
  done
}

# Found by .gnu_debuglink, beside the file.
same prog.full prog
same hello.full hello
"$SLIMLINK" size prog -d symbols -v > /dev/null 2> verbose.txt
grep -q "prog: symbols and compile units from .*prog.debug (found)" verbose.txt ||
  fail "-v does not say which debug file was used: $(cat verbose.txt)"
pass "found by .gnu_debuglink: the same code rows as the unstripped C++ and Rust files"

# In .debug/ beside the file, and under the debug root + the file's directory.
mkdir -p .debug && mv prog.debug .debug/
same prog.full prog
mkdir -p root"$PWD" && mv .debug/prog.debug root"$PWD"/
same prog.full prog --debug-root "$PWD/root"
mv root"$PWD"/prog.debug .
pass "found by .gnu_debuglink in .debug/ and under the debug root"

# Given by --debug-file (away from where .gnu_debuglink would find it), and
# for several inputs, each taking the debug file of its build ID.
mkdir away && mv prog.debug hello.debug away/
"$SLIMLINK" size prog -d symbols --csv > none.csv
code_rows none.csv | grep -q area && fail "the debug file was found though it was moved away"
same prog.full prog --debug-file away/prog.debug
same hello.full hello --debug-file away/hello.debug
"$SLIMLINK" size prog.full hello.full -d symbols --csv > full2.csv
"$SLIMLINK" size prog hello -d symbols --csv --debug-file away/hello.debug --debug-file away/prog.debug > stripped2.csv
code_rows full2.csv > full2.rows && code_rows stripped2.csv > stripped2.rows
diff full2.rows stripped2.rows > rows.diff || fail "two inputs, two --debug-file: rows differ: $(head rows.diff)"
"$SLIMLINK" size prog hello -d symbols -v --debug-file away/hello.debug --debug-file away/prog.debug > /dev/null 2> verbose.txt
grep -q "prog: symbols and compile units from away/prog.debug (--debug-file)" verbose.txt &&
  grep -q "hello: symbols and compile units from away/hello.debug (--debug-file)" verbose.txt ||
  fail "-v with two debug files: $(cat verbose.txt)"
pass "given by --debug-file, one or one per input by build ID"

# Found by build ID under the debug root (a distribution's debug package).
id=$(llvm-readelf-19 -n prog | sed -n 's/.*Build ID: *//p')
mkdir -p "root/.build-id/${id:0:2}"
cp away/prog.debug "root/.build-id/${id:0:2}/${id:2}.debug"
same prog.full prog --debug-root "$PWD/root"
pass "found by build ID under the debug root"

# Another build's debug file: refused, naming both files; nothing written.
expect_refused() { # PATTERN ARGS...
  local pattern=$1; shift
  set +e; "$SLIMLINK" size "$@" -d symbols --csv=out.csv > stdout.txt 2> stderr.txt; local rc=$?; set -e
  [ "$rc" = 2 ] || fail "size $*: exit status $rc, expected 2"
  grep -q -- "$pattern" stderr.txt || fail "size $*: error does not match '$pattern': $(cat stderr.txt)"
  [ ! -e out.csv ] && [ ! -s stdout.txt ] || fail "size $*: wrote output despite the error"
}
expect_refused "other.debug: is not the debug file of prog: the debug file's build ID is [0-9a-f]*, the file's is $id" \
  prog --debug-file other.debug
expect_refused "other.debug: is the debug file of none of the inputs" \
  prog hello --debug-file away/prog.debug --debug-file other.debug
# Not a debug file at all: a device, text, a truncated ELF file.
expect_refused "/dev/null: not a regular file" prog --debug-file /dev/null
expect_refused "main.cc: is not the debug file of prog: the debug file is not an ELF file" \
  prog --debug-file main.cc
head -c 3000 away/prog.debug > truncated.debug
expect_refused "truncated.debug: is not the debug file of prog: the debug file is not a readable ELF file (ELF section header table" \
  prog --debug-file truncated.debug
# Without build IDs: the CRC-32 that .gnu_debuglink names.
objcopy --only-keep-debug prog.full mixed.debug
objcopy --remove-section .note.gnu.build-id mixed.debug
expect_refused "mixed.debug: is not the debug file of noid: the debug file's CRC-32 is [0-9a-f]*, the file's .gnu_debuglink wants" \
  noid --debug-file mixed.debug
same noid.full noid --debug-file noid.debug
# Neither build IDs nor .gnu_debuglink: the file's own (dynamic) symbols
# and the debug file's must agree.
g++ -g -O1 -DVARIANT=0 -Wl,--build-id=none -rdynamic main.cc shapes.cc -o dyn.full
g++ -g -O0 -DVARIANT=0 -Wl,--build-id=none -rdynamic main.cc shapes.cc -o dyn0.full
objcopy --only-keep-debug dyn.full dyn.debug
objcopy --only-keep-debug dyn0.full dyn0.debug
cp dyn.full dyn && strip dyn
same dyn.full dyn --debug-file dyn.debug
expect_refused "dyn0.debug: is not the debug file of dyn: its symbol .* lies at 0x[0-9a-f]*, the file's at 0x" \
  dyn --debug-file dyn0.debug
# Found automatically but of another build: not used, and said so once on
# stderr, naming both files and why; exit 0, the output as without it.
mkdir swapped && cp prog swapped/ && cp other.debug swapped/prog.debug
"$SLIMLINK" size swapped/prog -d symbols --csv > swapped.csv 2> swapped.err ||
  fail "a debug file of another build found: exit status $?"
code_rows swapped.csv | grep -q area && fail "a debug file of another build was used"
other_id=$(llvm-readelf-19 -n other | sed -n 's/.*Build ID: *//p')
[ "$(grep -c . swapped.err)" = 1 ] &&
  grep -qx "slimlink: note: swapped/prog.debug is not the debug file of swapped/prog (the debug file's build ID is $other_id, the file's is $id): passed over, swapped/prog is sized without it" swapped.err ||
  fail "no single note naming both files and the build IDs: $(cat swapped.err)"
# Several inputs are read in parallel: what each says comes out in input
# order, each time.
mkdir swapped2 && cp prog swapped2/ && cp other.debug swapped2/prog.debug
for run in 1 2 3; do
  "$SLIMLINK" size swapped2/prog prog swapped/prog -d symbols -j 2 > /dev/null 2> several.err ||
    fail "several inputs, two with debug files of another build: exit status $?"
  [ "$(sed 's/ is not the debug file.*//' several.err)" = "$(printf 'slimlink: note: %s\n' swapped2/prog.debug swapped/prog.debug)" ] ||
    fail "several inputs: their notes are not one each in input order: $(cat several.err)"
done
mkdir lone && cp prog lone/
"$SLIMLINK" size lone/prog -d symbols --csv > lone.csv 2> lone.err
diff lone.csv swapped.csv > /dev/null || fail "the output differs from the one without a debug file"
[ ! -s lone.err ] || fail "a note without any debug file: $(cat lone.err)"
pass "a debug file of another build is refused, naming both files (found: a note)"

# Mach-O: dsymutil's .dSYM bundle beside the file, or --debug-file its DWARF
# file; one of another build (another LC_UUID) is refused.
mkdir macho && cd macho
cp ../shapes.cc . && cat > main.c <<'C'
int area(int w, int h);
int perimeter(int w, int h);
int main(int argc, char **argv) { return area(argc, 3) + perimeter(argc, 2); }
C
macho_build() { # OUT VARIANT
  clang-19 --target=arm64-apple-macos11 -g -O1 -DVARIANT="$2" -c shapes.cc -o shapes.o
  clang-19 --target=arm64-apple-macos11 -g -O1 -c main.c -o main.o
  ld64.lld-19 -arch arm64 -platform_version macos 11.0 11.0 -e _main \
    -undefined dynamic_lookup -o "$1" main.o shapes.o
  dsymutil-19 "$1" -o "$1.dSYM"
}
macho_build app 0 && mv app app.full
macho_build other 1
mkdir s && cp app.full s/app && llvm-strip-19 s/app && mv app.dSYM s/
cp s/app.dSYM/Contents/Resources/DWARF/app app.dwarf
# The linked file holds no DWARF (it stays in the objects): its units are
# the .dSYM's only.
VIEWS=symbols same app.full s/app
size_json units.json s/app compileunits
size_sums units.json s/app || fail "s/app -d compileunits: rows do not sum to the totals"
units=$(json_get units.json "sorted(r['name'] for r in d['rows'] if not r['name'].startswith('[') and r['vm_size'] > 0)")
[ "$units" = "['main.c', 'shapes.cc']" ] || fail "s/app's compile units from the .dSYM: $units"
"$SLIMLINK" size s/app -d symbols -v > /dev/null 2> verbose.txt
grep -q "s/app: symbols and compile units from s/app.dSYM/Contents/Resources/DWARF/app (found)" verbose.txt ||
  fail "-v does not say which .dSYM was used: $(cat verbose.txt)"
rm -r s/app.dSYM
VIEWS=symbols same app.full s/app --debug-file app.dwarf
expect_refused "other.dSYM/Contents/Resources/DWARF/other: is not the debug file of s/app: the debug file's UUID is [0-9a-f]*, the file's is" \
  s/app --debug-file other.dSYM/Contents/Resources/DWARF/other
# A .dSYM found beside it of another build: passed over with a note.
cp -r other.dSYM s/app.dSYM && mv s/app.dSYM/Contents/Resources/DWARF/other s/app.dSYM/Contents/Resources/DWARF/app
"$SLIMLINK" size s/app -d symbols --csv > swapped.csv 2> swapped.err || fail "a .dSYM of another build found: exit status $?"
grep -q "^slimlink: note: s/app.dSYM/Contents/Resources/DWARF/app is not the debug file of s/app (the debug file's UUID is [0-9a-f]*, the file's is [0-9a-f]*): passed over" swapped.err ||
  fail "a .dSYM of another build: no note: $(cat swapped.err)"
rm -r s/app.dSYM
pass "Mach-O: symbols and compile units from the .dSYM"
