#!/usr/bin/env bash
# slimlink size takes bloaty's options with bloaty's meaning: -s (sort),
# --domain (columns), -w (whole names), --tsv, --source-filter, -C (how the
# symbols view demangles), the rawsymbols/shortsymbols/fullsymbols views,
# `FILE -- BASE` and -v. On a small C++ program with overloads and a
# template, and on a Rust staticlib of the corpus for mangled Rust names.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
cat > prog.cc <<'CC'
#include <cstdio>
#include <vector>
namespace shapes {
int area(int w, int h) { return w * h; }
long area(long w, long h) { return w * h * 2; }
template <class T> T twice(T x) { return x + x; }
struct Box { int w; int size() const { return w * 3; } };
}
int main(int argc, char **) {
  std::vector<int> v(argc);
  shapes::Box b{argc};
  std::printf("%d %ld %d %d %zu\n", shapes::area(argc, 2),
              shapes::area(3L, long(argc)), shapes::twice(argc), b.size(),
              v.size());
}
CC
g++ -O1 -fno-inline prog.cc -o old
g++ -O1 -fno-inline -g prog.cc -o prog
[ "$(./prog)" = "2 6 2 3 1" ] || fail "test program does not run"
size() { "$SLIMLINK" size "$@" || fail "size $* failed"; }

# -s: each order is the rows sorted by its measure, largest first; ties by
# file size, then VM size, then name (by VM: then file size, then name).
for s in file vm both; do size prog -d sections -n 0 -s "$s" --csv > "sort.$s.csv"; done
python3 - <<'PY' || fail "-s does not sort as bloaty"
import csv
rows = {s: [(r[0], int(r[1]), int(r[2])) for r in list(csv.reader(open(f"sort.{s}.csv")))[1:]]
        for s in ("file", "vm", "both")}
key = {"file": lambda r: (-r[2], -r[1], r[0]), "vm": lambda r: (-r[1], -r[2], r[0]),
       "both": lambda r: (-max(r[1], r[2]), -r[2], -r[1], r[0])}
for s, k in key.items():
    assert rows[s] == sorted(rows["file"], key=k), f"-s {s}: {[r[0] for r in rows[s][:5]]}"
assert rows["vm"][0][1] > 0 and rows["file"][0][1] == 0, "file and VM orders do not differ at the top"
assert rows["file"] != rows["vm"]
PY
cmp -s <(size prog -d sections) <(size prog -d sections -s file) || fail "-s file is not the default order"
pass "-s file, vm and both sort by their measure; file is the default"

# --domain: which size columns the table has.
size prog --domain vm > dom.vm; size prog --domain file > dom.file; size prog --domain both > dom.both
head -1 dom.vm | grep -q "VM size" && ! grep -q "file size" dom.vm || fail "--domain vm: $(head -1 dom.vm)"
head -1 dom.file | grep -q "file size" && ! grep -q "VM size" dom.file || fail "--domain file: $(head -1 dom.file)"
cmp -s dom.both <(size prog) || fail "--domain both is not the default table"
[ "$(tail -1 dom.vm | tr -cd % | wc -c)" = 1 ] && [ "$(tail -1 dom.file | tr -cd % | wc -c)" = 1 ] ||
  fail "--domain TOTAL lines: '$(tail -1 dom.vm)', '$(tail -1 dom.file)'"
pass "--domain vm, file and both"

