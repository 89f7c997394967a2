#!/usr/bin/env bash
# Builds the benchmark corpus: N Rust staticlibs (default 10, ~22 MB each,
# release), each a small crate with its own #[no_mangle] API, the way a
# product ships N Rust plugins. Output: DIR/lib*.a (default bench/corpus; not
# committed). std is byte-identical in all of them (one toolchain).
# Usage: bench/make_corpus.sh [N] [DIR]
set -euo pipefail
cd "$(dirname "$0")"
n=${1:-10} dir=${2:-corpus}
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
ws=$dir/src
mkdir -p "$ws" "$dir"
members=""
for i in $(seq -w 1 "$n"); do
  c=plugin$i
  members+="\"$c\","
  mkdir -p "$ws/$c/src"
  cat > "$ws/$c/Cargo.toml" <<TOML
[package]
name = "$c"
version = "0.1.0"
edition = "2021"

[lib]
crate-type = ["staticlib"]
TOML
  cat > "$ws/$c/src/lib.rs" <<RS
use std::collections::BTreeMap;
#[no_mangle]
pub extern "C" fn ${c}_run(n: u32) -> u64 {
    let mut m = BTreeMap::new();
    for k in 0..n as u64 { m.insert(k * $((10#$i)), format!("{k}")); }
    println!("$c: {} entries", m.len());
    m.keys().sum()
}
RS
done
cat > "$ws/Cargo.toml" <<TOML
[workspace]
members = [${members%,}]
resolver = "2"
TOML
cargo build --offline --quiet --release --manifest-path "$ws/Cargo.toml" --target-dir "$dir/target"
ln -f "$dir"/target/release/lib*.a "$dir"/   # hard links: no second copy on disk
du -ch "$dir"/lib*.a | tail -1
