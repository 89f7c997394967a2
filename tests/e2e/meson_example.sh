#!/usr/bin/env bash
# examples/meson: a custom_target around slimlink shrink and a
# declare_dependency; meson builds the host against the shrunk libraries and
# it prints what the host linked against the originals prints.
source "$(dirname "$0")/lib.sh"
command -v meson > /dev/null || fail "meson is not installed (scripts/setup.sh installs it)"
export PATH="$(dirname "$SLIMLINK"):$PATH"
cd "$WORK"
c="$CORPUS/release"
meson setup build "$SRC/examples/meson" -Dstaticlibs="$c/libalpha.a,$c/libbeta.a,$c/libgamma.a" > setup.log ||
  fail "meson setup: $(tail -10 setup.log)"
meson compile -C build > compile.log || fail "meson compile: $(tail -10 compile.log)"
[ -s build/libcommon.a ] || fail "no shrunk common library in the build"
link_host orig bfd "-DUSE_ALPHA -DUSE_BETA -DUSE_GAMMA" "$c"/lib{alpha,beta,gamma}.a
./orig > expected.txt
build/host | diff -u expected.txt - || fail "the Meson-built host prints something else"
[ "$(stat -c %s build/host)" -lt "$(stat -c %s orig)" ] || fail "the shrunk host is not smaller"
pass "the Meson example shrinks at build time, links and runs"
