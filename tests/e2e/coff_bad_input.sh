#!/usr/bin/env bash
# Damaged COFF input: an MSVC .lib with a truncated member, objects whose
# relocation table runs past their end (PointerToRelocations patched; in a
# MinGW GNU archive and in a .lib), a .lib whose first linker member ("/")
# claims more symbols than it holds, and archives mixing x86_64 and arm64
# (aarch64-pc-windows-msvc) objects. Every verb that reads libraries (dedup,
# shrink, dedup --merge, verify on either side, strip, isolate, prune, size)
# must print one error line naming the file (and the member), exit with
# status 1 (size: 2; not a signal), and write nothing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/coff_lib.sh"
good=$COFF/mingw/debug/libplug2.a
MS=$SRC/examples/windows/msvc

# offsets ARCHIVE MEMBER: "data_offset size" of the member (the first so named).
offsets() { coff_members offsets "$1" | awk -v m="$2" '$1 == m { print $3, $4; exit }'; }

# patch_u32 FILE OFFSET VALUE [>]: a 32-bit integer (little-endian, or
# big-endian with ">") written in place.
patch_u32() {
  python3 - "$@" <<'PY'
import os, struct, sys
p, off, val = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 0)
fmt = ">I" if len(sys.argv) > 4 else "<I"
d = bytearray(open(p, "rb").read()); struct.pack_into(fmt, d, off, val); open(p, "wb").write(d)
PY
}

# reloc_field ARCHIVE MEMBER: the file offset of PointerToRelocations of the
# member's first section with relocations (IMAGE_FILE_HEADER: 20 bytes, then
# SizeOfOptionalHeader bytes, then 40-byte section headers: the pointer at
# +24, NumberOfRelocations at +32).
reloc_field() {
  local at size
  read -r at size < <(offsets "$1" "$2")
  python3 - "$1" "$at" <<'PY'
import os, struct, sys
d = open(sys.argv[1], "rb").read(); at = int(sys.argv[2])
nsec, = struct.unpack_from("<H", d, at + 2)
opt, = struct.unpack_from("<H", d, at + 16)
for i in range(nsec):
    h = at + 20 + opt + 40 * i
    if struct.unpack_from("<H", d, h + 32)[0]:
        print(h + 24); break
else:
    sys.exit("no section with relocations")
PY
}

# expect_error NAME WANT BAD: every verb fails on BAD with WANT (a grep -E
# regex) in its one error line; the set verbs get $good first.
expect_error() {
  local name=$1 want=$2 bad=$3
  local out="$WORK/out-$name" rc verb
  mkdir -p "$out" && touch "$out/sentinel"
  check() { # VERB: the last command's status and stderr
    local status=1; [ "$1" = size ] && status=2 # size's 1 is "over budget"
    [ "$rc" = "$status" ] || fail "$name: $1: exit status $rc, want $status: $(head -3 "$WORK/$name.$1.err")"
    [ "$(wc -l < "$WORK/$name.$1.err")" = 1 ] || fail "$name: $1: want one error line, got: $(head -5 "$WORK/$name.$1.err")"
    grep -qE "^slimlink: error: .*$want" "$WORK/$name.$1.err" || fail "$name: $1: want '$want' in: $(cat "$WORK/$name.$1.err")"
    [ "$(ls -A "$out")" = sentinel ] || fail "$name: $1 wrote output: $(ls -A "$out")"
    case "$(ls -A "$WORK" "$out")" in *slimlink-tmp*|*.tmp*) fail "$name: $1 left a temp file behind" ;; esac
  }
  for verb in dedup shrink; do
    rc=0; "$SLIMLINK" $verb "$good" "$bad" -o "$out" > /dev/null 2> "$WORK/$name.$verb.err" || rc=$?; check $verb
  done
  rc=0; "$SLIMLINK" dedup "$good" "$bad" --merge "$out/merged.a" > /dev/null 2> "$WORK/$name.merge.err" || rc=$?; check merge
  rc=0; "$SLIMLINK" verify "$good" "$bad" -- "$good" > /dev/null 2> "$WORK/$name.verify.err" || rc=$?; check verify
  rc=0; "$SLIMLINK" verify "$good" -- "$bad" > /dev/null 2> "$WORK/$name.verify-after.err" || rc=$?; check verify-after
  for verb in strip isolate prune; do
    rc=0; "$SLIMLINK" $verb "$bad" -o "$out/$verb.lib" > /dev/null 2> "$WORK/$name.$verb.err" || rc=$?; check $verb
  done
  rc=0; "$SLIMLINK" size "$bad" -o "$out/size.txt" > /dev/null 2> "$WORK/$name.size.err" || rc=$?; check size
  pass "$name: $(cat "$WORK/$name.dedup.err")"
}