# -w: a name over 100 characters is whole in the table, not cut.
long=$(size prog -d symbols -n 0 --csv | python3 -c '
import csv, sys
print(max((r[0] for r in csv.reader(sys.stdin)), key=len))')
[ "${#long}" -gt 100 ] || fail "no long name to test -w with: $long"
grep -qF -- "$long" <(size prog -d symbols -n 0) && fail "without -w the long name is whole"
grep -qF -- "$long" <(size prog -d symbols -n 0 -w) || fail "-w cuts $long"
pass "-w keeps long names whole"

# --tsv: CSV's lines with tabs for commas (no field here is quoted).
size prog -d segments,sections --csv > t.csv; size prog -d segments,sections --tsv > t.tsv
grep -q '"' t.csv && fail "a quoted CSV field spoils the comparison"
[ "$(head -1 t.tsv)" = "$(printf 'segments\tsections\tvm_size\tfile_size')" ] || fail "TSV header: $(head -1 t.tsv)"
cmp -s <(tr , '\t' < t.csv) t.tsv || fail "--tsv is not CSV with tabs"
pass "--tsv"

# --source-filter: a byte stays if any of its labels matches; the totals are
# of what stays, and the table says what was left out.
size prog -d segments,sections -n 0 --json > all.json
size prog -d segments,sections -n 0 --json --source-filter '^\.debug_' > debug.json
size prog -d segments,sections -n 0 --json --source-filter 'R-X\]' > code.json
size prog -d sections --source-filter '^\.debug_' > debug.table
python3 - <<'PY' || fail "--source-filter does not keep what matches"
import json, re
a, d, c = (json.load(open(f)) for f in ("all.json", "debug.json", "code.json"))
def leaves(rows, path=()):
    for r in rows:
        yield from leaves(r["rows"], path + (r["name"],)) if "rows" in r else [(path + (r["name"],), r["vm_size"], r["file_size"])]
keep = lambda pat: [l for l in leaves(a["rows"]) if any(re.search(pat, n) for n in l[0])]
for rep, pat in ((d, r"^\.debug_"), (c, r"R-X\]")):
    want = keep(pat)
    assert sorted(leaves(rep["rows"])) == sorted(want), (pat, sorted(leaves(rep["rows"]))[:3])
    assert rep["file_size"] == sum(l[2] for l in want) and rep["vm_size"] == sum(l[1] for l in want), pat
    assert 0 < rep["file_size"] < a["file_size"], pat
assert d["vm_size"] == 0 and c["vm_size"] > 0
assert all(l[0][1].startswith(".debug_") for l in leaves(d["rows"]))
# an outer match keeps all that is inside: the code segment's sections
assert len(list(leaves(c["rows"]))) > 1 and all("R-X]" in l[0][0] for l in leaves(c["rows"]))
PY
# all of the VM size (.debug_* has none), some of the file size
vm=$(size prog -d sections | awk '$1 == "TOTAL" {print $2, $3}')
grep -Eq "^--source-filter left out $vm of VM size, [0-9.]+ kB of file size\$" debug.table || fail "no line on what the filter left out: $(tail -1 debug.table)"
pass "--source-filter keeps the matches (at any level) and totals what stays"

# -C and the symbols views: none is mangled, short has no argument lists
# (the two overloads of shapes::area are one row, their sum), full is the
# default.
size prog -d symbols -n 0 --csv > full.csv
size prog -d symbols -n 0 --csv -C none > none.csv
size prog -d symbols -n 0 --csv -C short > short.csv
cmp -s full.csv <(size prog -d symbols -n 0 --csv -C full) || fail "-C full is not the default"
cmp -s full.csv <(size prog -d fullsymbols -n 0 --csv | sed 1s/fullsymbols/symbols/) || fail "fullsymbols is not symbols -C full"
cmp -s none.csv <(size prog -d rawsymbols -n 0 --csv | sed 1s/rawsymbols/symbols/) || fail "rawsymbols is not symbols -C none"
cmp -s short.csv <(size prog -d shortsymbols -n 0 --csv | sed 1s/shortsymbols/symbols/) || fail "shortsymbols is not symbols -C short"
grep -q '^_ZN6shapes4areaEii,' none.csv && grep -q '^_ZN6shapes4areaEll,' none.csv || fail "-C none: no mangled shapes::area"
grep -q '^"shapes::area(int, int)",' full.csv || fail "-C full: no shapes::area(int, int)"
python3 - <<'PY' || fail "-C short is not the names without arguments"
import csv
rows = lambda f: {r[0]: int(r[2]) for r in list(csv.reader(open(f)))[1:]}
full, short = rows("full.csv"), rows("short.csv")
assert short["shapes::area"] == full["shapes::area(int, int)"] + full["shapes::area(long, long)"], short.get("shapes::area")
assert "shapes::Box::size" in short and "shapes::twice" in short, sorted(short)[:20]
bad = [n for n in short if "(" in n or "<" in n]
assert not bad, bad
assert sum(short.values()) == sum(full.values())
PY
lib="$CORPUS/release/libalpha.a"
size "$lib" -d rawsymbols -n 0 --csv > rust.raw.csv
size "$lib" -d shortsymbols -n 0 --csv > rust.short.csv
grep -q '^_R' rust.raw.csv || fail "rawsymbols has no mangled Rust (_R) names"
grep -q '^_R' rust.short.csv && fail "shortsymbols has mangled Rust names"
grep -Eq '::h[0-9a-f]{16}|[A-Za-z0-9_]\[[0-9a-f]+\]' rust.short.csv && fail "shortsymbols has hashes"
grep -q '^core::slice::sort::stable::quicksort::quicksort,' rust.short.csv ||
  fail "shortsymbols keeps generic arguments: $(grep -m1 quicksort rust.short.csv)"
pass "-C none|short|full; rawsymbols, shortsymbols, fullsymbols"

# bloaty's FILE -- BASE is --diff BASE FILE, byte for byte.
for form in "" --csv --tsv; do
  # shellcheck disable=SC2086
  cmp -s <(size prog -- old -d sections $form) <(size --diff old prog -d sections $form) ||
    fail "prog -- old $form differs from --diff old prog"
done
size prog -- old -d sections | grep -q '^\.debug_info' || fail "FILE -- BASE shows no change"
pass "FILE -- BASE"

# -v: what was read on stderr; stdout as without.
size prog -d symbols -v > v.out 2> v.err
cmp -s v.out <(size prog -d symbols) || fail "-v changes the report"
grep -q "^slimlink size: prog: $(stat -c %s prog) bytes" v.err || fail "-v does not name the input: $(head -2 v.err)"
grep -Eq '[0-9]+ sections, [0-9]+ loaded segments, [0-9]+ sized symbols' v.err || fail "-v does not count what it read: $(cat v.err)"
size prog -vv > /dev/null 2> vv.err
grep -q '^    section \.text: ' vv.err || fail "-vv does not list the sections"
pass "-v and -vv"
