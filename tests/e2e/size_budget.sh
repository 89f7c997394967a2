#!/usr/bin/env bash
# slimlink size --budget and --max-growth, on two builds of a small Rust
# program (std, core, alloc and its own crate) made here: every limit kind
# (TOTAL, a crate, a section, an input file, growth of TOTAL and of a row)
# passes at its value exactly and fails one byte under it, with exit status
# 0 and 1; the values are `size --json`'s own. A row that is not there is
# within budget and said so, growth without --diff is not checked, the JSON
# has the verdict; errors (a broken budget file named by line, a missing
# one, options that do not go together, bad input) exit 2 and write nothing.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

cat > old.rs <<'RS'
static TABLE: [u8; 3000] = [7; 3000];
fn main() {
    let i = std::env::args().count();
    println!("{}", TABLE[i % 3000]);
}
RS
cat > new.rs <<'RS'
use std::collections::BTreeMap;
static TABLE: [u8; 9000] = [7; 9000];
fn main() {
    let mut m = BTreeMap::new();
    for a in std::env::args() { m.insert(a.len(), a); }
    println!("{} {:?}", TABLE[m.len() % 9000], m);
}
RS
for v in old new; do
  rustc --edition 2021 --crate-name app -C opt-level=2 "$v.rs" -o "$v" ||
    fail "rustc $v.rs"
done

# value FILE... -- VIEW ROW: the file bytes of ROW in `size FILE... -d VIEW
# --json` (ROW TOTAL: the total), 0 if there is no such row.
value() {
  local files=() ; while [ "$1" != -- ]; do files+=("$1"); shift; done
  "$SLIMLINK" size "${files[@]}" -d "$2" --json |
    python3 -c 'import json, sys
d = json.load(sys.stdin)
row = sys.argv[1]
print(d["file_size"] if row == "TOTAL" else sum(r["file_size"] for r in d["rows"] if r["name"] == row))' "$3"
}

# run STATUS ARGS...: `slimlink size ARGS...`, which must exit with STATUS;
# its output in out.txt, err.txt.
run() {
  local want=$1; shift
  local rc=0
  "$SLIMLINK" size "$@" > out.txt 2> err.txt || rc=$?
  [ "$rc" = "$want" ] ||
    fail "size $*: exit status $rc, want $want: $(head -c 600 err.txt) $(head -c 600 out.txt)"
}

# limit NAME VALUE ARGS...: a budget of the one line "NAME VALUE" holds
# (exit 0), and of "NAME VALUE-1" is exceeded by one byte (exit 1).
limit() {
  local name=$1 v=$2; shift 2
  [ "$v" -gt 0 ] || fail "$name: no bytes to limit ($v)"
  echo "$name $v" > b.txt
  run 0 "$@" --budget b.txt
  grep -q "^within budget: the limit of b.txt holds$" out.txt ||
    fail "$name at $v: $(cat out.txt)"
  printf '# one byte less\n%s %s\n' "$name" "$((v - 1))" > b.txt
  run 1 "$@" --budget b.txt
  grep -F -- "$name " out.txt | grep -Eq " \+1 B +OVER +line 2$" &&
    grep -q "^over budget: 1 of 1 limit exceeded (b.txt)$" out.txt &&
    grep -q "^slimlink: over budget: 1 of 1 limit exceeded (b.txt)$" err.txt ||
    fail "$name at $((v - 1)): $(cat out.txt err.txt)"
  pass "$name: within at $v, over by 1 B at $((v - 1))"
}

