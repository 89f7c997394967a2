#!/usr/bin/env bash
# Times `slimlink size` against the classic pair `nm -S --size-sort FILE`
# plus `size -A FILE` (GNU binutils, one shell command) on the same file, in
# one hyperfine run, and measures peak memory. Prints a Markdown table of
# ratios for BENCHMARKS.md (> 1: slimlink is faster): of median wall times,
# and of mean CPU times (user + system), which a busy shared machine skews
# less.
# Usage: bench/size.sh [RUNS] [FILE...]
#   default files: the largest binaries with symbols on these machines -
#   rustup's librustc_driver (a Rust binary, 154 MB, full symbol table),
#   rustup's libLLVM.so.22 (C++, 200 MB, full symbol table), and Debian's
#   /usr/lib/llvm-19/lib/libLLVM.so.19.1 (129 MB, dynamic symbols only).
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-10}; shift || true
slimlink=$(realpath ../build/slimlink)
files=("$@")
if ((${#files[@]} == 0)); then
  tc=$(ls -d "$HOME"/.rustup/toolchains/stable-*/lib 2>/dev/null | head -1)
  files=($(ls "$tc"/librustc_driver-*.so "$tc"/libLLVM.so.* 2>/dev/null) /usr/lib/llvm-19/lib/libLLVM.so.19.1)
fi
mkdir -p results

peak() { /usr/bin/time -f %M bash -c "$1" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.0f", $1 / 1024 }'; }

echo "| file | slimlink command | nm+size ÷ slimlink: median wall time | nm+size ÷ slimlink: mean CPU time (user+sys) | peak RSS slimlink / nm+size (MB) |"
echo "|---|---|---|---|---|"
for f in "${files[@]}"; do
  name=$(basename "$f")
  json="results/size-$(echo "$name" | tr -c 'A-Za-z0-9_\n' _).json"
  base="nm -S --size-sort $f > /dev/null; size -A $f > /dev/null"
  hyperfine --style none --warmup 2 --runs "$runs" --export-json "$json" \
    -n sections "$slimlink size $f > /dev/null" \
    -n symbols "$slimlink size $f -d symbols > /dev/null" \
    -n crates,symbols "$slimlink size $f -d crates,symbols > /dev/null" \
    -n nm+size "$base" > /dev/null
  mem_base=$(peak "$base")
  for v in sections symbols crates,symbols; do
    arg=""; [ "$v" = sections ] || arg="-d $v"
    mem=$(peak "$slimlink size $f $arg")
    python3 - "$json" "$v" "$name ($(( $(stat -L -c %s "$f") / 1000000 )) MB)" "$arg" "$mem" "$mem_base" <<'PY'
import json, sys
path, view, name, arg, mem, mem_base = sys.argv[1:]
r = {x["command"]: x for x in json.load(open(path))["results"]}
ratio = r["nm+size"]["median"] / r[view]["median"]
cpu = lambda x: x["user"] + x["system"]
cratio = cpu(r["nm+size"]) / cpu(r[view])
cmd = f"slimlink size {arg}".rstrip()
print(f"| {name} | `{cmd}` | {ratio:.2f}× | {cratio:.2f}× | {mem} / {mem_base} |")
PY
  done
done
