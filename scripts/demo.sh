#!/usr/bin/env bash
# The main job on the bundled examples: builds slimlink and the three example
# Rust staticlibs, dedups them into one common library plus three slim ones,
# links the C host against the outputs, runs it, and prints the report.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"

out=build/demo
rm -rf "$out" && mkdir -p "$out"
echo "== building the example staticlibs (cargo --release)"
cargo build --offline --quiet --release --manifest-path examples/rust/Cargo.toml \
  --target-dir build/examples-target
libs=(build/examples-target/release/lib{alpha,beta,gamma}.a)

echo "== slimlink dedup"
build/slimlink dedup "${libs[@]}" -o "$out/libs" | tee "$out/report.txt"

echo
echo "== linking the C host against the slim libraries + the common library"
gcc examples/host/host.c "$out"/libs/lib{alpha,beta,gamma}.a "$out/libs/libcommon.a" -o "$out/host"
gcc examples/host/host.c "${libs[@]}" -o "$out/host-original"
"$out/host" | tee "$out/host.txt"
"$out/host-original" > "$out/host-original.txt"
if diff -q "$out/host-original.txt" "$out/host.txt" >/dev/null; then
  echo "== the host prints exactly what it prints when linked against the original libraries"
else
  echo "== MISMATCH: the host linked against the outputs prints something else" >&2
  diff -u "$out/host-original.txt" "$out/host.txt" >&2
  exit 1
fi

echo
echo "== slimlink shrink: the whole pipeline (prune, strip, isolate, dedup) over the set"
build/slimlink shrink "${libs[@]}" -o "$out/shrunk" | tee "$out/shrink-report.txt"
gcc examples/host/host.c "$out"/shrunk/lib{alpha,beta,gamma}.a "$out/shrunk/libcommon.a" -o "$out/host-shrunk"
"$out/host-shrunk" > "$out/host-shrunk.txt"
diff -u "$out/host-original.txt" "$out/host-shrunk.txt" >&2 || { echo "== MISMATCH after shrink" >&2; exit 1; }
build/slimlink verify "${libs[@]}" -- "$out"/shrunk/*.a
echo "== inputs $(du -ch "${libs[@]}" | tail -1 | cut -f1), after dedup $(du -ch "$out"/libs/*.a | tail -1 | cut -f1), after shrink $(du -ch "$out"/shrunk/*.a | tail -1 | cut -f1); the host prints the same"