limit TOTAL "$(value new -- sections TOTAL)" new
limit crates/std "$(value new -- crates std)" new
limit crates/app "$(value new -- crates app)" new -d sections
limit sections/.text "$(value new -- sections .text)" new -d crates
limit inputfiles/old "$(value old new -- inputfiles old)" old new
# A symbol's row: its name has spaces and ':' (demangled as -C says).
sym=$("$SLIMLINK" size new -d symbols --json | python3 -c 'import json, sys
print(next(r["name"] for r in json.load(sys.stdin)["rows"] if " as " in r["name"] and r["file_size"] > 0 and len(r["name"]) < 90))')
limit "symbols/$sym" "$(value new -- symbols "$sym")" new

# Growth: NEW - OLD, of the total (a budget line or --max-growth) and of a
# row; with --diff, size limits are on NEW.
grow() { echo $(( $(value new -- "$1" "$2") - $(value old -- "$1" "$2") )); }
g=$(grow sections TOTAL); ga=$(grow crates app)
[ "$g" -gt 0 ] && [ "$ga" -gt 0 ] || fail "new is not bigger: $g, $ga"
limit "growth TOTAL" "$g" --diff old new
limit "growth crates/app" "$ga" --diff old new -d crates
limit "growth sections/.rodata" "$(grow sections .rodata)" new -- old
run 0 --diff old new --max-growth "$g"
grep -q "^growth TOTAL .* ok  *--max-growth$" out.txt &&
  grep -q "^within budget: the limit of --max-growth holds$" out.txt || fail "--max-growth $g: $(cat out.txt)"
run 1 --diff old new --max-growth "$((g - 1))"
grep -q "^growth TOTAL .* +1 B  *OVER  *--max-growth$" out.txt || fail "--max-growth $((g - 1)): $(cat out.txt)"
pass "--max-growth: within at $g, over at $((g - 1))"

# Several limits: the exceeded ones first, most exceeded first; a row not
# there is 0 bytes, within budget; a size limit with --diff is on NEW.
cat > b.txt <<B
TOTAL $(value new -- sections TOTAL)
crates/not_linked 1
crates/std 1
growth crates/app 0
B
run 1 --diff old new --budget b.txt -d crates
sed -n '/^limit /,$p' out.txt > verdict.txt
awk 'NR > 2 && !/^over budget/ { print $1, $2 }' verdict.txt | sed 's/ .*//' > order.txt
diff <(printf '%s\n' crates/std growth TOTAL crates/not_linked) order.txt ||
  fail "verdict order: $(cat verdict.txt)"
grep -q "^crates/not_linked .* ok (no such row)  *line 2$" verdict.txt &&
  grep -q "^over budget: 2 of 4 limits exceeded (b.txt)$" verdict.txt || fail "verdict: $(cat verdict.txt)"
# Without --diff, growth limits are listed, not checked.
grep -v std b.txt > b2.txt
run 0 new --budget b2.txt
grep -q "^growth crates/app  *-  *+0 B  *not checked  *line 3$" out.txt &&
  grep -q "1 growth limit not checked (growth needs --diff OLD NEW)" out.txt ||
  fail "growth without --diff: $(cat out.txt)"
pass "verdict: exceeded first, a missing row within, growth unchecked without --diff"

# JSON: the verdict in the top level every verb's report has.
run 1 --diff old new --budget b.txt -d crates --json
python3 - out.txt <<'PY' || fail "JSON verdict: $(cat out.txt)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["verb"] == "size" and d["inputs"] == ["old", "new"], d
assert d["ok"] is False
b = d["budget"]
assert b["file"] == "b.txt" and b["exceeded"] == 2, b
kinds = [(l["kind"], l["path"], l["line"]) for l in b["limits"]]
assert kinds == [("size", "TOTAL", 1), ("size", "crates/not_linked", 2), ("size", "crates/std", 3), ("growth", "crates/app", 4)], kinds
l = b["limits"]
assert l[0]["over"] == 0 and l[0]["value"] == l[0]["limit"]
assert l[1]["found"] is False and l[1]["value"] == 0 and l[1]["over"] == 0
assert l[2]["over"] == l[2]["value"] - 1 and l[2]["found"] is True
assert l[3]["over"] == l[3]["value"] > 0
PY
echo "TOTAL 1G" > big.txt
run 0 new --budget big.txt --json -o within.json
[ ! -s out.txt ] && json_get within.json 'd["ok"]' | grep -qx True || fail "within, -o: $(cat within.json)"
# Over budget, -o still writes the report (for a CI to post it).
rm -f over.md
echo "TOTAL 1" > tiny.txt
run 1 new --budget tiny.txt --markdown -o over.md
grep -q "^### Size budget: \*\*over\*\*" over.md || fail "over budget, -o: $(cat over.md)"
pass "JSON has ok and budget; over budget, -o is still written"

# Errors: exit status 2, the file and line named, nothing written.
err() {
  local want=$1; shift
  rm -f never.out
  run 2 "$@" -o never.out
  grep -qF -- "$want" err.txt && [ ! -e never.out ] && [ ! -s out.txt ] ||
    fail "size $*: $(cat err.txt)"
}
printf 'TOTAL 1M\n\n# crates\ncrate/std 512K\n' > bad.txt
err "slimlink: error: bad.txt: line 4: unknown view 'crate' (views: " new --budget bad.txt
printf 'TOTAL 1M\nsections/.text 12Q\n' > bad.txt
err "slimlink: error: bad.txt: line 2: '12Q' is not a size" new --budget bad.txt
printf 'crates/std 1M\ncrates/std 2M\n' > bad.txt
err "bad.txt: line 2: crates/std has a limit already (line 1)" new --budget bad.txt
printf 'crates/std\n' > bad.txt
err "bad.txt: line 1: 'crates/std' has no size" new --budget bad.txt
err "missing.txt: cannot read the budget" new --budget missing.txt
err "--max-growth limits how much NEW grew: give --diff" new --max-growth 1K
err "--max-growth takes a size" --diff old new --max-growth lots
printf 'growth TOTAL 1K\n' > g.txt
err "--max-growth and g.txt line 1 both limit the growth of TOTAL" --diff old new --budget g.txt --max-growth 2K
err "CSV and TSV have rows only" new --budget g.txt --csv
err "not --duplicates" --duplicates old new --budget g.txt
err "--json and --markdown: choose one" new --json --markdown
# By crate, a stripped NEW has lost its names, not its bytes.
strip -o new.stripped new
printf 'growth crates/app 1M\n' > gc.txt
err "new.stripped has no symbol table (stripped): " --diff old new.stripped --budget gc.txt -d sections
"$SLIMLINK" size --diff old new.stripped --max-growth 1M > /dev/null || fail "--max-growth of a stripped file"
echo "not a binary" > text.txt
err "text.txt: " text.txt --budget g.txt
err "-n takes a number" new -n x
pass "errors exit 2 and write nothing"
