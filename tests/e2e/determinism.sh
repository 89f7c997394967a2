#!/usr/bin/env bash
# Two runs (with different thread counts) give byte-identical outputs, and the
# inputs are byte-identical after the runs.
source "$(dirname "$0")/lib.sh"
in=("$CORPUS"/release/lib{alpha,beta,gamma}.a)
sha256sum "${in[@]}" > "$WORK/inputs.sha256"
"$SLIMLINK" dedup "${in[@]}" -o "$WORK/run1" > /dev/null
"$SLIMLINK" -j 1 dedup "${in[@]}" -o "$WORK/run2" > /dev/null
"$SLIMLINK" dedup "${in[@]}" --merge "$WORK/run1/merged.a" > /dev/null
"$SLIMLINK" -j 1 dedup "${in[@]}" --merge "$WORK/run2/merged.a" > /dev/null
# Every other verb, twice, with different thread counts.
for run in run1 run2; do
  j=$([ $run = run1 ] && echo 2 || echo 1)
  "$SLIMLINK" -j $j strip "${in[0]}" -o "$WORK/$run/strip.a" > /dev/null
  "$SLIMLINK" -j $j isolate "${in[0]}" -o "$WORK/$run/isolate.a" > /dev/null
  "$SLIMLINK" -j $j prune "${in[0]}" -o "$WORK/$run/prune.a" > /dev/null
  "$SLIMLINK" -j $j shrink "${in[@]}" -o "$WORK/$run/shrink" > /dev/null
done
for f in "$WORK"/run1/shrink/*; do
  cmp "$f" "$WORK/run2/shrink/$(basename "$f")" || fail "shrink: $(basename "$f") differs between runs"
done
for f in "$WORK"/run1/*.a; do
  cmp "$f" "$WORK/run2/$(basename "$f")" || fail "$(basename "$f") differs between runs"
done
[ "$(ls "$WORK/run1"/*.a | wc -l)" = 8 ] || fail "expected 8 archives, got: $(ls "$WORK/run1")"
sha256sum -c --quiet "$WORK/inputs.sha256" || fail "an input was modified"
# No timestamps, uids or modes in member headers: all zero / 644.
llvm-ar-19 tv "$WORK/run1/libcommon.a" | awk '$2 != "0/0" { bad = 1 } END { exit bad }' ||
  fail "member headers carry uid/gid"
pass "outputs identical across runs; inputs untouched"
