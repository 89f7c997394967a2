#!/usr/bin/env bash
# Runs every verb of one slimlink binary over the e2e corpus and keeps every
# output (archives, reports, size tables) in OUTDIR, so that two builds can be
# compared byte for byte:
#   scripts/verb_outputs.sh OLD/slimlink build/corpus /tmp/old
#   scripts/verb_outputs.sh build/slimlink build/corpus /tmp/new
#   diff -r /tmp/old /tmp/new && echo identical
# A refactor must leave `diff -r` silent.
set -euo pipefail
slimlink=$(realpath "$1") corpus=$(realpath "$2") out=$3
rm -rf "$out" && mkdir -p "$out"
run() { # NAME ARGS... : stdout to NAME.out, exit status to NAME.rc
  local name=$1; shift
  "$slimlink" "$1" --no-progress "${@:2}" > "$out/$name.out" 2> "$out/$name.err" && echo 0 > "$out/$name.rc" ||
    echo $? > "$out/$name.rc"
  # Reports name the output paths; they differ only by $out.
  sed -i "s|$out|OUT|g" "$out/$name.out" "$out/$name.err"
}
for p in release debug lto opt-z panic-abort; do
  libs=("$corpus/$p"/lib{alpha,beta,gamma,delta}.a)
  run "$p-dedup" dedup "${libs[@]}" -o "$out/$p-dedup" --json
  run "$p-merge" dedup "${libs[@]}" --merge "$out/$p-merged.a" --json
  run "$p-shrink" shrink "${libs[@]}" -o "$out/$p-shrink" --json
  for l in alpha beta gamma delta; do
    in="$corpus/$p/lib$l.a"
    run "$p-$l-isolate" isolate "$in" -o "$out/$p-$l-isolated.a" --json
    run "$p-$l-prune" prune "$in" -o "$out/$p-$l-pruned.a" --json
    run "$p-$l-strip" strip "$in" -o "$out/$p-$l-stripped.a" --json
    run "$p-$l-verify" verify --json "$in" -- "$out/$p-$l-pruned.a"
    for v in sections segments symbols crates members compileunits; do
      run "$p-$l-size-$v" size "$in" -d "$v" --json
    done
    run "$p-$l-size-pruned" size "$out/$p-$l-pruned.a" -d sections,symbols --json
  done
done
