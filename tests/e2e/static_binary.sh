#!/usr/bin/env bash
# The self-contained binary (SLIMLINK_STATIC_LLVM, on by default): slimlink
# and cargo-slimlink link LLVM's static libraries, so a machine without
# LLVM (a build farm's remote worker, a fresh Debian) runs them. ldd must
# show no LLVM and nothing beyond libc, libstdc++ and the libraries every
# Debian system has; the binary must run from a directory of its own with
# LLVM's directory hidden from the loader. The sanitizer build links the
# shared libLLVM on purpose (SLIMLINK_STATIC_LLVM=OFF): skipped there.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
build_dir=$(dirname "$SLIMLINK")
if grep -q '^SLIMLINK_STATIC_LLVM:BOOL=OFF' "$build_dir/CMakeCache.txt"; then
  echo "skipped: $build_dir is configured with SLIMLINK_STATIC_LLVM=OFF"
  exit 77
fi

# What a fresh Debian 12 has (libc6, libstdc++6, libgcc-s1, libzstd1).
allowed='^(linux-vdso|/lib64/ld-linux-x86-64|libc|libm|libstdc\+\+|libgcc_s|libzstd)\.so'
for exe in "$SLIMLINK" "$build_dir/cargo-slimlink"; do
  ldd "$exe" > ldd.txt || fail "ldd $exe"
  grep -i llvm ldd.txt && fail "$(basename "$exe") needs LLVM at run time"
  awk '{print $1}' ldd.txt | grep -Ev "$allowed" && fail "$(basename "$exe") needs more than libc, libstdc++ and libzstd"
  readelf -d "$exe" | grep -E 'RPATH|RUNPATH' && fail "$(basename "$exe") has a run path"
  pass "$(basename "$exe"): $(awk '{print $1}' ldd.txt | tr '\n' ' ')"
done

# Runs away from the build tree and from /usr/lib/llvm-19 (were a library
# still loaded from there, LD_DEBUG would show it).
mkdir bin && cp "$SLIMLINK" bin/slimlink
echo 'int one(int x) { return x + 1; }' > one.c && gcc -O2 -c one.c -o one.o
LD_DEBUG=libs bin/slimlink size one.o -d sections --json > size.json 2> loader.log ||
  fail "the copied slimlink did not run: $(tail -3 loader.log)"
grep -q 'llvm' loader.log && fail "the loader looked in LLVM's directory: $(grep llvm loader.log | head -3)"
[ "$(json_get size.json 'd["file_size"]')" = "$(stat -c %s one.o)" ] || fail "size --json of one.o: wrong file size"
bin/slimlink --version | grep -q '^slimlink ' || fail "--version"
pass "runs from a directory of its own, no LLVM loaded"
