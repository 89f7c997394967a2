#!/usr/bin/env bash
# Test fixture: COFF (Windows) staticlibs, into $CORPUS/coff/:
#   rust/libplug{1,2,3}.a   real Rust staticlibs, built from examples/windows/
#                           plugN.rs by Debian's rustc 1.63 (/usr/bin/rustc,
#                           not rustup's, which has no Windows std) for
#                           x86_64-pc-windows-gnu, -C opt-level=2: GNU
#                           archives of ~313 COFF objects, the ~298 of std,
#                           core, alloc, compiler_builtins... byte-identical
#                           across the three (checked below)
#   rust/host.o             examples/windows/host.c (MinGW gcc)
#   rust/native-libs        what rustc --print native-static-libs says
#   msvc/libplug{1,2,3}.lib MSVC-style libraries shaped like Rust staticlibs
#                           (clang-19 --target=x86_64-pc-windows-msvc -O2
#                           -ffunction-sections -fdata-sections, llvm-lib-19):
#                           the runtime's members (std, core, alloc,
#                           compiler_builtins CGUs) byte-identical in all
#                           three, each plugin's two CGUs, and fakedll.lib's
#                           members (import descriptors and short import
#                           members, made by llvm-dlltool-19)
#   msvc/lto/libplug{1,2,3}.lib  the clashing LTO-like set: one object per
#                           library with the plugin and its own runtime
#                           (-DFLAVOR=N: same names, other bytes; llvm-link-19,
#                           one codegen), compiler_builtins, fakedll's imports
#   msvc/debug/libplug{1,2}.lib  the first set built with -g -gcodeview
#   msvc/host.obj, host2.obj the host calling plugins 1..3 (1..2)
#   msvc/kernel32.lib, fakedll.lib, fakedll.dll  what the programs link with
#                           and load (llvm-dlltool-19; lld-link-19 /dll)
#   msvc/members/           the objects, named as archive members
#   mingw/debug/libplug{1,2}.a, mingw/host2.o  the MSVC-style sources again
#                           with x86_64-w64-mingw32-gcc -O2 -g (DWARF), GNU
#                           archives written by llvm-ar-19
#   wine/                   a wine prefix (WINEPREFIX), created here once
# The fixture links and runs the MSVC-style and the Rust programs once under
# wine (the tests' premise: the originals run and print what they should).
# About 20 s on 2 cores; rebuilt only when its sources, scripts or
# toolchains change (fixture_stamp.sh).
set -euo pipefail
: "${SRC:?}" "${CORPUS:?}"
EX=$SRC/examples/windows
MS=$EX/msvc
OUT=$CORPUS/coff
source "$(dirname "$0")/fixture_stamp.sh"
stamp=$(fixture_stamp "$EX" "$(dirname "$0")"/{build_coff_corpus,coff_lib,fixture_stamp}.sh)
fixture_fresh "$OUT" "$stamp"
start=$SECONDS
rm -rf "$OUT" && mkdir -p "$OUT"/{rust,msvc/{members/{debug,lto},lto,debug,dll},mingw/{members,debug}}
RUSTC=/usr/bin/rustc
[ -x "$RUSTC" ] || { echo "build_coff_corpus: no Debian rustc at $RUSTC (apt-get install rustc libstd-rust-dev-windows)" >&2; exit 1; }
COFF_FIXTURE=1 source "$(dirname "$0")/coff_lib.sh" # WINEPREFIX, coff_members

pids=()
bg() { "$@" & pids+=($!); }
wait_all() {
  local p rc=0
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  pids=()
  [ "$rc" = 0 ] || { echo "build_coff_corpus: a build step failed (above)" >&2; exit 1; }
}

