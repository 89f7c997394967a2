#!/usr/bin/env bash
# slimlink size -d inlines of a PE program with its PDB (clang-19
# -gcodeview, lld-link /debug): each byte of code charged to the source
# file:line the PDB gives for it, from its modules' line tables
# (DEBUG_S_LINES) and, for inlined code, its inline sites' line tables
# (S_INLINESITE binary annotations, from the inlinee's first line in
# DEBUG_S_INLINEELINES), the innermost site winning; a table's blocks of
# several files (an #include inside a function) merged. A C++ header's
# functions inlined into two callers (one inside the other) are charged to
# the header's lines, not the callers'. Cross-checked with the line tables
# and inline sites llvm-pdbutil-19 prints (bytes per file:line, computed
# here apart from slimlink); the rows sum to the totals, the same as
# -d sections'; names have DWARF's shape (util.h:3, relative to the
# compile directory). A PDB without line info leaves the code in its
# sections' rows with a note; a damaged PDB is an error naming it or a
# report, never a crash.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/inlines_lib.sh"
cd "$WORK"

cat > util.h <<'CC'
__attribute__((always_inline)) inline int twist(int y) {
  y ^= y >> 3;
  return y + (y << 5);
}
__attribute__((always_inline)) inline int mix(int x) {
  int y = x * 31 + VARIANT;
  y = twist(y);
  return y ^ (y >> 7);
}
CC
# third's body is partly another file's (an #include inside it, not
# inlined): its line table has a block for each stretch of a file
# (main.cc, body.inc, main.cc).
printf '  x = x * 7 + 1;\n  x ^= x >> 5;\n' > body.inc
cat > main.cc <<'CC'
#include "util.h"
__attribute__((noinline)) int first(int a) { return mix(a) + 1; }
__attribute__((noinline)) int second(int a, int b) { return mix(a) * twist(b); }
__attribute__((noinline)) int third(int x) {
  x = first(x) * 5;
#include "body.inc"
  return first(x) + 3;
}
int main(int argc, char **) { return first(argc) + second(argc, 3) + third(argc); }
CC
clang-19 --target=x86_64-pc-windows-msvc -O2 -g -gcodeview -DVARIANT=0 -c main.cc -o main.obj
lld-link-19 /debug /out:prog.exe /entry:main /subsystem:console /nodefaultlib main.obj
[ -f prog.pdb ] || fail "lld-link wrote no prog.pdb"

