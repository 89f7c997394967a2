#!/usr/bin/env bash
# Test fixture: Mach-O staticlibs shaped like Rust's, built with clang-19 from
# examples/macho (no Rust std for Apple targets exists here), into
# $CORPUS/macho/:
#   <arch>/libplug{1,2,3}.a      runtime members (std, core, alloc,
#                                compiler_builtins CGUs) byte-identical in all
#                                three, plus each plugin's own two CGUs
#   <arch>/lto/libplug{1,2,3}.a  the clashing LTO-like set: one object per
#                                library with the plugin and its own runtime
#                                (same names, different bytes; llvm-link + one
#                                codegen, as lto = true), plus compiler_builtins
#   <arch>/debug/libplug{1,2}.a  the first set again with -g -fembed-bitcode
#   <arch>/host.o                the C host calling plug{1,2,3}_{run,version}
#   <arch>/members/              the objects, named as archive members
# for arch in arm64 x86_64 (--target=<arch>-apple-macos11, -O2, archives
# written by llvm-ar-19 --format=darwin), and fat/ with universal archives
# (llvm-lipo-19 -create, then the slices swapped to arm64 first: lipo writes
# x86_64 first, so an order kept is told from lipo's order).
# About 3 s on 2 cores; rebuilt only when its sources,
# scripts or toolchains change (fixture_stamp.sh).
set -euo pipefail
: "${SRC:?}" "${CORPUS:?}"
EX=$SRC/examples/macho
OUT=$CORPUS/macho
source "$(dirname "$0")/fixture_stamp.sh"
stamp=$(fixture_stamp "$EX" "$(dirname "$0")"/{build_macho_corpus,macho_lib,fixture_stamp}.sh)
fixture_fresh "$OUT" "$stamp"
start=$SECONDS
rm -rf "$OUT" && mkdir -p "$OUT"

# Crate hashes, as in Rust's member names <crate>-<h>.<crate>.<h>-cgu.N.rcgu.o.
declare -A HASH=([std]=1a2b3c4d5e6f7a8b [core]=2b3c4d5e6f7a8b9c [alloc]=3c4d5e6f7a8b9c0d
                 [compiler_builtins]=4d5e6f7a8b9c0d1e [plug1]=5e6f7a8b9c0d1e2f
                 [plug2]=6f7a8b9c0d1e2f3a [plug3]=7a8b9c0d1e2f3a4b)
cgu() { echo "$1-${HASH[$1]}.$1.${HASH[$1]}-cgu.$2.rcgu.o"; }

pids=()
bg() { "$@" & pids+=($!); }
wait_all() {
  local p rc=0
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  pids=()
  [ "$rc" = 0 ] || { echo "build_macho_corpus: a compile failed (above)" >&2; exit 1; }
}

# -femit-compact-unwind-non-canonical: compact unwind entries name
# rust_eh_personality too (LLVM >= 17 falls back to DWARF for personalities
# other than ___gxx_personality_v0 without it; rustc's objects have them).
CFLAGS=(-O2 -Wall -Werror -Wno-override-module -Wno-unused-command-line-argument
        -fno-stack-protector -femit-compact-unwind-non-canonical -I"$EX")
# compile ARCH OUT SRC FLAGS...: one Mach-O object (or bitcode with -emit-llvm).
compile() {
  local arch=$1 out=$2 src=$3; shift 3
  local lang=(); case $src in *.cc) lang=(-x c++ -std=c++17) ;; esac
  clang-19 --target="$arch"-apple-macos11 "${CFLAGS[@]}" "${lang[@]}" "$@" -c "$src" -o "$out"
}

# runtime ARCH DIR FLAGS...: the runtime's objects, named as members, in DIR.
runtime() {
  local arch=$1 d=$2; shift 2
  bg compile "$arch" "$d/$(cgu std 0)" "$EX/rt_std.c" "$@"
  bg compile "$arch" "$d/$(cgu std 1)" "$EX/rt_unwind.ll" "$@"
  bg compile "$arch" "$d/$(cgu core 0)" "$EX/rt_core.c" "$@"
  bg compile "$arch" "$d/$(cgu alloc 0)" "$EX/rt_alloc.c" "$@"
  bg compile "$arch" "$d/$(cgu compiler_builtins 0)" "$EX/rt_builtins.c" "$@"
  bg compile "$arch" "$d/$(cgu compiler_builtins 1)" "$EX/rt_builtins.c" -DCGU1 "$@"
}
RT_MEMBERS=("$(cgu std 0)" "$(cgu std 1)" "$(cgu core 0)" "$(cgu alloc 0)"
            "$(cgu compiler_builtins 0)" "$(cgu compiler_builtins 1)")

# darwin_ar OUT MEMBER...: a Darwin-format archive (deterministic).
darwin_ar() { local a=$1; shift; rm -f "$a"; llvm-ar-19 rcs --format=darwin "$a" "$@"; }