# --- real Rust (windows-gnu) ---------------------------------------------
R=$OUT/rust
rust_plugin() {
  "$RUSTC" --edition 2021 --target x86_64-pc-windows-gnu --crate-type staticlib \
    -C opt-level=2 -o "$R/libplug$1.a" "$EX/plug$1.rs" --print native-static-libs 2> "$R/plug$1.log" ||
    { cat "$R/plug$1.log" >&2; return 1; }
}
for n in 1 2 3; do bg rust_plugin $n; done
bg x86_64-w64-mingw32-gcc -O2 -Wall -Werror -c "$EX/host.c" -o "$R/host.o"
# The wine prefix, while the rest builds (~7 s the first time).
( /usr/lib/wine/wine64 wineboot -i > "$OUT/wine.log" 2>&1 || true ) &
wine_pid=$!

# --- MSVC-style (clang-19, x86_64-pc-windows-msvc) -------------------------
M=$OUT/msvc/members
declare -A HASH=([std]=1a2b3c4d5e6f7a8b [core]=2b3c4d5e6f7a8b9c [alloc]=3c4d5e6f7a8b9c0d
                 [compiler_builtins]=4d5e6f7a8b9c0d1e [plug1]=5e6f7a8b9c0d1e2f
                 [plug2]=6f7a8b9c0d1e2f3a [plug3]=7a8b9c0d1e2f3a4b)
cgu() { echo "$1-${HASH[$1]}.$1.${HASH[$1]}-cgu.$2.rcgu.o"; }
CFLAGS=(--target=x86_64-pc-windows-msvc -O2 -ffunction-sections -fdata-sections
        -Wall -Werror -I"$MS")
cc_ms() { local out=$1 src=$2; shift 2; clang-19 "${CFLAGS[@]}" "$@" -c "$src" -o "$out"; }
runtime() { # DIR FLAGS...
  local d=$1; shift
  bg cc_ms "$d/$(cgu std 0)" "$MS/rt_std.c" "$@"
  bg cc_ms "$d/$(cgu core 0)" "$MS/rt_core.c" "$@"
  bg cc_ms "$d/$(cgu alloc 0)" "$MS/rt_alloc.c" "$@"
  bg cc_ms "$d/$(cgu compiler_builtins 0)" "$MS/rt_builtins.c" "$@"
  bg cc_ms "$d/$(cgu compiler_builtins 1)" "$MS/rt_builtins.c" -DCGU1 "$@"
}
RT_MEMBERS=("$(cgu std 0)" "$(cgu core 0)" "$(cgu alloc 0)"
            "$(cgu compiler_builtins 0)" "$(cgu compiler_builtins 1)")
runtime "$M"
runtime "$M/debug" -g -gcodeview
for n in 1 2 3; do
  bg cc_ms "$M/$(cgu plug$n 0)" "$MS/plug.c" -DPLUG=$n
  bg cc_ms "$M/$(cgu plug$n 1)" "$MS/plug.c" -DPLUG=$n -DCGU1
  bg cc_ms "$M/debug/$(cgu plug$n 0)" "$MS/plug.c" -DPLUG=$n -g -gcodeview
  bg cc_ms "$M/debug/$(cgu plug$n 1)" "$MS/plug.c" -DPLUG=$n -DCGU1 -g -gcodeview
  L=$M/lto/$n && mkdir -p "$L"
  for f in rt_std rt_core rt_alloc; do bg cc_ms "$L/$f.bc" "$MS/$f.c" -emit-llvm -DFLAVOR=$n; done
  bg cc_ms "$L/plug0.bc" "$MS/plug.c" -emit-llvm -DPLUG=$n
  bg cc_ms "$L/plug1.bc" "$MS/plug.c" -emit-llvm -DPLUG=$n -DCGU1
