#!/usr/bin/env bash
# slimlink size -d inlines: each byte of code charged to the source
# file:line the DWARF line tables give for it, so an always_inline function
# from a header, inlined into two callers, is charged to the header's lines
# in both. Cross-checked with llvm-dwarfdump-19 --debug-line (bytes per
# file:line); the rows sum to the totals; nested views, CSV/TSV/JSON,
# --diff and --source-filter work as with any view. A stripped ELF file with
# its debug file gives the unstripped file's code rows; a Mach-O program's
# lines come from its .dSYM (a PE image's from its PDB: size_inlines_pdb.sh).
# A file without line tables (a stripped file alone, an object) keeps its
# section rows and says so on stderr.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/inlines_lib.sh"
cd "$WORK"

cat > util.h <<'C'
static inline __attribute__((always_inline)) int mix(int x) {
  int y = x * 31 + VARIANT;
  y ^= y >> 3;
  y += y << 5;
  return y ^ (y >> 7);
}
C
cat > main.c <<'C'
#include "util.h"
__attribute__((noinline)) int first(int a) { return mix(a) + 1; }
__attribute__((noinline)) int second(int a, int b) { return mix(a) * mix(b); }
int main(int argc, char **argv) { return first(argc) + second(argc, 3); }
C
gcc -g -O2 -DVARIANT=0 main.c -o prog.full
gcc -g -O2 -DVARIANT=1 main.c -o prog1.full
objcopy --only-keep-debug prog.full prog.debug
cp prog.full prog && strip prog && objcopy --add-gnu-debuglink=prog.debug prog
llvm-readelf-19 -S prog | grep -q '\.debug_line' && fail "prog still has line tables"

# dwarfdump_lines FILE: bytes per "basename:line" from llvm-dwarfdump-19's
# line tables (each row to the next, end_sequence rows ending a sequence),
# sorted; what slimlink's rows must give.
dwarfdump_lines() {
  llvm-dwarfdump-19 --debug-line "$1" | python3 -c '
import re, sys, collections
names, total, prev = {}, collections.Counter(), None
for line in sys.stdin:
    if line.startswith("debug_line["):
        names, prev = {}, None
    m = re.match(r"file_names\[\s*(\d+)\]:", line.strip())
    if m:
        idx = int(m.group(1))
        continue
    m = re.match(r"\s*name: \"(.*)\"", line)
    if m:
        names[idx] = m.group(1).rsplit("/", 1)[-1]
        continue
    m = re.match(r"(0x[0-9a-f]{16})\s+(\d+)\s+\d+\s+(\d+)\s.*", line)
    if not m:
        continue
    addr, ln, f = int(m.group(1), 16), int(m.group(2)), int(m.group(3))
    if prev and addr > prev[0]:
        total[prev[1]] += addr - prev[0]
    prev = None if "end_sequence" in line else (addr, "%s:%d" % (names[f], ln))
for k in sorted(total):
    print(k, total[k])
'
}
# header_bytes CSV: the VM bytes of util.h's rows.
header_bytes() {
  awk -F, '$1 ~ /util\.h:/ { n += $(NF-1) } END { print n + 0 }' "$1"
}

# The header's lines carry the inlined bytes, per file:line as
# llvm-dwarfdump's line table says, and the rows sum to the totals.
"$SLIMLINK" size prog.full -d inlines --csv > full.csv
size_json full.json prog.full inlines
size_sums full.json prog.full || fail "-d inlines: rows do not sum to the totals"
[ "$(header_bytes full.csv)" -ge 16 ] || fail "util.h's lines carry no inlined code: $(cat full.csv)"
grep -q '^main\.c:' full.csv || fail "no main.c rows: $(cat full.csv)"
grep -q '^\[section \.text\],' full.csv || fail "code without lines (crt) is not [section .text]: $(cat full.csv)"
dwarfdump_lines prog.full > expected.lines
slimlink_lines full.csv > got.lines
[ "$(wc -l < expected.lines)" -ge 4 ] || fail "too few lines from llvm-dwarfdump: $(cat expected.lines)"
diff expected.lines got.lines > lines.diff ||
  fail "-d inlines differs from llvm-dwarfdump --debug-line: $(head -20 lines.diff)"
pass "inlined code is charged to the header's lines, as the line table says"

# Nested: inside each caller (symbols) and inside the compile unit.
size_json nested.json prog.full symbols,inlines
size_sums nested.json prog.full || fail "-d symbols,inlines: rows do not sum"
for f in first second; do
  n=$(json_get nested.json "sum(c['vm_size'] for r in d['rows'] if r['name'] == '$f' for c in r['rows'] if c['name'].startswith('util.h:'))")
  [ "$n" -gt 0 ] || fail "$f has no util.h rows in -d symbols,inlines"
