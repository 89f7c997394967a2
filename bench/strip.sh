#!/usr/bin/env bash
# Times `slimlink strip` against the objcopy recipe on the same release
# staticlib, in one hyperfine run, and compares output sizes:
#   objcopy --strip-debug -R .llvmbc -R .llvmcmd -R .comment (llvm-objcopy-19:
#   GNU objcopy's LTO plugin chokes on rustc's bitcode, and it rewrites the
#   archive index from what the plugin can read).
# Usage: bench/strip.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-10}
slimlink=$(realpath ../build/slimlink)
ls corpus/lib*.a >/dev/null 2>&1 || ./make_corpus.sh 10
lib=$(ls corpus/lib*.a | head -1)
mkdir -p out results
hyperfine --style basic --warmup 2 --runs "$runs" --export-json results/strip.json \
  -n slimlink "$slimlink strip $lib -o out/strip-slimlink.a" \
  -n llvm-objcopy "llvm-objcopy-19 --strip-debug -R .llvmbc -R .llvmcmd -R .comment $lib out/strip-objcopy.a"
peak() { /usr/bin/time -f %M bash -c "$1" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.0f", $1 / 1024 }'; }
mem_s=$(peak "$slimlink strip $lib -o out/strip-slimlink.a")
mem_o=$(peak "llvm-objcopy-19 --strip-debug -R .llvmbc -R .llvmcmd -R .comment $lib out/strip-objcopy.a")
python3 - "$lib" "$mem_s" "$mem_o" <<'PY'
import json, os, sys
lib, ms, mo = sys.argv[1:4]
r = {x["command"]: x["median"] for x in json.load(open("results/strip.json"))["results"]}
size = lambda p: os.path.getsize(p)
print(f"input: {lib}, {size(lib) / 1e6:.1f} MB\n")
print("| tool | median time ÷ slimlink | output size | peak RSS (MB) |")
print("|---|---|---|---|")
print(f"| slimlink strip | 1.00× | {size('out/strip-slimlink.a') / 1e6:.2f} MB | {ms} |")
print(f"| llvm-objcopy-19 | {r['llvm-objcopy'] / r['slimlink']:.2f}× | {size('out/strip-objcopy.a') / 1e6:.2f} MB | {mo} |")
PY