done
bg cc_ms "$OUT/msvc/host.obj" "$MS/host.c"
bg cc_ms "$OUT/msvc/host2.obj" "$MS/host.c" -DPLUGS=2
bg cc_ms "$OUT/msvc/dll/fakedll.obj" "$MS/fakedll.c"
# MinGW (gcc, DWARF) objects of the same sources, for strip.
MG=$OUT/mingw/members
cc_mg() { local out=$1 src=$2; shift 2; x86_64-w64-mingw32-gcc -O2 -g -ffunction-sections -fdata-sections -Wall -Werror -I"$MS" "$@" -c "$src" -o "$out"; }
bg cc_mg "$MG/$(cgu std 0)" "$MS/rt_std.c"
bg cc_mg "$MG/$(cgu core 0)" "$MS/rt_core.c"
bg cc_mg "$MG/$(cgu alloc 0)" "$MS/rt_alloc.c"
bg cc_mg "$MG/$(cgu compiler_builtins 0)" "$MS/rt_builtins.c"
bg cc_mg "$MG/$(cgu compiler_builtins 1)" "$MS/rt_builtins.c" -DCGU1
for n in 1 2; do
  bg cc_mg "$MG/$(cgu plug$n 0)" "$MS/plug.c" -DPLUG=$n
  bg cc_mg "$MG/$(cgu plug$n 1)" "$MS/plug.c" -DPLUG=$n -DCGU1
done
bg cc_mg "$OUT/mingw/host2.o" "$MS/host.c" -DPLUGS=2
wait_all

# Import libraries and the DLL.
D=$OUT/msvc
llvm-dlltool-19 -m i386:x86-64 -d "$MS/fakedll.def" -l "$D/fakedll.lib"
llvm-dlltool-19 -m i386:x86-64 -d "$MS/kernel32.def" -l "$D/kernel32.lib"
lld-link-19 /dll /noentry /nodefaultlib /out:"$D/dll/fakedll.dll" /implib:"$D/dll/fakedll-lld.lib" \
  /def:"$MS/fakedll.def" "$D/dll/fakedll.obj"
