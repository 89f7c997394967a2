#!/usr/bin/env bash
# dedup and shrink of N release staticlibs (std byte-identical in all of
# them) against the floor, `cat` of the inputs to /dev/null (every byte read
# once from the page cache), and against cp, side by side in one hyperfine
# run; with minor page faults and peak RSS as /usr/bin/time reports them
# (median of 3 runs; mapped input pages count in RSS). OLD=path/to/slimlink
# adds that binary's dedup and shrink to the same run. Then checks every
# output: byte-identical across two runs and across -j 1 / -j 2 (and to
# OLD's, if given), verify passes, and a host calling every library's API
# links with GNU ld and lld (--gc-sections) and prints what the original
# libraries' host prints. Prints a Markdown table.
# Usage: [OLD=...] bench/scale.sh N [RUNS] [SET-DIR]   (builds the set if
#        missing: bench/make_corpus.sh N SET-DIR; 100 libraries are 2.1 GB)
set -euo pipefail
cd "$(dirname "$0")"
n=${1:-100} runs=${2:-5}
dir=$(realpath -m "${3:-out/set$n}")
slimlink=$(realpath ../build/slimlink)
old=${OLD:+$(realpath "$OLD")}
ls "$dir"/lib*.a > /dev/null 2>&1 || ./make_corpus.sh "$n" "$dir"
mapfile -t libs < <(ls "$dir"/lib*.a | head -n "$n")
[ "${#libs[@]}" = "$n" ] || { echo "$dir holds ${#libs[@]} libraries, not $n" >&2; exit 1; }
out=$(realpath -m "$dir/../scale-out-$n") && rm -rf "$out" && mkdir -p "$out"
bytes=$(stat -c %s "${libs[@]}" | paste -sd+ | bc)
cat "${libs[@]}" > /dev/null # into the page cache, like the warm-up runs

# The commands: NAME and command line, as hyperfine runs them (-N: no shell;
# hyperfine sends stdout to /dev/null, so `cat` is cat to /dev/null).
names=(dedup shrink) cmds=("$slimlink dedup ${libs[*]} -o $out/run" "$slimlink shrink ${libs[*]} -o $out/run")
if [ -n "$old" ]; then
  names+=("dedup (old)" "shrink (old)")
  cmds+=("$old dedup ${libs[*]} -o $out/run" "$old shrink ${libs[*]} -o $out/run")
fi
names+=(cat cp) cmds+=("cat ${libs[*]}" "bash -c 'mkdir -p $out/run && cp ${libs[*]} $out/run/'")
args=()
for k in "${!names[@]}"; do args+=(-n "${names[$k]}" "${cmds[$k]}"); done
hyperfine -N --style basic --warmup 1 --runs "$runs" --export-json "$out/times.json" \
  --prepare "rm -rf $out/run" "${args[@]}"

# Minor faults and peak RSS (kB): median of 3 runs of each command.
: > "$out/faults.txt"
for k in "${!names[@]}"; do
  for r in 1 2 3; do
    rm -rf "$out/run"
    /usr/bin/time -f "%R %M" -o "$out/one.txt" bash -c "exec ${cmds[$k]} > /dev/null"
    tail -1 "$out/one.txt"
  done | sort -n | sed -n 2p | sed "s/^/$k /" >> "$out/faults.txt"
done
rm -rf "$out/run"

# The outputs: deterministic, verified, linked and run.
status=0
for verb in dedup shrink; do
  "$slimlink" "$verb" "${libs[@]}" -o "$out/$verb" --json > "$out/$verb.json"
  "$slimlink" -j 1 "$verb" "${libs[@]}" -o "$out/$verb-j1" > /dev/null
  "$slimlink" -j 2 "$verb" "${libs[@]}" -o "$out/$verb-j2" > /dev/null
  for f in "$out/$verb"/*.a; do
    b=$(basename "$f")
    cmp -s "$f" "$out/$verb-j1/$b" && cmp -s "$f" "$out/$verb-j2/$b" ||
      { echo "$verb: $b differs across runs or -j" >&2; status=1; }
  done
  rm -rf "$out/$verb-j1" "$out/$verb-j2"
  if [ -n "$old" ]; then
    "$old" "$verb" "${libs[@]}" -o "$out/$verb-old" > /dev/null
    diff -r "$out/$verb" "$out/$verb-old" > /dev/null ||
      { echo "$verb: outputs differ from $old's" >&2; status=1; }
    rm -rf "$out/$verb-old"
  fi
  "$slimlink" verify "${libs[@]}" -- "$out/$verb"/*.a > "$out/$verb.verify" ||
    { echo "$verb: verify failed: $(tail -3 "$out/$verb.verify")" >&2; status=1; }
done
{
  echo '#include <stdint.h>'
  echo '#include <stdio.h>'
  for l in "${libs[@]}"; do c=$(basename "$l" .a); echo "uint64_t ${c#lib}_run(uint32_t);"; done
  echo 'int main(void) {'
  for l in "${libs[@]}"; do c=$(basename "$l" .a); echo "  printf(\"%llu\\n\", (unsigned long long)${c#lib}_run(3));"; done
  echo '  return 0;'
  echo '}'
} > "$out/host.c"
order() { # REPORT.json: the archives of its link line, in order
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join([l["output"] for l in d["libraries"]] + [d["common"]["path"]]))' "$1"
}
for ld in bfd lld; do
  gcc -O2 "$out/host.c" "${libs[@]}" -o "$out/host-orig" -fuse-ld=$ld -Wl,--gc-sections
  "$out/host-orig" > "$out/expected.txt"
  for verb in dedup shrink; do
    # shellcheck disable=SC2046
    gcc -O2 "$out/host.c" $(order "$out/$verb.json") -o "$out/host-$verb" -fuse-ld=$ld -Wl,--gc-sections
    "$out/host-$verb" | cmp -s "$out/expected.txt" - ||
      { echo "$verb, $ld: the host's output differs" >&2; status=1; }
  done
done

python3 - "$out" "$n" "$bytes" "${names[@]}" <<'PY'
import glob, json, os, statistics, sys
out, n, nbytes, names = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
r = {x["command"]: x for x in json.load(open(f"{out}/times.json"))["results"]}
faults = {}
for line in open(f"{out}/faults.txt"):
    k, f, rss = line.split()
    faults[names[int(k)]] = (int(f), int(rss))
floor = r["cat"]["median"]
total = lambda d: sum(os.path.getsize(f) for f in glob.glob(f"{out}/{d}/*.a"))
runs = len(r["cat"]["times"])
print(f"{n} release staticlibs, {nbytes / 1e9:.2f} GB; {runs} runs each\n")
print("| command | median (s) | min–max (s) | median ÷ cat | minor faults | faults per GB | peak RSS (MB) |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name in names:
    t = r[name]["times"]
    f, rss = faults[name]
    print(f"| {name} | {statistics.median(t):.3f} | {min(t):.3f}–{max(t):.3f} | "
          f"{statistics.median(t) / floor:.2f}× | {f:,} | {f * 1e9 / nbytes:,.0f} | {rss / 1024:.0f} |")
print()
for name in ["dedup", "shrink"]:
    d = json.load(open(f"{out}/{name}.json"))
    extra = "".join(f", {k} {d[k]}" for k in ("object_members", "objects_rewritten") if k in d)
    print(f"{name}: outputs {total(name) / 1e6:.1f} MB, common library {d['common']['members']} members{extra}")
PY
exit $status
