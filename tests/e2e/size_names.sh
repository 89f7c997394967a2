#!/usr/bin/env bash
# slimlink size: a row's name identifies it. Within one level no two rows
# have one name: symbols that read the same once demangled (a generic's
# instances in several crates, legacy names that differ only in their
# hash) are one row, as bloaty keys its rows by label. On real Rust
# staticlibs of the corpus, by symbols and nested with crates and members,
# in --json (every level) and --csv (every line's view columns); the rows
# still sum to the totals, and the CSV to the JSON's totals.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
libs=("$CORPUS/release/libalpha.a" "$CORPUS/release/libbeta.a" "$CORPUS/debug/libgamma.a")
args=()
for lib in "${libs[@]}"; do
  for views in symbols crates,symbols members,symbols symbols,sections; do
    base="$(basename "$(dirname "$lib")").$(basename "$lib").$views"
    size_json "$base.json" "$lib" "$views"
    "$SLIMLINK" size "$lib" -d "$views" --csv > "$base.csv" || fail "size $lib -d $views --csv failed"
    args+=("$base" "$lib")
  done
done
size_sums $(printf '%s.json %s\n' "${args[@]}" | awk '{print $1, $2}') ||
  fail "a report's rows do not sum to the totals"
python3 - "${args[@]}" <<'PY' || fail "a name stands on several rows of one level"
import collections, csv, json, sys
args = sys.argv[1:]
bad, seen_legacy = [], 0
for base in args[::2]:
    d = json.load(open(base + ".json"))
    def check(rows, where):
        count = collections.Counter(r["name"] for r in rows)
        dups = [(n, k) for n, k in count.items() if k > 1]
        if dups:
            bad.append(f"{base}.json {where}: {len(dups)} names on several rows, e.g. {dups[:3]}")
        for r in rows:
            if "rows" in r:
                check(r["rows"], where + " > " + r["name"])
    check(d["rows"], "top")
    lines = list(csv.reader(open(base + ".csv")))
    header, body = lines[0], lines[1:]
    nviews = len(d["views"])
    keys = collections.Counter(tuple(l[:nviews]) for l in body)
    dups = [k for k, n in keys.items() if n > 1]
    if dups:
        bad.append(f"{base}.csv: {len(dups)} view columns on several lines, e.g. {dups[:3]}")
    vm = sum(int(l[nviews]) for l in body)
    fs = sum(int(l[nviews + 1]) for l in body)
    if (vm, fs) != (d["vm_size"], d["file_size"]):
        bad.append(f"{base}.csv: lines sum to vm {vm}, file {fs}; totals {d['vm_size']}, {d['file_size']}")
    print(f"{base}: {len(body)} CSV lines, {len(d['rows'])} top rows")
assert not bad, "\n".join(bad)
PY
pass "no name on two rows of a level, in JSON and CSV; rows sum to the totals"
