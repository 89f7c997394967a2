#!/usr/bin/env bash
# Goal 1 of the shrink-at-scale issue: how close `slimlink shrink` comes to
# the one-crate limit. Builds bench/plugins (five plugin staticlibs over
# Debian's crate sources, and "umbrella", the same five as modules of one
# crate), then measures, in one run:
#   - recipe:   bench/recipe_prune.sh on each plugin (ld -r --gc-sections +
#               objcopy), what a packager does per library;
#   - umbrella: the same recipe on the umbrella crate, API = the five plugins;
#   - shrink:   slimlink shrink of the five plugins.
# For each: archive bytes, and the host (plugins/host.c) linked with
# -Wl,--gc-sections and stripped, with GNU ld and lld; the host's output must
# equal the unmodified build's. Prints a Markdown table for BENCHMARKS.md.
# Usage: bench/shrink_limit.sh [release|lto] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")"
profile=${1:-release} work=$(realpath -m "${2:-out/limit-$profile}")
slimlink=$(realpath ../build/slimlink)
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
plugins="pjson pzip psha pregex pnom"
for crate in serde_json-1 flate2-1 sha2-0.10 regex-1 nom-7 base64-0.13; do
  ls -d /usr/share/cargo/registry/"$crate"* > /dev/null 2>&1 || {
    echo "shrink_limit.sh: /usr/share/cargo/registry has no $crate*: apt-get install librust-serde-json-dev librust-flate2-dev librust-sha2-dev librust-regex-dev librust-nom-dev librust-base64-dev" >&2
    exit 1
  }
done
mkdir -p "$work"
target="$work/target"
lto=false; [ "$profile" = lto ] && lto=true
(cd plugins && CARGO_PROFILE_RELEASE_LTO=$lto cargo build --offline --quiet --release --target-dir "$target")
orig="$work/orig"; rm -rf "$orig" && mkdir -p "$orig"
for p in $plugins umbrella; do cp "$target/release/lib$p.a" "$orig/"; done
origs=$(for p in $plugins; do printf '%s ' "$orig/lib$p.a"; done)

rm -rf "$work/recipe" "$work/umbrella" "$work/shrink"; mkdir -p "$work/recipe" "$work/umbrella"
for p in $plugins; do ./recipe_prune.sh "$orig/lib$p.a" "$work/recipe/lib$p.a"; done
./recipe_prune.sh "$orig/libumbrella.a" "$work/umbrella/libumbrella.a" '^p(json|zip|sha|regex|nom)_run$'
"$slimlink" shrink $origs -o "$work/shrink" --json > "$work/shrink.json"
"$slimlink" verify $origs -- "$work"/shrink/*.a > "$work/verify.txt"

# host LINKER OUT LIBS...: links, strips, runs, compares with the original.
host() {
  local ld=$1 out=$2; shift 2
  gcc -O2 plugins/host.c "$@" -o "$out" -Wl,--gc-sections -s -fuse-ld="$ld" -lm
  "$out" > "$out.txt"
}
status=0
for ld in bfd lld; do
  # The unmodified umbrella is the reference output: with LTO the original
  # plugins do not link together (each carries its own strong std).
  host $ld "$work/host-ref-$ld" "$orig/libumbrella.a"
  rm -f "$work/host-orig-$ld"
  host $ld "$work/host-orig-$ld" $origs 2> "$work/host-orig-$ld.err" || echo "originals do not link with $ld: $(grep -Ec 'multiple definition|duplicate symbol' "$work/host-orig-$ld.err") duplicate definitions" >&2
  host $ld "$work/host-recipe-$ld" "$work"/recipe/*.a
  host $ld "$work/host-umbrella-$ld" "$work/umbrella/libumbrella.a"
  host $ld "$work/host-shrink-$ld" $(for p in $plugins; do printf '%s ' "$work/shrink/lib$p.a"; done) "$work/shrink/libcommon.a"
  for v in orig recipe umbrella shrink; do
    [ -e "$work/host-$v-$ld" ] || continue
    cmp -s "$work/host-ref-$ld.txt" "$work/host-$v-$ld.txt" || { echo "host-$v-$ld: output differs" >&2; status=1; }
  done
done

python3 - "$work" "$profile" <<'PY'
import glob, os, sys
work, profile = sys.argv[1:]
size = os.path.getsize
total = lambda d: sum(size(f) for f in glob.glob(f"{work}/{d}/*.a"))
lim = total("umbrella")
print(f"{profile}: five plugin staticlibs, {total('orig') - size(work + '/orig/libumbrella.a'):,} bytes as built\n")
print("| | archive bytes | ÷ umbrella | host, GNU ld | host, lld |")
print("|---|---:|---:|---:|---:|")
for name, d in [("recipe per library", "recipe"), ("umbrella crate, pruned (the limit)", "umbrella"), ("slimlink shrink", "shrink")]:
    hosts = [size(f"{work}/host-{d}-{ld}") for ld in ("bfd", "lld")]
    print(f"| {name} | {total(d):,} | {total(d) / lim:.2f}× | {hosts[0]:,} | {hosts[1]:,} |")
o = [f"{size(f):,}" if os.path.exists(f := f"{work}/host-orig-{ld}") else "does not link" for ld in ("bfd", "lld")]
print(f"| original libraries | {total('orig') - size(work + '/orig/libumbrella.a'):,} | | {o[0]} | {o[1]} |")
PY
exit $status
