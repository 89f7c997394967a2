#!/usr/bin/env bash
# Late plugins: dedup three libraries, ship them; later a fourth comes along
# and is slimmed against the common library already shipped (dedup --base).
# It links with the three slim libraries and the unchanged common one, with
# GNU ld and lld; no member of its output is one of the base's; the base
# files are byte-identical before and after.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
c="$CORPUS/release"
"$SLIMLINK" dedup "$c/libalpha.a" "$c/libbeta.a" "$c/libgamma.a" -o set > /dev/null
sha256sum set/* > shipped.sha
"$SLIMLINK" dedup --base set/libcommon.a "$c/libdelta.a" -o late --json > late.json
sha256sum -c --quiet shipped.sha || fail "dedup --base changed a base library"
[ "$(json_get late.json "d['mode']")" = base ] || fail "report mode is not 'base'"
grep -q "set/libcommon.a" <<< "$(json_get late.json "d['link_line']")" || fail "the link line does not name the base"

# No output member is byte-identical to a member of the base.
mkdir xb xl && (cd xb && llvm-ar-19 x ../set/libcommon.a) && (cd xl && llvm-ar-19 x ../late/libdelta.a)
[ "$(ls xl | wc -l)" -gt 0 ] || fail "the late library is empty"
python3 - xb xl <<'PY' || fail "an output member is byte-identical to a base member"
import hashlib, os, sys
h = lambda d: {hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest() for f in os.listdir(d)}
assert not (h(sys.argv[1]) & h(sys.argv[2]))
PY
[ "$(stat -c %s late/libdelta.a)" -lt $(( $(stat -c %s "$c/libdelta.a") / 10 )) ] || fail "the late library did not shrink"

flags="-DUSE_ALPHA -DUSE_BETA -DUSE_GAMMA -DUSE_DELTA"
link_host orig bfd "$flags" "$c"/lib{alpha,beta,gamma,delta}.a
./orig > expected.txt
for ld in bfd lld; do
  link_host "host-$ld" "$ld" "$flags" late/libdelta.a set/lib{alpha,beta,gamma}.a set/libcommon.a
  "./host-$ld" | diff -u expected.txt - || fail "$ld: the host prints something else"
done
"$SLIMLINK" verify "$c"/lib{alpha,beta,gamma,delta}.a -- late/libdelta.a set/lib{alpha,beta,gamma}.a set/libcommon.a > verify.txt ||
  fail "verify: $(cat verify.txt)"
# A base is never an output, whatever -o says.
rc=0; "$SLIMLINK" dedup --base set/libcommon.a "$c/libdelta.a" set/libalpha.a -o set > refuse.txt 2>&1 || rc=$?
[ "$rc" != 0 ] && sha256sum -c --quiet shipped.sha || fail "dedup --base wrote over a shipped library"
pass "a late library slimmed against the shipped common library links with it (GNU ld, lld)"
