#!/usr/bin/env bash
# Runs every test: sets up (installs packages, builds), then
#  1. ctest in build/: unit tests, the end-to-end tests that build real Rust
#     staticlibs with cargo and link C hosts with GNU ld and lld, and the
#     replay of the fuzz seeds and saved crashes (fuzz/regressions/);
#  2. the same suite again in build-asan/, built with clang-19 and
#     AddressSanitizer + UndefinedBehaviorSanitizer (reusing build/'s
#     staticlibs), so bad input of every verb also runs under the sanitizers;
#  3. a fuzz smoke run: every libFuzzer target, deterministic (fixed seed
#     and number of executions, about 15 s each). The targets are built in
#     build-asan/ too (-DSLIMLINK_FUZZ=ON: the same sanitizers, plus
#     coverage for libFuzzer), so the project is compiled twice, not three
#     times.
# Extra arguments go to both ctest runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if ! command -v cargo >/dev/null && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
(cd build && ctest --output-on-failure -j2 "$@")

echo "== sanitizer build (build-asan/)"
# -O1 and line tables: what ASan's documentation advises; a third less
# compile time than -O2 -g, and stack traces keep their file:line.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
  -DCMAKE_CXX_COMPILER=clang++-19 -DSLIMLINK_SANITIZE=ON -DSLIMLINK_FUZZ=ON \
  -DSLIMLINK_CORPUS="$PWD/build/corpus" >/dev/null
cmake --build build-asan
(cd build-asan &&
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:max_allocation_size_mb=2048 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j2 "$@")

echo "== fuzz smoke (fuzz/run.sh --smoke: fixed seed and executions)"
rm -rf build-fuzz/smoke
fuzz/run.sh --smoke --build build-asan --work build-fuzz/smoke
