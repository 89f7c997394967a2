#!/usr/bin/env bash
# dedup/shrink --pkg-config NAME: DIR/NAME.pc gives the whole link line
# (slim libraries, then the common one, then the native libraries Rust's std
# needs), with a prefix relative to the file, so the directory can move.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
c="$CORPUS/release"
flags="-DUSE_ALPHA -DUSE_BETA -DUSE_GAMMA"
link_host orig bfd "$flags" "$c"/lib{alpha,beta,gamma}.a
./orig > expected.txt
for verb in dedup shrink; do
  "$SLIMLINK" "$verb" "$c"/lib{alpha,beta,gamma}.a -o "$verb-out" --pkg-config rustset > /dev/null
  [ -s "$verb-out/rustset.pc" ] || fail "$verb: no rustset.pc"
  mv "$verb-out" "moved-$verb" # the prefix is the .pc file's own directory
  libs=$(PKG_CONFIG_PATH="$PWD/moved-$verb" pkg-config --libs --static rustset) ||
    fail "$verb: pkg-config cannot read rustset.pc: $(cat "moved-$verb/rustset.pc")"
  grep -q -- "-lalpha -lbeta -lgamma -lcommon" <<< "$libs" || fail "$verb: link order: $libs"
  for ld in bfd lld; do
    # shellcheck disable=SC2086
    gcc -fuse-ld=$ld $flags "$HOST_C" $libs -o "host-$verb-$ld" || fail "$verb, $ld: the .pc's line does not link"
    "./host-$verb-$ld" | diff -u expected.txt - || fail "$verb, $ld: the host prints something else"
  done
done
pass "dedup and shrink --pkg-config: pkg-config --libs --static links the host (GNU ld, lld)"
