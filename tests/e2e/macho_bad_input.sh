#!/usr/bin/env bash
# Damaged Mach-O input: a Darwin archive with a truncated member, objects
# whose load commands run past their end (sizeofcmds, a cmdsize) or do not
# fit in it (ncmds), a universal
# archive whose slice runs past the end of the file, an archive mixing arm64
# and x86_64 members, and universal inputs whose slices are in different
# orders. Every verb that reads libraries (dedup, shrink, verify, strip,
# isolate, prune, size) must print one error line naming the file (and the
# member), exit with status 1 (size: 2; not a signal), and write nothing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/macho_lib.sh"
good=$MACHO/arm64/libplug2.a

# members ARCHIVE: "name data_offset size" per member of a Darwin archive.
members() {
  python3 - "$1" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"!<arch>\n"
off = 8
while off + 60 <= len(d):
    name, size = d[off:off + 16].rstrip(b" "), int(d[off + 48:off + 58])
    data, n = off + 60, size
    if name.startswith(b"#1/"):
        k = int(name[3:]); name = d[data:data + k].rstrip(b"\0"); data += k; n -= k
    print(name.decode(), data, n)
    off += 60 + size + (size & 1)
PY
}
# patch_u32 FILE OFFSET VALUE [>]: write a 32-bit integer (little-endian, or
# big-endian with ">") in place.
patch_u32() {
  python3 - "$@" <<'PY'
import struct, sys
p, off, val = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 0)
fmt = ">I" if len(sys.argv) > 4 else "<I"
d = bytearray(open(p, "rb").read()); struct.pack_into(fmt, d, off, val); open(p, "wb").write(d)
PY
}

# expect_error NAME WANT GOOD_FOR_SET BAD: every verb fails on BAD with WANT
# (a grep regex) in its one error line; the set verbs get GOOD_FOR_SET first.
expect_error() {
  local name=$1 want=$2 other=$3 bad=$4
  local out="$WORK/out-$name" rc verb
  mkdir -p "$out" && touch "$out/sentinel"
  check() { # VERB: the last command's status and stderr
    local status=1; [ "$1" = size ] && status=2 # size's 1 is "over budget"
    [ "$rc" = "$status" ] || fail "$name: $1: exit status $rc, want $status: $(head -3 "$WORK/$name.$1.err")"
    [ "$(wc -l < "$WORK/$name.$1.err")" = 1 ] || fail "$name: $1: want one error line, got: $(head -5 "$WORK/$name.$1.err")"
    grep -q "^slimlink: error: .*$want" "$WORK/$name.$1.err" || fail "$name: $1: want '$want' in: $(cat "$WORK/$name.$1.err")"
    [ "$(ls -A "$out")" = sentinel ] || fail "$name: $1 wrote output: $(ls -A "$out")"
    case "$(ls -A "$WORK" "$out")" in *slimlink-tmp*|*.tmp*) fail "$name: $1 left a temp file behind" ;; esac
  }
  for verb in dedup shrink; do
    rc=0; "$SLIMLINK" $verb "$other" "$bad" -o "$out" > /dev/null 2> "$WORK/$name.$verb.err" || rc=$?; check $verb
  done
  rc=0; "$SLIMLINK" dedup "$other" "$bad" --merge "$out/merged.a" > /dev/null 2> "$WORK/$name.merge.err" || rc=$?; check merge
  rc=0; "$SLIMLINK" verify "$other" "$bad" -- "$other" > /dev/null 2> "$WORK/$name.verify.err" || rc=$?; check verify
  rc=0; "$SLIMLINK" verify "$other" -- "$bad" > /dev/null 2> "$WORK/$name.verify-after.err" || rc=$?; check verify-after
  [ "$name" = slice-order ] && { pass "$name: $(cat "$WORK/$name.dedup.err")"; return; } # each file is fine alone
  for verb in strip isolate prune; do
    rc=0; "$SLIMLINK" $verb "$bad" -o "$out/$verb.a" > /dev/null 2> "$WORK/$name.$verb.err" || rc=$?; check $verb
  done
  rc=0; "$SLIMLINK" size "$bad" -o "$out/size.txt" > /dev/null 2> "$WORK/$name.size.err" || rc=$?; check size
  pass "$name: $(cat "$WORK/$name.dedup.err")"
}

std=std-1a2b3c4d5e6f7a8b.std.1a2b3c4d5e6f7a8b-cgu.0.rcgu.o
core=core-2b3c4d5e6f7a8b9c.core.2b3c4d5e6f7a8b9c-cgu.0.rcgu.o

