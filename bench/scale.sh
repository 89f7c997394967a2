#!/usr/bin/env bash
# Goal 2 of the shrink-at-scale issue: dedup and shrink of N release
# staticlibs (std byte-identical in all of them) against cp of the inputs,
# side by side in one hyperfine run, with peak RSS as /usr/bin/time reports
# it (mapped input pages count). Then checks every output: byte-identical
# across two runs and across -j 1 / -j 2, verify passes, and a host calling
# every library's API links with GNU ld and lld (--gc-sections) and prints
# what the original libraries' host prints. Prints a Markdown table.
# Usage: bench/scale.sh N [RUNS] [SET-DIR]   (builds the set if missing:
#        bench/make_corpus.sh N SET-DIR; 100 libraries are 2.1 GB)
set -euo pipefail
cd "$(dirname "$0")"
n=${1:-100} runs=${2:-5}
dir=$(realpath -m "${3:-out/set$n}")
slimlink=$(realpath ../build/slimlink)
ls "$dir"/lib*.a > /dev/null 2>&1 || ./make_corpus.sh "$n" "$dir"
mapfile -t libs < <(ls "$dir"/lib*.a | head -n "$n")
[ "${#libs[@]}" = "$n" ] || { echo "$dir holds ${#libs[@]} libraries, not $n" >&2; exit 1; }
out=$(realpath -m "$dir/../scale-out-$n") && rm -rf "$out" && mkdir -p "$out"
bytes=$(stat -c %s "${libs[@]}" | paste -sd+ | bc)
cat "${libs[@]}" > /dev/null # into the page cache, like the warm-up runs

hyperfine -N --style basic --warmup 1 --runs "$runs" --export-json "$out/times.json" \
  --prepare "rm -rf $out/run" \
  -n dedup "$slimlink dedup ${libs[*]} -o $out/run" \
  -n shrink "$slimlink shrink ${libs[*]} -o $out/run" \
  -n cp "bash -c 'mkdir -p $out/run && cp ${libs[*]} $out/run/'"

peak() { # NAME COMMAND...: peak RSS in MB of one run
  rm -rf "$out/run"
  /usr/bin/time -f %M -o "$out/$1.rss" "${@:2}" > /dev/null
  awk '{ printf "%.0f", $1 / 1024 }' "$out/$1.rss"
}
mem_dedup=$(peak dedup "$slimlink" dedup "${libs[@]}" -o "$out/run")
mem_shrink=$(peak shrink "$slimlink" shrink "${libs[@]}" -o "$out/run")
mem_cp=$(peak cp bash -c "mkdir -p $out/run && cp ${libs[*]} $out/run/")
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

python3 - "$out" "$n" "$bytes" "$mem_dedup" "$mem_shrink" "$mem_cp" <<'PY'
import glob, json, os, sys
out, n, nbytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
mem = dict(zip(["dedup", "shrink", "cp"], sys.argv[4:7]))
r = {x["command"]: x for x in json.load(open(f"{out}/times.json"))["results"]}
cp = r["cp"]["median"]
total = lambda d: sum(os.path.getsize(f) for f in glob.glob(f"{out}/{d}/*.a"))
print(f"{n} release staticlibs, {nbytes / 1e9:.2f} GB\n")
print("| command | median time ÷ cp | peak RSS (MB) | outputs |")
print("|---|---:|---:|---:|")
for name in ["dedup", "shrink", "cp"]:
    size = total(name) if name != "cp" else nbytes
    print(f"| {name} | {r[name]['median'] / cp:.2f}× | {mem[name]} | {size / 1e6:.1f} MB |")
for name in ["dedup", "shrink"]:
    d = json.load(open(f"{out}/{name}.json"))
    extra = "".join(f", {k} {d[k]}" for k in ("object_members", "objects_rewritten") if k in d)
    print(f"\n{name}: common library {d['common']['members']} members{extra}", end="")
print()
PY
exit $status
