#!/usr/bin/env bash
# cargo slimlink: in a workspace of staticlib crates, `cargo slimlink shrink
# --release` builds them, shrinks them into target/release/slimlink/, and
# the host links against that and prints what the original build prints.
source "$(dirname "$0")/lib.sh"
export CARGO_NET_OFFLINE=true
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
export PATH="$(dirname "$SLIMLINK"):$PATH" # cargo finds cargo-slimlink on PATH
cd "$WORK"
cp -r "$SRC/examples/rust" ws
(cd ws && cargo slimlink shrink --release > ../shrink.txt 2> ../shrink.err) ||
  fail "cargo slimlink shrink: $(tail -5 shrink.err)"
out=ws/target/release/slimlink
for l in alpha beta gamma delta common; do
  [ -s "$out/lib$l.a" ] || fail "no $out/lib$l.a"
done
grep -q "native libraries" shrink.txt || fail "no native libraries line: $(cat shrink.txt)"
flags="-DUSE_ALPHA -DUSE_BETA -DUSE_GAMMA -DUSE_DELTA"
link_host orig bfd "$flags" ws/target/release/lib{alpha,beta,gamma,delta}.a
./orig > expected.txt
for ld in bfd lld; do
  link_host "host-$ld" "$ld" "$flags" "$out"/lib{alpha,beta,gamma,delta}.a "$out/libcommon.a"
  "./host-$ld" | diff -u expected.txt - || fail "$ld: the host prints something else"
done
sha256sum "$out"/*.a > first.sha
(cd ws && cargo slimlink shrink --release -p alpha -p beta --out ../two > /dev/null 2>&1) || fail "cargo slimlink -p -p --out"
[ -s two/libalpha.a ] && [ -s two/libbeta.a ] && [ ! -e two/libgamma.a ] || fail "-p alpha -p beta: $(ls two)"
(cd ws && cargo slimlink shrink --release > /dev/null 2>&1) && sha256sum -c --quiet first.sha ||
  fail "a second cargo slimlink run wrote other bytes"
rc=0; (cd ws && cargo slimlink squash > /dev/null 2> ../bad.err) || rc=$?
[ "$rc" != 0 ] && grep -q "unexpected 'squash'" bad.err || fail "a bad verb: exit $rc, $(cat bad.err)"
pass "cargo slimlink shrink builds, shrinks and links (GNU ld, lld); -p and --out; same bytes twice"
