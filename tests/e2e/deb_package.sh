#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` from the build directory makes
# slimlink_<version>_amd64.deb; it holds the binaries, the man page, the CMake
# package, the Bazel rule and the README under /usr; its Depends (written by
# dpkg-shlibdeps from the binaries) names only packages of a fresh Debian 12,
# and no LLVM when LLVM is linked statically. Installed without root into a
# prefix of its own (dpkg-deb -x), it runs: --version, and a dedup of two
# corpus staticlibs whose outputs link a host that prints what the host
# linked from the originals prints.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
build_dir=$(dirname "$SLIMLINK")
cpack --config "$build_dir/CPackConfig.cmake" -G DEB -B "$WORK/pkg" > cpack.log 2>&1 ||
  fail "cpack -G DEB: $(tail -5 cpack.log)"
deb=$(ls pkg/slimlink_*_amd64.deb) || fail "no .deb in pkg/: $(ls pkg)"
pass "cpack made $(basename "$deb")"

dpkg-deb -c "$deb" | awk '{print $6}' > contents.txt
for f in usr/bin/slimlink usr/bin/cargo-slimlink usr/share/man/man1/slimlink.1 \
         usr/lib/cmake/slimlink/slimlinkConfig.cmake usr/lib/cmake/slimlink/slimlinkConfigVersion.cmake \
         usr/share/slimlink/WORKSPACE usr/share/slimlink/bazel/defs.bzl usr/share/slimlink/bazel/BUILD \
         usr/share/slimlink/bazel/stubs/rules_cc/cc/defs.bzl usr/share/doc/slimlink/README.md; do
  grep -qx "./$f" contents.txt || fail "the package lacks /$f"
done
pass "the package holds the binaries, the man page, the CMake package, the Bazel rule, the README"

depends=$(dpkg-deb -f "$deb" Depends)
[ -n "$depends" ] || fail "the package has no Depends"
names=$(echo "$depends" | tr ',' '\n' | sed 's/(.*//; s/ //g')
for required in libc6 libstdc++6; do
  echo "$names" | grep -qx "$required" || fail "Depends lacks $required: $depends"
done
if grep -q '^SLIMLINK_STATIC_LLVM:BOOL=OFF' "$build_dir/CMakeCache.txt"; then
  echo "$names" | grep -q '^libllvm19' || fail "a shared-LLVM build's package must depend on libllvm19: $depends"
else
  # What a fresh Debian 12 (debootstrap's minbase) already has.
  extra=$(echo "$names" | grep -vxE 'libc6|libstdc\+\+6|libgcc-s1|libzstd1|zlib1g' || true)
  [ -z "$extra" ] || fail "Depends names more than a fresh Debian 12 has: $extra"
fi
pass "Depends: $depends"

dpkg-deb -x "$deb" root || fail "dpkg-deb -x"
slim="$WORK/root/usr/bin/slimlink"
"$slim" --version | grep -q '^slimlink ' || fail "the installed slimlink --version"
cp "$CORPUS"/release/lib{alpha,beta}.a .
"$slim" dedup --no-progress libalpha.a libbeta.a -o out > dedup.log || fail "the installed slimlink dedup: $(tail -3 dedup.log)"
gcc -DUSE_ALPHA -DUSE_BETA "$HOST_C" libalpha.a libbeta.a -lpthread -ldl -lm -o orig && ./orig > expected.txt
gcc -DUSE_ALPHA -DUSE_BETA "$HOST_C" out/libalpha.a out/libbeta.a out/libcommon.a -lpthread -ldl -lm -o slim ||
  fail "the host does not link against the installed slimlink's dedup"
./slim > got.txt && diff -u expected.txt got.txt || fail "the host linked from the dedup prints otherwise"
pass "installed in a prefix, slimlink runs: --version, dedup of two staticlibs, the host runs right"