std=std-1a2b3c4d5e6f7a8b.std.1a2b3c4d5e6f7a8b-cgu.0.rcgu.o
core=core-2b3c4d5e6f7a8b9c.core.2b3c4d5e6f7a8b9c-cgu.0.rcgu.o
lib=$COFF/msvc/libplug1.lib
mingw=$COFF/mingw/debug/libplug1.a
[ "$(coff_members short-imports "$lib" | wc -l)" = 3 ] || fail "corpus: $lib has no short import members"

# 1. A .lib truncated in the middle of the std member.
read -r at size < <(offsets "$lib" "$std")
head -c $((at + size / 2)) "$lib" > "$WORK/truncated.lib"
expect_error truncated "truncated\.lib.*$std" "$WORK/truncated.lib"

# 2. The core member's relocation table past its end: in a MinGW archive
#    and in an MSVC .lib.
cp "$mingw" "$WORK/relocs-past-end.a"
read -r _ size < <(offsets "$mingw" "$core")
patch_u32 "$WORK/relocs-past-end.a" "$(reloc_field "$mingw" "$core")" $((size + 4096))
expect_error relocs-past-end-mingw "relocs-past-end\.a.*$core" "$WORK/relocs-past-end.a"
cp "$lib" "$WORK/relocs-past-end.lib"
read -r _ size < <(offsets "$lib" "$core")
patch_u32 "$WORK/relocs-past-end.lib" "$(reloc_field "$lib" "$core")" $((size + 4096))
expect_error relocs-past-end-lib "relocs-past-end\.lib.*$core" "$WORK/relocs-past-end.lib"

# 3. The first linker member claims 0x00ffffff symbols (its offsets array
#    would run far past the member; big-endian count at its start). The
#    error must be about the index, not some other member.
cp "$lib" "$WORK/bad-linker-member.lib"
read -r count at < <(coff_members linker "$lib")
[ "$count" -gt 10 ] || fail "corpus: the first linker member of $lib lists $count symbols"
patch_u32 "$WORK/bad-linker-member.lib" "$at" 0x00ffffff ">"
expect_error bad-linker-member "bad-linker-member\.lib.*(linker member|symbol (table|index)|archive (index|map)|member '/')" \
  "$WORK/bad-linker-member.lib"

# 4. x86_64 and arm64 objects in one archive (llvm-lib-19 refuses to write
#    that, llvm-ar-19 does not): a GNU archive and a COFF-format one.
mkdir -p "$WORK/mixed"
clang-19 --target=aarch64-pc-windows-msvc -O2 -I"$MS" -c "$MS/rt_core.c" -o "$WORK/mixed/$core"
cp "$COFF/msvc/members/$std" "$COFF/msvc/members/$(ls "$COFF/msvc/members" | grep '^plug1-.*cgu\.0')" "$WORK/mixed/"
for fmt in gnu coff; do
  (cd "$WORK/mixed" && llvm-ar-19 rcs --format=$fmt "$WORK/mixed-arch-$fmt.lib" plug1-* "$std" "$core")
  expect_error mixed-arch-$fmt "mixed-arch-$fmt\.lib.*($core.*(arm64|ARM64|aarch64|AArch64)|(arm64|ARM64|aarch64|AArch64).*$core)" \
    "$WORK/mixed-arch-$fmt.lib"
done

# 5. One bit flipped in the core member's file header and first section
#    headers (bit byte % 8 of each byte), in the MSVC .lib: strip and shrink
#    hand the member to ObjCopy. No run may end in a signal; every refusal
#    is one error line naming the file and the member.
python3 "$SRC/tests/e2e/bit_flip_sweep.py" "$SLIMLINK" "$WORK/sweep" "$lib" "$core" 0 100 one \
  strip "shrink --api-regex $MSVC_API_RE" || fail "bit flips in $lib: see above"
pass "bit flips in a .lib member's headers"

# 6. The last symbol claims 255 aux records: ObjCopy's reader takes them
#    after the symbol without a bounds check (getSymbolAuxData), 4,590 bytes
#    past the symbol table. strip must refuse the member by name.
python3 - "$lib" "$WORK/aux-past-end.lib" "$core" <<'PY'
import os, struct, sys
sys.path.insert(0, os.environ["SRC"] + "/tests/e2e")
from bit_flip_sweep import members
d = bytearray(open(sys.argv[1], "rb").read())
base = [m for m in members(d) if m[0] == sys.argv[3]][0][1]
ptr, n = struct.unpack("<II", d[base + 8:base + 16])
i = last = 0
while i < n:
    last, i = i, i + 1 + d[base + ptr + i * 18 + 17]
d[base + ptr + last * 18 + 17] = 255
open(sys.argv[2], "wb").write(d)
PY
rc=0; "$SLIMLINK" strip "$WORK/aux-past-end.lib" -o "$WORK/aux-out.lib" > /dev/null 2> "$WORK/aux.err" || rc=$?
[ "$rc" = 1 ] && grep -q "^slimlink: error: .*aux-past-end\.lib.*$core.*aux records" "$WORK/aux.err" ||
  fail "aux records past the symbol table: status $rc: $(cat "$WORK/aux.err")"
pass "aux-past-end: $(cat "$WORK/aux.err")"
