#!/usr/bin/env bash
# prune+strip against the recipe (recipe_prune.sh) on one release staticlib,
# and shrink of a set against the recipe applied to each library, in one
# hyperfine run each; prints time ratios, output sizes and peak memory.
# Usage: bench/prune_shrink.sh [RUNS] [N-LIBRARIES-FOR-SHRINK]
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-5} n=${2:-4}
slimlink=$(realpath ../build/slimlink)
ls corpus/lib*.a >/dev/null 2>&1 || ./make_corpus.sh 10
lib=$(ls corpus/lib*.a | head -1)
set_libs=$(ls corpus/lib*.a | head -"$n" | tr '\n' ' ')
mkdir -p out results
prune_cmd="$slimlink prune $lib -o out/p.a >/dev/null && $slimlink strip out/p.a -o out/ps.a >/dev/null"
recipe_cmd="./recipe_prune.sh $lib out/recipe.a"
shrink_cmd="rm -rf out/shrink && $slimlink shrink $set_libs -o out/shrink >/dev/null"
recipe_set_cmd="rm -rf out/recipe-set && mkdir -p out/recipe-set && for l in $set_libs; do ./recipe_prune.sh \$l out/recipe-set/\$(basename \$l); done"
hyperfine --style basic --warmup 1 --runs "$runs" --export-json results/prune.json \
  -n slimlink-prune-strip "$prune_cmd" -n recipe "$recipe_cmd"
hyperfine --style basic --warmup 1 --runs "$runs" --export-json results/shrink.json \
  -n slimlink-shrink "$shrink_cmd" -n recipe-per-library "$recipe_set_cmd"
peak() { /usr/bin/time -f %M bash -c "$1" 2>&1 >/dev/null | sort -n | tail -1 | awk '{ printf "%.0f", $1 / 1024 }'; }
m1=$(peak "$slimlink prune $lib -o out/p.a") m2=$(peak "$slimlink strip out/p.a -o out/ps.a")
m3=$(peak "$recipe_cmd") m4=$(peak "$shrink_cmd") m5=$(peak "$recipe_set_cmd")
python3 - "$lib" "$n" "$m1" "$m2" "$m3" "$m4" "$m5" <<'PY'
import glob, json, os, sys
lib, n, m1, m2, m3, m4, m5 = sys.argv[1:]
def med(f): return {x["command"]: x["median"] for x in json.load(open(f))["results"]}
p, s = med("results/prune.json"), med("results/shrink.json")
size = os.path.getsize
total = lambda d: sum(size(f) for f in glob.glob(d + "/*.a"))
print(f"prune+strip on {lib} ({size(lib) / 1e6:.1f} MB):\n")
print("| | time ÷ slimlink | output | peak RSS (MB) |\n|---|---|---|---|")
print(f"| slimlink prune + strip | 1.00× | {size('out/ps.a') / 1e3:.0f} kB | {max(int(m1), int(m2))} |")
print(f"| recipe (ld -r --gc-sections + objcopy) | {p['recipe'] / p['slimlink-prune-strip']:.2f}× | {size('out/recipe.a') / 1e3:.0f} kB | {m3} |")
print(f"\nshrink of {n} libraries vs the recipe on each:\n")
print("| | time ÷ slimlink | outputs total | peak RSS (MB) |\n|---|---|---|---|")
print(f"| slimlink shrink | 1.00× | {total('out/shrink') / 1e3:.0f} kB | {m4} |")
print(f"| recipe per library | {s['recipe-per-library'] / s['slimlink-shrink']:.2f}× | {total('out/recipe-set') / 1e3:.0f} kB | {m5} |")
PY
