#!/usr/bin/env bash
# Issue 26, bytes: N Rust plugins that ship as separate shared modules.
# For N = 3 and N = 10 plugins (one rustc), in one run:
#   standalone  each staticlib linked as a cdylib is: -Wl,--gc-sections, a
#               version script exporting its API only, stripped;
#   --shared    slimlink shrink --shared: libcommon.so plus each module linked
#               with the line the report prints, stripped;
#   one object  the limit: ONE shared object holding all N (linked from
#               shrink's static outputs, every API exported, gc-sections,
#               stripped), what a product could load under N names.
# The goal: --shared total <= 1.15x the one object, and each module a small
# fraction of its standalone build. Prints a Markdown table for BENCHMARKS.md.
# Plugins: bench/plugins (pjson pzip psha pregex pnom, over Debian's crate
# sources), examples/rust (alpha beta gamma delta), examples/shared (plug_c).
# Usage: bench/shared.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")"
work=$(realpath -m "${1:-out/shared}")
slimlink=$(realpath ../build/slimlink)
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
mkdir -p "$work/libs"
t=$work/target
(cd plugins && cargo build --offline --quiet --release --target-dir "$t")
cargo build --offline --quiet --release --manifest-path ../examples/rust/Cargo.toml --target-dir "$t"
cargo build --offline --quiet --release --manifest-path ../examples/shared/Cargo.toml --target-dir "$t"
declare -A api=([pjson]=pjson_ [pzip]=pzip_ [psha]=psha_ [pregex]=pregex_ [pnom]=pnom_
                [alpha]=alpha_ [beta]=beta_ [gamma]=gamma_ [delta]=delta_ [plug_c]=c_)
for p in "${!api[@]}"; do cp "$t/release/lib$p.a" "$work/libs/"; done
NATIVE=(-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc)
bytes() { stat -c %s "$@" | paste -sd+ | bc; }

# measure N PLUGINS...: one table row.
measure() {
  local n=$1; shift
  local d=$work/n$n p script libs=()
  rm -rf "$d" && mkdir -p "$d/alone"
  for p in "$@"; do libs+=("$work/libs/lib$p.a"); done
  for p in "$@"; do
    echo "{ global: ${api[$p]}*; local: *; };" > "$d/alone/$p.map"
    gcc -shared -o "$d/alone/$p.so" -Wl,--gc-sections -Wl,--version-script="$d/alone/$p.map" -s \
      -Wl,--whole-archive "$work/libs/lib$p.a" -Wl,--no-whole-archive "${NATIVE[@]}"
  done
  "$slimlink" shrink --shared "${libs[@]}" -o "$d/shared" --json > "$d/shared.json"
  python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["link_lines"]))' "$d/shared.json" |
    while read -r line; do eval "$line -s"; done
  "$slimlink" shrink "${libs[@]}" -o "$d/static" > /dev/null
  script="{ global:"; for p in "$@"; do script+=" ${api[$p]}*;"; done; script+=" local: *; };"
  echo "$script" > "$d/one.map"
  local slims=(); for p in "$@"; do slims+=("$d/static/lib$p.a"); done
  gcc -shared -o "$d/one.so" -Wl,--gc-sections -Wl,--version-script="$d/one.map" -s \
    -Wl,--whole-archive "${slims[@]}" -Wl,--no-whole-archive "$d/static/libcommon.a" "${NATIVE[@]}"
  local alone shared common one modmax=0 frac
  alone=$(bytes "$d"/alone/*.so)
  common=$(bytes "$d/shared/libcommon.so")
  shared=$(bytes "$d"/shared/*.so)
  one=$(bytes "$d/one.so")
  for p in "$@"; do
    frac=$(echo "scale=3; $(bytes "$d/shared/${p#lib}.so") / $(bytes "$d/alone/$p.so")" | bc)
    [ "$(echo "$frac > $modmax" | bc)" = 1 ] && modmax=$frac
  done
  printf '| %s | %s | %s | %s | %s | %s | %.2fx | %s |\n' "$n" "$(printf "%'d" "$alone")" \
    "$(printf "%'d" "$common")" "$(printf "%'d" "$((shared - common))")" "$(printf "%'d" "$shared")" \
    "$(printf "%'d" "$one")" "$(echo "scale=4; $shared / $one" | bc)" "$modmax"
}
echo "| modules | standalone modules | libcommon.so | --shared modules | --shared total | one object (limit) | total / one object | largest module / its standalone |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
measure 3 pjson pzip psha
measure 10 pjson pzip psha pregex pnom alpha beta gamma delta plug_c
