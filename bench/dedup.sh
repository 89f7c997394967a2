#!/usr/bin/env bash
# Times `slimlink dedup` against (1) the packager's shell recipe (ar x,
# sha256sum, ar rcs) and (2) a plain cp of every input into a fresh
# directory, in one hyperfine run on the same corpus, and measures peak
# memory of each. Prints a Markdown table of ratios for BENCHMARKS.md.
# Usage: bench/dedup.sh [RUNS]   (builds the corpus first if missing)
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-10}
slimlink=$(realpath ../build/slimlink)
ls corpus/lib*.a >/dev/null 2>&1 || ./make_corpus.sh 10
libs=$(ls corpus/lib*.a | tr '\n' ' ')
n=$(ls corpus/lib*.a | wc -l)
bytes=$(stat -c %s corpus/lib*.a | paste -sd+ | bc)
out=out
mkdir -p "$out" results

hyperfine --style basic --warmup 2 --runs "$runs" --export-json results/dedup.json \
  --prepare "rm -rf $out/run" \
  -n slimlink "$slimlink dedup $libs -o $out/run" \
  -n recipe "./recipe_dedup.sh $out/run $libs 2>/dev/null" \
  -n cp "mkdir -p $out/run && cp $libs $out/run/"

peak() { # peak RSS in MB of one run of the command
  rm -rf "$out/run"
  /usr/bin/time -f %M bash -c "$1" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.0f", $1 / 1024 }'
}
mem_slim=$(peak "$slimlink dedup $libs -o $out/run")
mem_recipe=$(peak "./recipe_dedup.sh $out/run $libs 2>/dev/null")
mem_cp=$(peak "mkdir -p $out/run && cp $libs $out/run/")
rm -rf "$out/run"
"$slimlink" dedup $libs -o "$out/run" --json > results/dedup-report.json

python3 - "$n" "$bytes" "$mem_slim" "$mem_recipe" "$mem_cp" <<'PY'
import json, sys
n, nbytes, mem = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:6]
r = {x["command"]: x for x in json.load(open("results/dedup.json"))["results"]}
rep = json.load(open("results/dedup-report.json"))
s = r["slimlink"]["median"]
print(f"corpus: {n} Rust staticlibs, {nbytes / 1e6:.1f} MB; outputs {rep['total_after'] / 1e6:.1f} MB "
      f"({100 * rep['total_after'] / nbytes:.1f}% of inputs)\n")
print("| command | median time ÷ slimlink | peak RSS (MB) |")
print("|---|---|---|")
for name, m in zip(["slimlink", "recipe", "cp"], mem):
    print(f"| {name} | {r[name]['median'] / s:.2f}× | {m} |")
PY