# pdbutil_lines: bytes per "basename:line" as llvm-pdbutil-19 prints the
# PDB's line tables (each entry to the next, the last to its block's end)
# and inline sites (their rows: "code X ... line N" to the next row or to
# "code end Y"; N counts from the inlinee's first line), each byte to the
# innermost site over it; sorted. What slimlink's rows must give.
pdbutil_lines() {
  llvm-pdbutil-19 dump --l --il --symbols "$1" | python3 -c '
import re, sys, collections
owner = {}       # (section, offset) -> (depth, name): later/deeper wins
def paint(sec, start, end, depth, name):
    for a in range(start, end):
        if (sec, a) not in owner or owner[(sec, a)][0] <= depth:
            owner[(sec, a)] = (depth, name)
base = lambda p: re.split(r"[/\\]", p)[-1]
part, file, inlinees, site, depth, proc = None, None, {}, None, 0, None
tables = {}  # (section, start, end) -> [(offset, name)]
lines = sys.stdin.read().splitlines()
for i, line in enumerate(lines):
    s = line.strip()
    if s in ("Lines", "Inlinee Lines", "Symbols"):
        part = s
        continue
    if part == "Lines":
        m = re.match(r"(\S.*) \((MD5|SHA1|SHA256|None)", s)
        if m and not s.startswith("Mod "):
            file = base(m.group(1))
        m = re.match(r"([0-9A-F]{4}):([0-9A-F]{8})-([0-9A-F]{8}), line/addr entries = \d+", s)
        if m:
            sec, end = int(m.group(1), 16), int(m.group(3), 16)
            entries, k = [], i + 1  # wrapped over lines, up to a blank one
            while k < len(lines) and lines[k].strip():
                entries += re.findall(r"(\d+) ([0-9A-F]{8})", lines[k])
                k += 1
            # One table per procedure, a block per file, each printed
            # with the range of the table: the entries of all its blocks.
            tables.setdefault((sec, int(m.group(2), 16), end), []).extend(
                (int(o, 16), "%s:%s" % (file, l)) for l, o in entries)
    elif part == "Inlinee Lines":
        m = re.match(r"(0x[0-9A-F]+) \|\s+(\d+) \| (.*) \(", s)
        if m:
            inlinees[int(m.group(1), 16)] = (base(m.group(3)), int(m.group(2)))
    elif part == "Symbols":
        m = re.search(r"S_[GL]PROC32(_ID)? ", s)
        if m:
            a = re.search(r"addr = (\d{4}):(\d+), code size = (\d+)", lines[i + 1])
            proc, depth = (int(a.group(1)), int(a.group(2))), 0
        elif "S_INLINESITE_END" in s:
            depth -= 1
        elif "S_INLINESITE " in s:
            depth += 1
            ii = int(re.search(r"inlinee = (0x[0-9A-F]+)", lines[i + 1]).group(1), 16)
            f, first = inlinees[ii]
            row, off = None, 0  # the open row (start, line offset); the offset
            for k in range(i + 2, len(lines)):
                ann = lines[k].strip()
                if not re.match(r"^[0-9A-F]{4}( |$)", ann):
                    break
                e = re.search(r"code end 0x([0-9A-F]+)", ann)
                if e:
                    paint(proc[0], proc[1] + row[0], proc[1] + int(e.group(1), 16), depth, "%s:%d" % (f, first + row[1]))
                    row = None
                    continue
                assert not re.search(r"file|base|length", ann), "annotation not handled here: " + ann
                l = re.search(r"line (-?\d+)", ann)
                if l:
                    off = int(l.group(1))
                c = re.search(r"code 0x([0-9A-F]+)", ann)
                if c:
                    if row:
                        paint(proc[0], proc[1] + row[0], proc[1] + int(c.group(1), 16), depth, "%s:%d" % (f, first + row[1]))
                    row = (int(c.group(1), 16), off)
for (sec, _, end), entries in tables.items():
    rows = sorted(entries, key=lambda e: e[0])  # at one offset: the last
    for k, (o, name) in enumerate(rows):
        paint(sec, o, rows[k + 1][0] if k + 1 < len(rows) else end, 0, name)
total = collections.Counter(name for _, name in owner.values())
for k in sorted(total):
    print(k, total[k])
'
}
# rows_of FILE PREFIX: the VM bytes of the CSV rows whose name starts so.
rows_of() { awk -F, -v p="$2" 'index($1, p) == 1 { n += $2 } END { print n + 0 }' "$1"; }

"$SLIMLINK" size prog.exe -d inlines --csv > inl.csv 2> inl.err
[ ! -s inl.err ] || fail "-d inlines said something on stderr: $(cat inl.err)"
size_json inl.json prog.exe inlines
size_sums inl.json prog.exe || fail "-d inlines: rows do not sum to the totals"
size_json sec.json prog.exe sections
[ "$(json_get inl.json "d['vm_size'], d['file_size']")" = "$(json_get sec.json "d['vm_size'], d['file_size']")" ] ||
  fail "-d inlines' totals differ from -d sections'"
grep -q '^util\.h:[0-9]*,' inl.csv || fail "no util.h rows (names as DWARF's: relative to the compile directory): $(cat inl.csv)"
grep -q '^main\.cc:[0-9]*,' inl.csv || fail "no main.cc rows: $(cat inl.csv)"
pdbutil_lines prog.pdb > expected.lines
slimlink_lines inl.csv > got.lines
grep -q '^util\.h:3 ' expected.lines || fail "llvm-pdbutil shows no inlined twist (util.h:3): $(cat expected.lines)"
grep -q '^body\.inc:2 ' expected.lines || fail "llvm-pdbutil shows no body.inc lines: $(cat expected.lines)"
diff expected.lines got.lines > lines.diff ||
  fail "-d inlines differs from llvm-pdbutil's line tables and inline sites: $(head -20 lines.diff)"
pass "inlined code is charged to the header's lines, as the PDB's line tables and inline sites say"

