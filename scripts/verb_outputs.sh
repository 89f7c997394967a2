#!/usr/bin/env bash
# Runs every verb of one slimlink binary over the e2e corpus (ELF; Mach-O thin
# and universal; COFF from rustc, MSVC-style and MinGW) and keeps every output
# (archives, reports, size tables) in OUTDIR, so that two builds can be
# compared byte for byte:
#   scripts/verb_outputs.sh OLD/slimlink build/corpus /tmp/old
#   scripts/verb_outputs.sh build/slimlink build/corpus /tmp/new
#   diff -r /tmp/old /tmp/new && echo identical
# A refactor must leave `diff -r` silent.
set -euo pipefail
slimlink=$(realpath "$1") corpus=$(realpath "$2") out=$3
rm -rf "$out" && mkdir -p "$out"
run() { # NAME ARGS... : stdout to NAME.out, exit status to NAME.rc
  local name=$1; shift
  "$slimlink" "$1" --no-progress "${@:2}" > "$out/$name.out" 2> "$out/$name.err" && echo 0 > "$out/$name.rc" ||
    echo $? > "$out/$name.rc"
  # Reports name the output paths; they differ only by $out.
  sed -i "s|$out|OUT|g" "$out/$name.out" "$out/$name.err"
}
for p in release debug lto opt-z panic-abort; do
  libs=("$corpus/$p"/lib{alpha,beta,gamma,delta}.a)
  run "$p-dedup" dedup "${libs[@]}" -o "$out/$p-dedup" --json
  run "$p-merge" dedup "${libs[@]}" --merge "$out/$p-merged.a" --json
  run "$p-shrink" shrink "${libs[@]}" -o "$out/$p-shrink" --json
  for l in alpha beta gamma delta; do
    in="$corpus/$p/lib$l.a"
    run "$p-$l-isolate" isolate "$in" -o "$out/$p-$l-isolated.a" --json
    run "$p-$l-prune" prune "$in" -o "$out/$p-$l-pruned.a" --json
    run "$p-$l-strip" strip "$in" -o "$out/$p-$l-stripped.a" --json
    run "$p-$l-verify" verify --json "$in" -- "$out/$p-$l-pruned.a"
    for v in sections segments symbols crates members compileunits; do
      run "$p-$l-size-$v" size "$in" -d "$v" --json
    done
    run "$p-$l-size-pruned" size "$out/$p-$l-pruned.a" -d sections,symbols --json
  done
done

# Mach-O and COFF (build_macho_corpus.sh, build_coff_corpus.sh): the sets the
# e2e tests use, with their API. Universal ("fat") inputs go slice by slice.
# set_verbs NAME API LIBS...: every verb over one set and over each library.
set_verbs() {
  local p=$1 api=$2; shift 2
  local libs=("$@") in l v outs
  run "$p-dedup" dedup "${libs[@]}" -o "$out/$p-dedup" --json
  run "$p-merge" dedup "${libs[@]}" --merge "$out/$p-merged.a" --json
  run "$p-shrink" shrink "${libs[@]}" -o "$out/$p-shrink" --api-regex "$api" --json
  mapfile -t outs < <(ls "$out/$p-shrink"/*.a "$out/$p-shrink"/*.lib 2>/dev/null || true)
  run "$p-shrink-verify" verify --json --api-regex "$api" "${libs[@]}" -- "${outs[@]}"
  for in in "${libs[@]}"; do
    l=$(basename "$in"); l=${l%.*}
    run "$p-$l-isolate" isolate "$in" -o "$out/$p-$l-isolated.a" --api-regex "$api" --json
    run "$p-$l-prune" prune "$in" -o "$out/$p-$l-pruned.a" --api-regex "$api" --json
    run "$p-$l-prune-auto" prune "$in" -o "$out/$p-$l-pruned-auto.a" --json
    run "$p-$l-strip" strip "$in" -o "$out/$p-$l-stripped.a" --json
    run "$p-$l-strip-keep" strip "$in" -o "$out/$p-$l-stripped-keep.a" --keep-debug --json
    run "$p-$l-verify" verify --json --api-regex "$api" "$in" -- "$out/$p-$l-pruned.a"
    run "$p-$l-why" why "$in" --api-regex "$api" --json
    for v in sections segments symbols crates members compileunits; do
      run "$p-$l-size-$v" size "$in" -d "$v" --json
    done
    run "$p-$l-size-pruned" size "$out/$p-$l-pruned.a" -d sections,symbols --json
  done
}
M=$corpus/macho C=$corpus/coff
if [ -d "$M" ]; then
  macho_api='^_plug[0-9]+_(run|version)$'
  for a in arm64 x86_64 fat; do
    set_verbs "macho-$a" "$macho_api" "$M/$a"/libplug{1,2,3}.a
    set_verbs "macho-$a-lto" "$macho_api" "$M/$a/lto"/libplug{1,2,3}.a
    set_verbs "macho-$a-debug" "$macho_api" "$M/$a/debug"/libplug{1,2}.a
  done
  for f in "$M"/{arm64,x86_64}/host.o; do
    a=$(basename "$(dirname "$f")")
    for v in sections segments symbols compileunits; do run "macho-$a-host-size-$v" size "$f" -d "$v" --json; done
  done
  for a in arm64 x86_64; do
    run "macho-fat-arch-$a-size" size "$M/fat/libplug1.a" --arch "$a" -d members,sections --json
  done
fi
if [ -d "$C" ]; then
  msvc_api='^plug[0-9]_(run|version)$'
  set_verbs coff-rust '^plug[0-9]_' "$C/rust"/libplug{1,2,3}.a
  set_verbs coff-msvc "$msvc_api" "$C/msvc"/libplug{1,2,3}.lib
  set_verbs coff-msvc-lto "$msvc_api" "$C/msvc/lto"/libplug{1,2,3}.lib
  set_verbs coff-msvc-debug "$msvc_api" "$C/msvc/debug"/libplug{1,2}.lib
  set_verbs coff-mingw-debug "$msvc_api" "$C/mingw/debug"/libplug{1,2}.a
  # Import libraries (short import members), objects and linked images.
  for f in "$C/msvc"/{kernel32.lib,fakedll.lib,dll/fakedll-lld.lib,host.obj,fakedll.dll} \
           "$C/rust/host.o" "$C/mingw/host2.o" "$C/run"/{rust.exe,msvc.exe}; do
    [ -f "$f" ] || continue
    n=coff-$(basename "$(dirname "$f")")-$(basename "$f")
    for v in sections segments symbols members compileunits; do run "$n-size-$v" size "$f" -d "$v" --json; done
  done
  for f in "$C/msvc"/{kernel32.lib,fakedll.lib}; do
    n=coff-msvc-$(basename "$f")
    run "$n-strip" strip "$f" -o "$out/$n-stripped.lib" --json
    run "$n-prune" prune "$f" -o "$out/$n-pruned.lib" --json
    run "$n-isolate" isolate "$f" -o "$out/$n-isolated.lib" --json
  done
  run coff-msvc-imports-dedup dedup "$C/msvc"/libplug{1,2}.lib "$C/msvc/fakedll.lib" -o "$out/coff-msvc-imports-dedup" --json
fi
