#!/usr/bin/env bash
# Installs what slimlink needs (Debian 12 packages) and builds it into build/.
# Safe to run again: it installs only what is missing and rebuilds only what
# changed.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build g++ pkg-config
  llvm-19-dev llvm-19 libcli11-dev libgtest-dev # build: LLVM Object/Support, CLI11, GoogleTest
  lld binutils gcc clang python3 bc             # tests: link with GNU ld and lld, cross-compile, parse JSON
  lld-19                                        # tests: ld64.lld-19 links Mach-O outputs
  wine64 rustc libstd-rust-dev-windows gcc-mingw-w64-x86-64-posix mingw-w64-x86-64-dev # tests: COFF corpus (Debian's rustc for windows-gnu), MinGW links, running .exe under wine
  man-db meson                                  # tests: the man page (man -l), examples/meson
  librust-inventory-dev librust-flate2-dev      # tests: crate sources for examples/registry (offline cargo)
  librust-pyo3-dev python3-dev                  # tests: Python extension modules (examples/pyo3) for --shared
  clang-19 libclang-rt-19-dev libfuzzer-19-dev  # tests: ASan/UBSan build, libFuzzer targets
  chromium                                      # tests: size --html treemap, headless
  hyperfine time                                # bench/
  bazel-bootstrap                               # tests: the Bazel rule (bazel/defs.bzl), offline
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# cargo and rustc come from rustup in ~/.cargo/bin on these machines.
if ! command -v cargo >/dev/null && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
command -v cargo >/dev/null || { echo "setup: cargo not found (rustup's ~/.cargo/bin)" >&2; exit 1; }

# -g1: line tables and functions, enough for perf and backtraces; full -g
# doubles the compile time (CLI11 and LLVM headers in every file).
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" >/dev/null
cmake --build build