cp "$D/dll/fakedll.dll" "$D/fakedll.dll"
for n in 1 2 3; do
  L=$M/lto/$n
  llvm-link-19 "$L"/*.bc -o "$L/all.bc"
  bg cc_ms "$L/$(cgu plug$n 0)" "$L/all.bc" -Wno-unused-command-line-argument
done
wait_all

# mslib OUT DIR MEMBER...: an MSVC .lib (both linker members) of DIR's
# objects and fakedll.lib's members (llvm-lib merges a .lib input's members).
# Written in DIR, then moved: llvm-lib names members by their path relative
# to the output's directory, and rustc's members have bare names.
mslib() {
  local out=$1 dir=$2; shift 2
  rm -f "$out" "$dir/out.lib"
  (cd "$dir" && llvm-lib-19 /machine:x64 /out:out.lib "$@" "$D/fakedll.lib" && mv out.lib "$out")
}
for n in 1 2 3; do
  mslib "$D/libplug$n.lib" "$M" "$(cgu plug$n 0)" "$(cgu plug$n 1)" "${RT_MEMBERS[@]}"
  cp "$M/$(cgu compiler_builtins 0)" "$M/$(cgu compiler_builtins 1)" "$M/lto/$n/"
  mslib "$D/lto/libplug$n.lib" "$M/lto/$n" "$(cgu plug$n 0)" \
    "$(cgu compiler_builtins 0)" "$(cgu compiler_builtins 1)"
done
for n in 1 2; do
  mslib "$D/debug/libplug$n.lib" "$M/debug" "$(cgu plug$n 0)" "$(cgu plug$n 1)" "${RT_MEMBERS[@]}"
  (cd "$MG" && rm -f "$OUT/mingw/debug/libplug$n.a" &&
     llvm-ar-19 rcs --format=gnu "$OUT/mingw/debug/libplug$n.a" "$(cgu plug$n 0)" "$(cgu plug$n 1)" "${RT_MEMBERS[@]}")
done
wait "$wine_pid" || true

# --- The premises of the tests ---------------------------------------------
die() { echo "build_coff_corpus: $*" >&2; exit 1; }
# Rust: ~300 members, the runtime's byte-identical across the three.
grep -o 'native-static-libs: .*' "$R/plug1.log" | sed 's/^native-static-libs: //' > "$R/native-libs"
[ -s "$R/native-libs" ] || die "rustc printed no native-static-libs: $(cat "$R/plug1.log")"
python3 - "$R"/libplug{1,2,3}.a <<'PY' || die "the Rust staticlibs do not share their runtime (above)"
import hashlib, sys
def members(path):
    d = open(path, "rb").read()
    assert d[:8] == b"!<arch>\n", path
    off, names, out = 8, b"", {}
    while off + 60 <= len(d):
        name, size = d[off:off + 16].rstrip(b" "), int(d[off + 48:off + 58])
        body = d[off + 60:off + 60 + size]
        if name == b"//":
            names = body
        elif name not in (b"/", b"/SYM64/"):
            if name.startswith(b"/"):
                k = int(name[1:]); name = names[k:names.index(b"/\n", k)]
            else:
                name = name.rstrip(b"/")
            out[name.decode()] = hashlib.sha256(body).hexdigest()
        off += 60 + size + (size & 1)
    return out
libs = [members(p) for p in sys.argv[1:]]
own = lambda n, i: n.startswith("libplug%d." % (i + 1))
shared = [set(n for n in m if not own(n, i)) for i, m in enumerate(libs)]
assert shared[0] == shared[1] == shared[2], "the runtime's member names differ between libraries"
differ = [n for n in shared[0] if len({m[n] for m in libs}) != 1]
assert not differ, "runtime members differ in bytes: %s" % differ[:5]
assert 250 <= len(shared[0]) <= 400, "%d runtime members" % len(shared[0])
for i, m in enumerate(libs):
    assert len(m) - len(shared[0]) >= 2, "libplug%d has %d members of its own" % (i + 1, len(m) - len(shared[0]))
print("rust: %d members, %d byte-identical runtime members in all three" % (len(libs[0]), len(shared[0])))
PY
# MSVC-style: the runtime identical across the set, short import members in
# every library.
for m in "${RT_MEMBERS[@]}"; do
  sums=$(for n in 1 2 3; do llvm-ar-19 p "$D/libplug$n.lib" "$m" | md5sum; done | sort -u | wc -l)
  [ "$sums" = 1 ] || die "msvc: $m differs between libraries"
done
for f in "$D"/libplug{1,2,3}.lib "$D"/lto/libplug{1,2,3}.lib "$D"/debug/libplug{1,2}.lib; do
  n=$(coff_members short-imports "$f" | wc -l)
  [ "$n" = 3 ] || die "$f: $n short import members, want 3"
done

# The originals link and run (the programs every test compares with).
mkdir -p "$OUT/run"
lld-link-19 /entry:main /nodefaultlib /subsystem:console /out:"$OUT/run/msvc.exe" \
  "$D/host.obj" "$D"/libplug{1,2,3}.lib "$D/kernel32.lib" > "$OUT/run/msvc.log" 2>&1 ||
  die "msvc: the originals do not link: $(head -5 "$OUT/run/msvc.log")"
cp "$D/fakedll.dll" "$OUT/run/"
wine_run "$OUT/run/msvc.out" "$OUT/run/msvc.err" "$OUT/run/msvc.exe" ||
  die "msvc: the program linked from the originals fails under wine: $(head -5 "$OUT/run/msvc.err")"
grep -q '^host: plug3_version = 306' "$OUT/run/msvc.out" || die "msvc: unexpected output: $(cat "$OUT/run/msvc.out")"
read -ra native < "$R/native-libs"
x86_64-w64-mingw32-gcc "$R/host.o" "$R"/libplug{1,2,3}.a "${native[@]}" -o "$OUT/run/rust.exe" > "$OUT/run/rust.log" 2>&1 ||
  die "rust: the originals do not link: $(head -5 "$OUT/run/rust.log")"
wine_run "$OUT/run/rust.out" "$OUT/run/rust.err" "$OUT/run/rust.exe" ||
  die "rust: the program linked from the originals fails under wine: $(head -5 "$OUT/run/rust.err")"
grep -q 'caught "plug3: division of 7 by zero"' "$OUT/run/rust.out" || die "rust: unexpected output: $(cat "$OUT/run/rust.out")"
fixture_done "$OUT" "$stamp"
echo "built coff/ in $((SECONDS - start)) s: $(du -sh "$OUT" --exclude=wine | cut -f1)"
