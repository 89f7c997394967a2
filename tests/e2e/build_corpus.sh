#!/usr/bin/env bash
# Test fixture: builds the example Rust staticlibs with cargo in every profile
# the tests need, into $CORPUS/<profile>/lib{alpha,beta,gamma}.a.
set -euo pipefail
: "${SRC:?}" "${CORPUS:?}"
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
mkdir -p "$CORPUS"

build() { # PROFILE CARGO-ARGS... (env overrides set by the caller)
  local profile=$1 dir; shift
  local target="$CORPUS/target-$profile"
  cargo build --offline --quiet --manifest-path "$SRC/examples/rust/Cargo.toml" \
    --target-dir "$target" "$@"
  case " $* " in *" --release "*) dir=release ;; *) dir=debug ;; esac
  mkdir -p "$CORPUS/$profile"
  for lib in alpha beta gamma delta; do
    cp "$target/$dir/lib$lib.a" "$CORPUS/$profile/lib$lib.a"
  done
  echo "built $profile: $(du -ch "$CORPUS/$profile"/*.a | tail -1 | cut -f1)"
}

build release --release
build debug
CARGO_PROFILE_RELEASE_LTO=true build lto --release
CARGO_PROFILE_RELEASE_OPT_LEVEL=z build opt-z --release
CARGO_PROFILE_RELEASE_PANIC=abort build panic-abort --release
