#!/usr/bin/env bash
# slimlink why: why the API keeps a symbol (the chain of references from an
# API root to it), and what each API root costs. On the flate2 staticlib
# (examples/registry/zip), whose three roots differ in size:
# zip_compress (deflate) > zip_decompress (inflate) > zip_crc32 (crc32fast).
#   why LIB... SYMBOL... [--api FILE | --api-regex RE] [--json]
#     the chain, one step a line, exit 0; or "not reachable from the API",
#     exit 1. JSON: {"verb", ..., "symbols": [{"symbol", "reachable",
#     "chain": [{"symbol", "demangled", "member", "section"}]}]}, one per
#     symbol asked; chain[0] is the API root, chain[-1] the symbol asked about.
#   why LIB... [--top N] [--json] [--html OUT]
#     JSON: {"roots": [{"symbol", "reachable", "retained"}],
#            "top": [{"symbol", "demangled", "retained"}]}, VM bytes.
source "$(dirname "$0")/lib.sh"
lib="$CORPUS/registry/release/libzip.a"
roots=(zip_compress zip_decompress zip_crc32)
cd "$WORK"

problems=()
problem() { echo "PROBLEM: $*"; problems+=("$*"); }
finish() {
  if ((${#problems[@]})); then
    fail "${#problems[@]} problem(s), each on a PROBLEM line above"
  fi
}

# why ARGS...: runs slimlink why; stdout in why.out, stderr in why.err, the
# exit status in $rc.
why() { rc=0; "$SLIMLINK" why "$@" > why.out 2> why.err || rc=$?; }
# said [N]: the first N lines (default 3) of what it printed, on one line.
said() { cat why.out why.err 2> /dev/null | head -"${1:-3}" | tr '\n' ' ' | cut -c1-400; }
# jcheck EXPR ARGS...: true if the Python EXPR over why.out's JSON `d` (and
# the arguments `a`) holds.
jcheck() {
  python3 -c 'import json, sys; d = json.load(open("why.out")); a = sys.argv[2:]; sys.exit(0 if eval(sys.argv[1]) else 1)' "$@" 2> /dev/null
}

"$SLIMLINK" --help > help.txt 2>&1 || true
grep -Eq '^ +why( |$)' help.txt || fail "this slimlink has no 'why' verb (not in slimlink --help)"

# The full prune (default API: the three roots) says what the API keeps.
"$SLIMLINK" prune "$lib" -o pruned-all.a > /dev/null || fail "prune failed"

# defined ARCHIVE: "mangled<TAB>type<TAB>demangled" per defined symbol.
defined() {
  python3 - "$1" <<'PY'
import subprocess, sys
def nm(*flags):
    out = subprocess.run(["llvm-nm-19", "--defined-only", *flags, sys.argv[1]],
                         capture_output=True, text=True).stdout
    return [l for l in out.splitlines() if l and not l.endswith(":")]
raw, dem = nm(), nm("-C")
assert len(raw) == len(dem), f"nm listed {len(raw)} symbols, nm -C {len(dem)}"
for r, c in zip(raw, dem):
    _, kind, name = r.split(" ", 2)
    print(f"{name}\t{kind}\t{c.split(' ', 2)[2]}")
PY
}
defined "$lib" > in-syms.tsv
defined pruned-all.a > out-syms.tsv
[ "$(wc -l < in-syms.tsv)" -gt 1000 ] || fail "too few symbols listed in $lib"
# demangled_of SYMBOL: llvm-nm's demangled name of SYMBOL in the input.
demangled_of() { awk -F'\t' -v s="$1" '$1 == s { print $3; exit }' in-syms.tsv; }

# a. A symbol the API keeps: a deflate function of miniz_oxide, defined once.
kept=$(python3 - <<'PY'
import collections
rows = [l.rstrip("\n").split("\t") for l in open("in-syms.tsv")]
count = collections.Counter(r[0] for r in rows)
out = {l.split("\t")[0] for l in open("out-syms.tsv")}
cands = [r for r in rows if "miniz_oxide::deflate" in r[2] and r[1] == "T"
         and r[0] in out and count[r[0]] == 1]
cands.sort(key=lambda r: ("compress_inner" not in r[2], r[0]))
print(cands[0][0] if cands else "")
PY
)
[ -n "$kept" ] || fail "no miniz_oxide::deflate function kept by prune"
echo "kept symbol: $kept"
why "$lib" "$kept" --json
if [ "$rc" != 0 ]; then
  problem "a: why KEPT --json: exit $rc, want 0: $(said)"
elif ! python3 - "$kept" <<'PY' > why-a.txt 2>&1; then
import json, sys
d = json.load(open("why.out"))
sym = sys.argv[1]
assert isinstance(d, dict), f"want an object, got {type(d).__name__}"
assert len(d["symbols"]) == 1, f"one symbol: {len(d['symbols'])} answers"
d = d["symbols"][0]
assert d["symbol"] == sym, f"symbol {d['symbol']!r}, want {sym!r}"
assert d["reachable"] is True, "reachable is not true"
ch = d["chain"]
assert len(ch) >= 2, f"chain has {len(ch)} steps"
for step in ch:
    for k in ("symbol", "demangled", "member", "section"):
        assert k in step, f"chain step without {k!r}: {step}"
assert ch[0]["symbol"] == "zip_compress", f"chain[0] is {ch[0]['symbol']!r}, want zip_compress"
assert ch[-1]["symbol"] == sym, f"chain[-1] is {ch[-1]['symbol']!r}"
print(len(ch), ch[-1]["demangled"])
for step in ch:
    print(f"  {step['demangled']}  [{step['member']}({step['section']})]")
PY
  problem "a: why KEPT --json: $(tail -1 why-a.txt)"
else
  sed -n '2,$p' why-a.txt
  steps=$(head -1 why-a.txt | cut -d' ' -f1) demangled=$(head -1 why-a.txt | cut -d' ' -f2-)
  pass "a: $kept is reachable from zip_compress in $steps steps"
fi
cp why.out why-kept.json 2> /dev/null || true
why "$lib" "$kept"
lines=$(grep -c . why.out || true)
if [ "$rc" != 0 ]; then
  problem "a: why KEPT (text): exit $rc, want 0: $(said)"
elif [ "$lines" -lt "${steps:-3}" ] || [ "$lines" -lt 3 ] || ! grep -q zip_compress why.out; then
  problem "a: why KEPT (text): want the chain from zip_compress, one step a line (${steps:-?} steps), got $lines lines: $(said 5)"
else
  pass "a: text chain of $lines lines"
fi

# Not reachable from another root: inflate does not need the deflater.
why "$lib" "$kept" --api-regex '^zip_decompress$'
if [ "$rc" != 1 ] || ! grep -q "not reachable from the API" why.out why.err; then
  problem "a: why KEPT --api-regex ^zip_decompress\$: want exit 1 and 'not reachable from the API', got exit $rc: $(said)"
else
  pass "a: with only zip_decompress as API, $kept is not reachable"
fi

# b. A symbol prune drops: defined (once) in the input, not in the output.
dropped=$(python3 - <<'PY'
import collections
rows = [l.rstrip("\n").split("\t") for l in open("in-syms.tsv")]
count = collections.Counter(r[0] for r in rows)
out = {l.split("\t")[0] for l in open("out-syms.tsv")}
cands = [r for r in rows if r[1] == "T" and r[0] not in out and count[r[0]] == 1]
# Prefer std's (backtrace printing and the like), then anything, by name.
cands.sort(key=lambda r: ("std::" not in r[2], "backtrace" not in r[2], r[0]))
print(cands[0][0] if cands else "")
PY
)
[ -n "$dropped" ] || fail "prune dropped no function"
echo "dropped symbol: $dropped ($(demangled_of "$dropped"))"
why "$lib" "$dropped"
if [ "$rc" != 1 ]; then
  problem "b: why DROPPED: exit $rc, want 1: $(said)"
elif ! grep -q "not reachable from the API" why.out why.err; then
  problem "b: why DROPPED: no 'not reachable from the API' in: $(said)"
else
  pass "b: $dropped is not reachable from the API"
fi
why "$lib" "$dropped" --json
if ! jcheck "d['symbols'][0]['reachable'] is False and d['symbols'][0]['symbol'] == a[0]" "$dropped"; then
  problem "b: why DROPPED --json: want {\"symbol\": \"$dropped\", \"reachable\": false}, got (exit $rc): $(said)"
else
  pass "b: --json says reachable: false"
fi
# Several symbols: one answer each, in the order asked.
why "$lib" "$kept" "$dropped" --json
if ! jcheck "[x['reachable'] for x in d['symbols']] == [True, False] and [x['symbol'] for x in d['symbols']] == a" "$kept" "$dropped" ||
   [ "$rc" -gt 1 ]; then
  problem "b: why KEPT DROPPED --json: want symbols [reachable, not reachable], got (exit $rc): $(said)"
else
  pass "b: two symbols give two answers (exit $rc)"
fi

# c. The demangled name works the same as the mangled one.
[ -n "${demangled:-}" ] || demangled=$(demangled_of "$kept")
echo "demangled: $demangled"
why "$lib" "$demangled" --json
if [ "$rc" != 0 ] || ! jcheck "(d := d['symbols'][0])['reachable'] is True and d['symbol'] == a[0] and d['chain'][0]['symbol'] == 'zip_compress' and d['chain'][-1]['symbol'] == a[0]" "$kept"; then
  problem "c: why DEMANGLED --json: want the same answer as for $kept, got (exit $rc): $(said)"
else
  pass "c: the demangled name finds $kept"
fi
why "$lib" "$demangled"
[ "$rc" = 0 ] && grep -q zip_compress why.out || problem "c: why DEMANGLED (text): exit $rc: $(said)"
demangled_dropped=$(demangled_of "$dropped")
why "$lib" "$demangled_dropped"
[ "$rc" = 1 ] && grep -q "not reachable from the API" why.out why.err ||
  problem "c: why DEMANGLED-DROPPED: want exit 1, 'not reachable from the API'; got exit $rc: $(said)"

# d. Roots: what each root reaches and what only it keeps alive, against
# what prune saves without it.
why "$lib" --json
cp why.out why-roots.json 2> /dev/null || true
if [ "$rc" != 0 ]; then
  problem "d: why LIB --json: exit $rc: $(said)"
else
  all_vm=$("$SLIMLINK" size pruned-all.a --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["vm_size"])')
  for r in "${roots[@]}"; do
    others=$(printf '%s\n' "${roots[@]}" | grep -vx "$r" | paste -sd'|')
    "$SLIMLINK" prune "$lib" -o "pruned-no-$r.a" --api-regex "^($others)\$" > /dev/null || fail "prune without $r failed"
    "$SLIMLINK" size "pruned-no-$r.a" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["vm_size"])' > "vm-no-$r.txt"
  done
  drc=0
  python3 - "$all_vm" "${roots[@]}" <<'PY' > why-d.txt 2>&1 || drc=$?
import json, sys
all_vm, names = int(sys.argv[1]), sys.argv[2:]
d = json.load(open("why.out"))
assert isinstance(d, dict) and "roots" in d and "top" in d, "want an object with roots and top"
got = {r["symbol"]: r for r in d["roots"]}
assert sorted(got) == sorted(names), f"roots {sorted(got)}, want {sorted(names)}"
print(f"{'root':16} {'reachable':>10} {'retained':>10} {'prune saves':>12}")
bad = []
for n in names:
    r = got[n]
    saved = all_vm - int(open(f"vm-no-{n}.txt").read())
    print(f"{n:16} {r['reachable']:>10} {r['retained']:>10} {saved:>12}")
    assert 0 <= r["retained"] <= r["reachable"], f"{n}: retained {r['retained']} vs reachable {r['reachable']}"
    if abs(r["retained"] - saved) > 0.10 * saved + 4096:
        bad.append(f"{n}: retained {r['retained']}, but prune without it saves {saved} VM bytes")
print(f"full prune: {all_vm} VM bytes")
order = sorted(names, key=lambda n: -got[n]["retained"])
print("by retained:", " > ".join(order))
top = d["top"]
assert top, "top is empty"
for t in top:
    for k in ("symbol", "demangled", "retained"):
        assert k in t, f"top entry without {k!r}: {t}"
assert bad == [], "; ".join(bad)
PY
  cat why-d.txt
  if [ "$drc" = 0 ]; then
    pass "d: each root's retained bytes match what prune saves without it"
  else
    problem "d: $(tail -1 why-d.txt)"
  fi
fi
why "$lib" --top 5 --json
if [ "$rc" != 0 ] || ! jcheck "len(d['top']) == 5"; then
  problem "d: why LIB --top 5 --json: want 5 top entries, got (exit $rc): $(said)"
fi
why "$lib"
[ "$rc" = 0 ] && grep -q zip_compress why.out || problem "d: why LIB (text): exit $rc, want the roots: $(said)"

# e. --html: one page; headless Chromium renders it (scripts/setup.sh
# installs chromium: without it the page is unchecked, which is a problem).
why "$lib" --html "$WORK/why.html"
if [ "$rc" != 0 ] || [ ! -s "$WORK/why.html" ] || ! grep -qi '<html' "$WORK/why.html"; then
  problem "e: why LIB --html: want a non-empty HTML page, got exit $rc, $(stat -c %s "$WORK/why.html" 2> /dev/null || echo no) bytes: $(said)"
elif ! command -v chromium > /dev/null; then
  problem "e: chromium is not installed (scripts/setup.sh installs it), so the HTML page is not rendered"
else
  chrome "$WORK/why.html" --screenshot="$WORK/why.png" > /dev/null || true
  if (check_screenshot "$WORK/why.png") > shot.txt 2>&1; then
    pass "e: HTML page ($(stat -c %s "$WORK/why.html") bytes) renders: $(tail -1 shot.txt)"
  else
    problem "e: the HTML page does not render in Chromium: $(tail -1 shot.txt)"
  fi
fi

# f. Bad input: an error naming the file, no crash, no HTML written.
head -c $(($(stat -c %s "$lib") / 2)) "$lib" > truncated.a
for bad in /nonexistent.a "$WORK/truncated.a"; do
  rm -f bad.html
  why "$bad" --html bad.html
  if [ "$rc" = 0 ] || [ "$rc" -ge 128 ]; then
    problem "f: why $bad: exit $rc, want an error (1..127)"
  elif ! grep -qF "$bad" why.err; then
    problem "f: why $bad: the error does not name the file: $(said)"
  elif [ -e bad.html ]; then
    problem "f: why $bad: wrote bad.html anyway"
  else
    pass "f: $(head -1 why.err)"
  fi
done
why "$WORK/truncated.a" zip_compress --json
{ [ "$rc" != 0 ] && [ "$rc" -lt 128 ] && grep -qF truncated.a why.err; } ||
  problem "f: why truncated.a SYMBOL: exit $rc, want an error naming the file: $(said)"

finish
pass "why: chains, unreachable symbols, demangled names, per-root costs, HTML, bad input"