for arch in arm64 x86_64; do
  A=$OUT/$arch M=$OUT/$arch/members
  mkdir -p "$M" "$M/debug" "$M/lto" "$A/lto" "$A/debug"
  runtime "$arch" "$M"
  runtime "$arch" "$M/debug" -g -fembed-bitcode
  for n in 1 2 3; do
    bg compile "$arch" "$M/$(cgu plug$n 0)" "$EX/plug.cc" -DPLUG=$n
    bg compile "$arch" "$M/$(cgu plug$n 1)" "$EX/plug.cc" -DPLUG=$n -DCGU1
    bg compile "$arch" "$M/debug/$(cgu plug$n 0)" "$EX/plug.cc" -DPLUG=$n -g -fembed-bitcode
    bg compile "$arch" "$M/debug/$(cgu plug$n 1)" "$EX/plug.cc" -DPLUG=$n -DCGU1 -g -fembed-bitcode
    # LTO-like: the plugin and a runtime of its own flavor, as bitcode.
    L=$M/lto/$n && mkdir -p "$L"
    for f in rt_std rt_core rt_alloc; do
      bg compile "$arch" "$L/$f.bc" "$EX/$f.c" -emit-llvm -DFLAVOR=$n
    done
    bg compile "$arch" "$L/unwind.bc" "$EX/rt_unwind.ll" -emit-llvm
    bg compile "$arch" "$L/plug0.bc" "$EX/plug.cc" -emit-llvm -DPLUG=$n
    bg compile "$arch" "$L/plug1.bc" "$EX/plug.cc" -emit-llvm -DPLUG=$n -DCGU1
  done
  bg compile "$arch" "$A/host.o" "$EX/host.c"
done
wait_all

for arch in arm64 x86_64; do
  A=$OUT/$arch M=$OUT/$arch/members
  for n in 1 2 3; do
    L=$M/lto/$n
    llvm-link-19 "$L"/*.bc -o "$L/all.bc"
    bg compile "$arch" "$L/$(cgu plug$n 0)" "$L/all.bc"
  done
  wait_all
  for n in 1 2 3; do
    (cd "$M" && darwin_ar "$A/libplug$n.a" "$(cgu plug$n 0)" "$(cgu plug$n 1)" "${RT_MEMBERS[@]}")
    (cd "$M/lto/$n" && darwin_ar "$A/lto/libplug$n.a" "$(cgu plug$n 0)" \
       "../../$(cgu compiler_builtins 0)" "../../$(cgu compiler_builtins 1)")
  done
  for n in 1 2; do
    (cd "$M/debug" && darwin_ar "$A/debug/libplug$n.a" "$(cgu plug$n 0)" "$(cgu plug$n 1)" "${RT_MEMBERS[@]}")
  done
done

# Universal archives.
for sub in "" lto/ debug/; do
  mkdir -p "$OUT/fat/$sub"
  for a in "$OUT/arm64/$sub"libplug*.a; do
    name=$(basename "$a")
    llvm-lipo-19 -create "$a" "$OUT/x86_64/$sub$name" -output "$OUT/fat/$sub$name"
  done
done
# llvm-lipo-19 writes x86_64 first; swap the two fat_arch records (20 bytes
# each, after the 8-byte header; the offsets they hold stay valid), so the
# slices are arm64 first: an output that keeps the input's order is told from
# one in lipo's order.
python3 - "$OUT"/fat/{,lto/,debug/}libplug*.a <<'PY'
import struct, sys
for p in sys.argv[1:]:
    d = bytearray(open(p, "rb").read())
    magic, n = struct.unpack_from(">II", d, 0)
    assert magic == 0xCAFEBABE and n == 2, (p, hex(magic), n)
    d[8:48] = d[28:48] + d[8:28]
    open(p, "wb").write(d)
PY
for f in "$OUT"/fat/{,lto/,debug/}libplug*.a; do
  [ "$(llvm-lipo-19 -archs "$f" | xargs)" = "arm64 x86_64" ] ||
    { echo "build_macho_corpus: $f: slices not arm64, x86_64" >&2; exit 1; }
done

# The premise of the tests: the runtime is byte-identical across the set and
# the archives hold long (#1/NN) member names.
for arch in arm64 x86_64; do
  for m in "${RT_MEMBERS[@]}"; do
    sums=$(for n in 1 2 3; do llvm-ar-19 p "$OUT/$arch/libplug$n.a" "$m" | md5sum; done | sort -u | wc -l)
    [ "$sums" = 1 ] || { echo "build_macho_corpus: $arch $m differs between libraries" >&2; exit 1; }
  done
  grep -qa '^#1/[0-9]' "$OUT/$arch/libplug1.a" || { echo "build_macho_corpus: no #1/NN member names" >&2; exit 1; }
done
fixture_done "$OUT" "$stamp"
echo "built macho/ in $((SECONDS - start)) s: $(du -sh "$OUT" | cut -f1)"