# The callers' lines lose the inlined bytes: first's line 2, charged the
# whole of first by its line table, keeps only what is not mix's.
whole=$(llvm-pdbutil-19 dump --symbols prog.pdb | python3 -c '
import re, sys
t = sys.stdin.read()
print(re.search(r"S_GPROC32 \[size = \d+\] `first`\n.*code size = (\d+)", t).group(1))')
[ "$(rows_of inl.csv main.cc:2,)" -lt "$whole" ] ||
  fail "main.cc:2 keeps all of first ($whole bytes): $(cat inl.csv)"
[ "$(rows_of inl.csv util.h:)" -ge 16 ] || fail "util.h carries $(rows_of inl.csv util.h:) bytes"
pass "the callers' lines lose what was inlined into them"

# Nested, and the PDB found or given.
size_json nested.json prog.exe symbols,inlines
size_sums nested.json prog.exe || fail "-d symbols,inlines: rows do not sum"
for f in first second; do # "int __cdecl first(int)"
  n=$(json_get nested.json "sum(c['vm_size'] for r in d['rows'] if ' $f(' in r['name'] for c in r['rows'] if c['name'].startswith('util.h:'))")
  [ "$n" -gt 0 ] || fail "$f has no util.h rows in -d symbols,inlines"
done
size_json cu.json prog.exe compileunits,inlines
size_sums cu.json prog.exe || fail "-d compileunits,inlines: rows do not sum"
mkdir away && mv prog.pdb away/
"$SLIMLINK" size prog.exe -d inlines --csv --debug-file away/prog.pdb > given.csv
diff inl.csv given.csv > /dev/null || fail "--debug-file: rows differ from the PDB found"
mv away/prog.pdb .
pass "nested (symbols, compileunits) and with --debug-file"

# A PDB without line info (objects built without -g): section rows, a note.
mkdir nolines && cd nolines
clang-19 --target=x86_64-pc-windows-msvc -O2 -DVARIANT=0 -c ../main.cc -I.. -o main.obj
lld-link-19 /debug /out:plain.exe /entry:main /subsystem:console /nodefaultlib main.obj
"$SLIMLINK" size plain.exe -d inlines --csv > plain.csv 2> plain.err
grep -q "note: plain.exe has no source line tables" plain.err || fail "no note without line info: $(cat plain.err)"
! grep -v '^\[' plain.csv | tail -n +2 | grep -q . || fail "line rows without line info: $(cat plain.csv)"
cd ..
pass "a PDB without line info: section rows and a note"

# Damaged PDBs: an error naming the PDB (exit 2), or a report; never a
# crash. Bytes changed anywhere, and in the module's stream alone (its
# symbol records, line tables, checksums and inlinee lines).
module=$(llvm-pdbutil-19 dump --modules prog.pdb | sed -n 's/.*debug stream: \([0-9]*\),.*/\1/p' | head -1)
[ -n "$module" ] || fail "llvm-pdbutil names no module stream"
python3 - prog.pdb "$module" <<'PY'
import random, struct, sys
data = open(sys.argv[1], 'rb').read()
# The MSF stream directory: the module stream's bytes' offsets in the file.
bs, = struct.unpack_from('<I', data, 32)  # the superblock: block size ...
dir_bytes, _, map_block = struct.unpack_from('<III', data, 44)  # ... directory
n = -(-dir_bytes // bs)
directory = b''.join(data[k * bs:(k + 1) * bs] for k in struct.unpack_from('<%dI' % n, data, map_block * bs))
count, = struct.unpack_from('<I', directory, 0)
sizes = struct.unpack_from('<%dI' % count, directory, 4)
at, want = 4 + 4 * count, int(sys.argv[2])
for i, size in enumerate(sizes):
    k = 0 if size == 0xffffffff else -(-size // bs)
    blocks = struct.unpack_from('<%dI' % k, directory, at)
    at += 4 * k
    if i == want:
        module = [blocks[j // bs] * bs + j % bs for j in range(size)]
rng = random.Random(25)
for i in range(120):
    b = bytearray(data)
    where = module if i % 2 else range(len(b))
    for _ in range(rng.choice([1, 4, 32])):
        b[rng.choice(where)] = rng.randrange(256)
    open(f'damaged{i}.pdb', 'wb').write(b)
PY
for i in $(seq 0 119); do
  set +e; "$SLIMLINK" size prog.exe --debug-file "damaged$i.pdb" -d symbols,inlines > /dev/null 2> stderr.txt; rc=$?; set -e
  [ "$rc" = 0 ] || { [ "$rc" = 2 ] && grep -q "damaged$i.pdb" stderr.txt; } ||
    fail "damaged$i.pdb: exit status $rc: $(cat stderr.txt)"
done
pass "a damaged PDB is an error naming it, or a report"
