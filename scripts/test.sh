#!/usr/bin/env bash
# Runs every test: sets up (installs packages, builds), then ctest runs the
# unit tests and the end-to-end tests that build real Rust staticlibs with
# cargo, link C hosts with GNU ld and lld, and compare what they print.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if ! command -v cargo >/dev/null && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
cd build
ctest --output-on-failure -j2 "$@"