# 1. Truncated in the middle of the std member.
read -r _ data size < <(members "$MACHO/arm64/libplug1.a" | grep "^$std ")
head -c $((data + size / 2)) "$MACHO/arm64/libplug1.a" > "$WORK/truncated.a"
expect_error truncated "truncated.a.*$std" "$good" "$WORK/truncated.a"

# 2. The core member's load commands run past its end: sizeofcmds (at 20 in
#    mach_header_64), then instead the first load command's cmdsize (at 36).
read -r _ data size < <(members "$MACHO/arm64/libplug1.a" | grep "^$core ")
cp "$MACHO/arm64/libplug1.a" "$WORK/sizeofcmds.a"
patch_u32 "$WORK/sizeofcmds.a" $((data + 20)) $((size + 4096))
expect_error sizeofcmds "sizeofcmds.a.*$core" "$good" "$WORK/sizeofcmds.a"
cp "$MACHO/arm64/libplug1.a" "$WORK/cmdsize.a"
patch_u32 "$WORK/cmdsize.a" $((data + 36)) 0x7ffffff0
expect_error cmdsize "cmdsize.a.*$core" "$good" "$WORK/cmdsize.a"
#    ncmds (at 16) far more than sizeofcmds holds: LLVM 19 would reserve room
#    for them all first (gigabytes) before it read one.
cp "$MACHO/arm64/libplug1.a" "$WORK/ncmds.a"
patch_u32 "$WORK/ncmds.a" $((data + 16)) 0x8ce18efa
expect_error ncmds "ncmds.a.*$core.*load commands, which do not fit" "$good" "$WORK/ncmds.a"

# 3. A universal archive whose second slice runs past the end of the file
#    (fat_arch[1].size, big-endian, at 8 + 20 + 12).
cp "$MACHO/fat/libplug1.a" "$WORK/fat-past-end.a"
patch_u32 "$WORK/fat-past-end.a" 40 "$(stat -c %s "$WORK/fat-past-end.a")" ">"
expect_error fat-past-end "fat-past-end.a" "$MACHO/fat/libplug2.a" "$WORK/fat-past-end.a"
head -c $(($(stat -c %s "$MACHO/fat/libplug1.a") - 1000)) "$MACHO/fat/libplug1.a" > "$WORK/fat-truncated.a"
expect_error fat-truncated "fat-truncated.a" "$MACHO/fat/libplug2.a" "$WORK/fat-truncated.a"

# 4. One archive with arm64 members and an x86_64 one.
(cd "$MACHO/arm64/members" && llvm-ar-19 rcs --format=darwin "$WORK/mixed-arch.a" \
   "$(ls | grep '^plug1-.*cgu.0')" "$std")
cp "$MACHO/x86_64/members/$core" "$WORK/$core"
(cd "$WORK" && llvm-ar-19 qS --format=darwin mixed-arch.a "$core" && rm "$core")
expect_error mixed-arch "mixed-arch.a.*$core.*x86_64\|mixed-arch.a.*x86_64.*$core" "$good" "$WORK/mixed-arch.a"

# 5. Universal inputs whose slices are in different orders (lipo's x86_64
#    first against the corpus's arm64 first): the set verbs refuse the set.
llvm-lipo-19 -create "$MACHO/arm64/libplug1.a" "$MACHO/x86_64/libplug1.a" -output "$WORK/lipo-order.a"
[ "$(archs_of "$WORK/lipo-order.a")" = "x86_64 arm64" ] || fail "premise: llvm-lipo-19 wrote $(archs_of "$WORK/lipo-order.a")"
expect_error slice-order "lipo-order.a" "$MACHO/fat/libplug2.a" "$WORK/lipo-order.a"

# 6. One bit flipped in the core member's mach_header (bit byte % 8 of each
#    byte), in a thin and in a universal archive: strip and shrink hand the
#    member to ObjCopy, which trusts what the header and its tables say
#    (a file type of 0x100001 reads as an object to identify_magic, and
#    LLVM then takes the relocations from LC_DYSYMTAB: SEGV in
#    setSymbolInRelocationInfo). No run may end in a signal; every refusal
#    is one error line naming the file and the member.
sweep() { python3 "$SRC/tests/e2e/bit_flip_sweep.py" "$SLIMLINK" "$WORK/sweep-$1" "$2" "$core" 0 32 one \
            strip "shrink --api-regex $API_RE" || fail "bit flips in $2: see above"; }
sweep thin "$MACHO/arm64/libplug2.a" && pass "bit flips in a thin archive's member header"
sweep fat "$MACHO/fat/libplug2.a" && pass "bit flips in a universal archive's member header"