done
size_json cu.json prog.full compileunits,inlines
size_sums cu.json prog.full || fail "-d compileunits,inlines: rows do not sum"
n=$(json_get cu.json "sum(c['vm_size'] for r in d['rows'] if r['name'] == 'main.c' for c in r['rows'] if c['name'].startswith('util.h:'))")
[ "$n" = "$(header_bytes full.csv)" ] || fail "main.c's unit holds $n bytes of util.h, -d inlines $(header_bytes full.csv)"
size_json in_sec.json prog.full inlines,sections
size_sums in_sec.json prog.full || fail "-d inlines,sections: rows do not sum"
pass "nested: -d symbols,inlines, -d compileunits,inlines, -d inlines,sections"

# Other outputs, --source-filter and --diff.
"$SLIMLINK" size prog.full -d inlines --tsv | grep -qP '^util\.h:\d+\t\d+\t\d+$' || fail "--tsv has no util.h rows"
"$SLIMLINK" size prog.full -d inlines --source-filter 'util\.h' --json > filtered.json
n=$(json_get filtered.json "d['vm_size']")
[ "$n" = "$(header_bytes full.csv)" ] || fail "--source-filter 'util\\.h' keeps $n VM bytes, util.h has $(header_bytes full.csv)"
"$SLIMLINK" size --diff prog.full prog1.full -d inlines --csv > diff.csv
grep -q '^util\.h:2,' diff.csv || fail "--diff -d inlines does not show util.h:2's change: $(cat diff.csv)"
"$SLIMLINK" size prog1.full -- prog.full -d inlines > /dev/null
pass "--tsv, --json, --source-filter and --diff by inlines"

# Stripped, with its debug file (found by .gnu_debuglink, or given): the
# same code rows as unstripped.
code_rows() { tail -n +2 "$1" | { grep -v '^\[' || true; } | sort; }
for args in "" "--debug-file prog.debug"; do
  # shellcheck disable=SC2086
  "$SLIMLINK" size prog -d inlines --csv $args > stripped.csv
  # shellcheck disable=SC2086
  size_json stripped.json prog inlines $args
  size_sums stripped.json prog || fail "stripped -d inlines $args: rows do not sum"
  diff <(code_rows full.csv) <(code_rows stripped.csv) > rows.diff ||
    fail "stripped prog $args: code rows differ from unstripped: $(head rows.diff)"
done
mkdir alone && cp prog alone/
"$SLIMLINK" size alone/prog -d inlines --csv > alone.csv 2> alone.err
[ -z "$(code_rows alone.csv)" ] || fail "lines without a debug file?"
grep -q "note: alone/prog has no source line tables" alone.err || fail "no note without line tables: $(cat alone.err)"
pass "stripped ELF + debug file: the unstripped file's code rows"

# Mach-O: the linked file has no DWARF; its .dSYM has the line tables.
mkdir macho && cd macho
cp ../util.h ../main.c .
clang-19 --target=arm64-apple-macos11 -g -O2 -DVARIANT=0 -c main.c -o main.o
ld64.lld-19 -arch arm64 -platform_version macos 11.0 11.0 -e _main \
  -undefined dynamic_lookup -o app main.o
dsymutil-19 app -o app.dSYM
llvm-strip-19 app
"$SLIMLINK" size app -d inlines --csv > app.csv
size_json app.json app inlines
size_sums app.json app || fail "Mach-O -d inlines: rows do not sum"
[ "$(header_bytes app.csv)" -ge 8 ] || fail "Mach-O: util.h has no bytes: $(cat app.csv)"
dwarfdump_lines app.dSYM/Contents/Resources/DWARF/app > expected.lines
slimlink_lines app.csv > got.lines
diff expected.lines got.lines > lines.diff ||
  fail "Mach-O -d inlines differs from llvm-dwarfdump of the .dSYM: $(head -20 lines.diff)"
mv app.dSYM away.dSYM
"$SLIMLINK" size app -d inlines --csv --debug-file away.dSYM/Contents/Resources/DWARF/app > given.csv
diff app.csv given.csv > /dev/null || fail "Mach-O --debug-file: rows differ from the .dSYM found"
cd ..
pass "Mach-O: lines from the .dSYM, as llvm-dwarfdump reads them"

# Without line tables: an object: section rows and a note, exit 0.
gcc -g -O2 -DVARIANT=0 -c main.c -o main.o
"$SLIMLINK" size main.o -d inlines > /dev/null 2> obj.err
grep -q "note: main.o: the inlines view reads linked files' DWARF line tables, not objects'" obj.err ||
  fail "object: no note: $(cat obj.err)"
pass "without line tables (an object): section rows and a note"
