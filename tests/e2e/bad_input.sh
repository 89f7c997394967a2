#!/usr/bin/env bash
# Bad input gets one clear error naming the file (and member/offset), exit
# status 1 (not a signal), and no output written, not even a temp file — in
# every verb that reads libraries.
source "$(dirname "$0")/lib.sh"
good=$CORPUS/release/libalpha.a other=$CORPUS/release/libbeta.a

# expect_error NAME WANT INPUT...: dedup must fail with WANT in its one error line.
expect_error() {
  local name=$1 want=$2; shift 2
  local out="$WORK/out-$name" rc=0
  mkdir -p "$out" && touch "$out/sentinel"
  "$SLIMLINK" dedup "$@" -o "$out" > "$WORK/$name.stdout" 2> "$WORK/$name.stderr" || rc=$?
  [ "$rc" = 1 ] || fail "$name: exit status $rc, want 1 ($(cat "$WORK/$name.stderr"))"
  [ "$(wc -l < "$WORK/$name.stderr")" = 1 ] || fail "$name: want one error line, got: $(cat "$WORK/$name.stderr")"
  grep -q "^slimlink: error: .*$want" "$WORK/$name.stderr" || fail "$name: want '$want' in: $(cat "$WORK/$name.stderr")"
  [ "$(ls -A "$out")" = sentinel ] || fail "$name: output written: $(ls -A "$out")"
  "$SLIMLINK" dedup "$@" --merge "$WORK/merged-$name.a" 2>/dev/null && fail "$name: --merge succeeded"
  [ ! -e "$WORK/merged-$name.a" ] || fail "$name: --merge wrote output"
  "$SLIMLINK" shrink "$@" -o "$out" 2> "$WORK/$name.shrink.err" && fail "$name: shrink succeeded"
  grep -q "^slimlink: error: .*$want" "$WORK/$name.shrink.err" || fail "$name: shrink: $(cat "$WORK/$name.shrink.err")"
  [ "$(ls -A "$out")" = sentinel ] || fail "$name: shrink wrote output: $(ls -A "$out")"
  "$SLIMLINK" verify "$@" -- "$good" 2> "$WORK/$name.verify.err" >/dev/null && fail "$name: verify succeeded"
  grep -q "^slimlink: error: .*$want" "$WORK/$name.verify.err" || fail "$name: verify: $(cat "$WORK/$name.verify.err")"
  # The single-library verbs, on the bad library.
  local bad f verb rc
  for f in "$@"; do [ "$f" = "$good" ] || [ "$f" = "$other" ] || bad=$f; done
  for verb in strip isolate prune; do
    rc=0
    "$SLIMLINK" "$verb" "$bad" -o "$out/$verb.a" 2> "$WORK/$name.$verb.err" || rc=$?
    # (other-arch-input's lone archive is valid on its own: only mixing fails)
    [ "$name" = other-arch-input ] && continue
    [ "$rc" = 1 ] || fail "$name: $verb exit status $rc: $(cat "$WORK/$name.$verb.err")"
    [ "$(wc -l < "$WORK/$name.$verb.err")" = 1 ] || fail "$name: $verb: want one error line: $(cat "$WORK/$name.$verb.err")"
    grep -q "^slimlink: error: .*$(basename "$bad")" "$WORK/$name.$verb.err" || fail "$name: $verb: $(cat "$WORK/$name.$verb.err")"
    [ "$(ls -A "$out")" = sentinel ] || fail "$name: $verb wrote output: $(ls -A "$out")"
  done
  case "$(ls "$WORK")" in *slimlink-tmp*) fail "$name: temp file left behind" ;; esac
  pass "$name: $(cat "$WORK/$name.stderr")"
}

# A small archive of two C objects to damage by hand.
printf 'int one(void) { return 1; }\n' > "$WORK/one.c"
printf 'int two(void) { return 2; }\n' > "$WORK/two.c"
gcc -c "$WORK/one.c" -o "$WORK/one.o" && gcc -c "$WORK/two.c" -o "$WORK/two.o"
llvm-ar-19 rcs "$WORK/small.a" "$WORK/one.o" "$WORK/two.o"
# patch FILE OFFSET TEXT: overwrite bytes in place.
patch_at() { printf '%s' "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
# Offset of a member's header: after "!<arch>\n", the index, then members.
member_header() { llvm-ar-19 t "$1" >/dev/null; python3 - "$1" "$2" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read(); want = sys.argv[2].encode()
off = 8
while off + 60 <= len(data):
    name = data[off:off + 16].rstrip(b' ')
    size = int(data[off + 48:off + 58])
    if name.rstrip(b'/') == want: print(off); break
    off += 60 + size + (size & 1)
PY
}

echo "just text" > "$WORK/not-an-archive.a"
expect_error not-archive "not-an-archive.a: not an archive" "$WORK/not-an-archive.a" "$good"

head -c 10000000 "$good" > "$WORK/truncated.a"
expect_error truncated "truncated.a: .*offset 0x" "$good" "$WORK/truncated.a"

cp "$WORK/small.a" "$WORK/size-past-end.a"
h=$(member_header "$WORK/size-past-end.a" two.o)
patch_at "$WORK/size-past-end.a" $((h + 48)) "99999     "
expect_error size-past-end "size-past-end.a: .*two.o.*offset $(printf '0x%x' "$h")" "$good" "$WORK/size-past-end.a"

cp "$WORK/small.a" "$WORK/first-too-big.a"
h=$(member_header "$WORK/first-too-big.a" one.o)
patch_at "$WORK/first-too-big.a" $((h + 48)) "4294967296"
expect_error first-too-big "first-too-big.a: .*offset" "$good" "$WORK/first-too-big.a"

cp "$WORK/small.a" "$WORK/bad-size-digits.a"
patch_at "$WORK/bad-size-digits.a" $((h + 48)) "12x4      "
expect_error bad-size-digits "bad-size-digits.a: .*size" "$good" "$WORK/bad-size-digits.a"

# Another architecture: as a member mixed into a Rust staticlib, and as a whole input.
clang --target=aarch64-linux-gnu -c "$WORK/one.c" -o "$WORK/arm.o"
cp "$good" "$WORK/mixed-arch.a" && chmod u+w "$WORK/mixed-arch.a"
llvm-ar-19 q "$WORK/mixed-arch.a" "$WORK/arm.o"
expect_error mixed-arch "mixed-arch.a: member 'arm.o' at offset 0x.*aarch64" "$other" "$WORK/mixed-arch.a"
llvm-ar-19 rcs "$WORK/arm.a" "$WORK/arm.o"
expect_error other-arch-input "arm.a: is ELF aarch64 but .*libalpha.a is ELF x86_64" "$good" "$WORK/arm.a"

expect_error missing-file "no-such.a: cannot open" "$good" "$WORK/no-such.a"

# Several bad inputs: the libraries are opened in parallel, but the error is
# the first bad one's in input order, at every thread count.
for j in 1 2 4; do
  for order in "truncated no-such" "no-such truncated"; do
    set -- $order
    rc=0; "$SLIMLINK" -j $j dedup "$good" "$WORK/$1.a" "$other" "$WORK/$2.a" -o "$WORK/out-order" \
      2> "$WORK/order.err" > /dev/null || rc=$?
    [ "$rc" = 1 ] && grep -q "^slimlink: error: $WORK/$1.a: " "$WORK/order.err" ||
      fail "-j $j, $order: want the error of $1.a: $(cat "$WORK/order.err")"
  done
done
[ ! -e "$WORK/out-order" ] || fail "several bad inputs: output written"
pass "several bad inputs: the first in input order is reported, at -j 1, 2 and 4"
