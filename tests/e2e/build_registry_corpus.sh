#!/usr/bin/env bash
# Test fixture: builds the registry example staticlibs (examples/registry:
# inventory, a linkme-style table, flate2) with cargo, offline against
# Debian's crate sources, into $CORPUS/registry/<profile>/lib{inv,tab,zip}.a.
# Each profile has its own target directory, so a second run rebuilds nothing.
# From scratch on 2 idle cores: release ~5 s, lto ~11 s (about twice that
# while another build runs); a second run ~0.1 s.
set -euo pipefail
: "${SRC:?}" "${CORPUS:?}"
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
for crate in inventory-0.3 flate2-1 miniz_oxide- crc32fast-; do
  ls -d /usr/share/cargo/registry/"$crate"* > /dev/null 2>&1 || {
    echo "build_registry_corpus: /usr/share/cargo/registry has no $crate* (scripts/setup.sh installs librust-inventory-dev librust-flate2-dev)" >&2
    exit 1
  }
done

build() { # PROFILE (env overrides set by the caller)
  local profile=$1 target="$CORPUS/target-registry-$1" start=$SECONDS
  # From the workspace: cargo reads .cargo/config.toml (the Debian source)
  # from the current directory up, not from the manifest's.
  (cd "$SRC/examples/registry" && cargo build --offline --quiet --release --target-dir "$target")
  mkdir -p "$CORPUS/registry/$profile"
  for lib in inv tab zip; do
    cp "$target/release/lib$lib.a" "$CORPUS/registry/$profile/lib$lib.a"
  done
  echo "built registry/$profile in $((SECONDS - start)) s: $(du -ch "$CORPUS/registry/$profile"/*.a | tail -1 | cut -f1)"
}

build release
CARGO_PROFILE_RELEASE_LTO=true build lto
