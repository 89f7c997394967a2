#!/usr/bin/env bash
# slimlink size -d compileunits on a C++ program built with g++ -g: the rows
# name its source files, each with its own functions.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
cat > main.cc <<'CC'
#include <cstdio>
int area(int w, int h);
int main() { std::printf("%d\n", area(6, 7)); }
CC
cat > shapes.cc <<'CC'
static int twice(int x) { return 2 * x; }
int area(int w, int h) { return w * h + twice(w) - twice(w); }
CC
g++ -g -O1 main.cc shapes.cc -o prog
[ "$(./prog)" = 42 ] || fail "test program does not run"
"$SLIMLINK" size prog -d compileunits,symbols --json > units.json
size_sums units.json prog || fail "rows do not sum to the totals"
for u in main.cc shapes.cc; do
  grep -q yes <<< "$(json_get units.json "'yes' if any(r['name'] == '$u' and r['vm_size'] > 0 for r in d['rows']) else 'no'")" || fail "no compile unit row '$u' with code"
done
grep -q "area(int, int)" <<< "$(json_get units.json "[s['name'] for r in d['rows'] if r['name'] == 'shapes.cc' for s in r.get('rows', [])]")" || fail "area(int, int) is not in shapes.cc"
grep -q "'main'" <<< "$(json_get units.json "[s['name'] for r in d['rows'] if r['name'] == 'main.cc' for s in r.get('rows', [])]")" || fail "main is not in main.cc"
[ "$(json_get units.json "d['vm_size']")" = "$(load_vm_size prog)" ] || fail "VM size is not the loaded segments' size"
"$SLIMLINK" size prog -d symbols --json > syms.json
grep -q "area(int, int)" <<< "$(json_get syms.json "[r['name'] for r in d['rows']]")" || fail "C++ symbols are not demangled"
pass "compile units main.cc and shapes.cc, with their functions"

# Objects and archives: an object's bytes go to its compile unit (its name
# needs the object's relocations applied to be read at all).
g++ -g -O1 -c main.cc shapes.cc
rm -f libprog.a && ar rcs libprog.a main.o shapes.o
"$SLIMLINK" size libprog.a -d compileunits --json > ar.json
size_sums ar.json libprog.a || fail "archive rows do not sum to the totals"
names=$(json_get ar.json "sorted(r['name'] for r in d['rows'] if not r['name'].startswith('['))")
[ "$names" = "['main.cc', 'shapes.cc']" ] || fail "archive compile units are $names"
pass "compile units of objects in an archive"

# Split DWARF: the file holds skeleton units only. With the .dwo files
# beside it, units are named from them; without, after their .dwo files.
mkdir split && cd split
cp ../main.cc ../shapes.cc .
g++ -g -gsplit-dwarf -O1 main.cc shapes.cc -o prog
ls ./*.dwo > /dev/null 2>&1 || fail "g++ -gsplit-dwarf wrote no .dwo files"
split_names() { "$SLIMLINK" size prog -d compileunits --json > split.json &&
  json_get split.json "sorted(r['name'] for r in d['rows'] if not r['name'].startswith('[section') and r['name'] not in ('[ELF header]', '[program headers]', '[section headers]', '[padding]', '[unmapped]'))"; }
[ "$(split_names)" = "['main.cc', 'shapes.cc']" ] || fail "split DWARF units with .dwo: $(split_names)"
mkdir away && mv ./*.dwo away/
names=$(split_names)
grep -q "main.dwo" <<< "$names" && grep -q "shapes.dwo" <<< "$names" && ! grep -q unnamed <<< "$names" ||
  fail "split DWARF units without .dwo: $names"
# A package (llvm-dwp) beside the file names them too.
llvm-dwp-19 -e prog -o prog.dwp -- away/*.dwo 2> /dev/null || (cd away && llvm-dwp-19 -e ../prog -o ../prog.dwp)
[ -s prog.dwp ] || fail "llvm-dwp-19 made no package"
[ "$(split_names)" = "['main.cc', 'shapes.cc']" ] || fail "split DWARF units with a .dwp: $(split_names)"
pass "split DWARF: units named from the .dwo files or the .dwp package, or after the .dwo"
