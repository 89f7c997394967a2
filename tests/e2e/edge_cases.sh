#!/usr/bin/env bash
# Every hand-made edge case in fuzz/corpus/edge/ through every verb: dedup
# (with -o and with --merge, in both input positions), shrink and verify
# (likewise), and strip, isolate, prune and size on the case alone.
#   bad-*: exit status 1 or 2 (never a signal), an error line naming the
#          file, and nothing written: no output, no temp file.
#   ok-*:  success, and outputs that slimlink reads back.
# fuzz/make_corpus.py makes the files; the fuzz targets start from them too.
source "$(dirname "$0")/lib.sh"
EDGE=$SRC/fuzz/corpus/edge
ls "$EDGE"/bad-* "$EDGE"/ok-* >/dev/null || fail "no edge cases in $EDGE"

# A small good input for the same target (x86_64 ELF), to pair each case with.
printf 'int good(void) { return 7; }\n' > "$WORK/good.c"
gcc -c "$WORK/good.c" -o "$WORK/good.o"
llvm-ar-19 rcs "$WORK/good.a" "$WORK/good.o"

# run_verb NAME OUTPATH ARGS...: runs slimlink, sets rc and stderr file.
run_verb() {
  local name=$1; shift
  rc=0
  "$SLIMLINK" "$@" > "$WORK/$name.stdout" 2> "$WORK/$name.stderr" || rc=$?
}

expect_rejected() { # NAME FILE OUTPUT-TO-CHECK ARGS...
  local name=$1 file=$2 out=$3; shift 3
  run_verb "$name" "$@"
  case $rc in 1|2) ;; *) fail "$name: exit status $rc, want 1 or 2: $(cat "$WORK/$name.stderr")" ;; esac
  grep -q "^slimlink: error: $file" "$WORK/$name.stderr" ||
    fail "$name: no error line naming $file: $(cat "$WORK/$name.stderr")"
  if [ -d "$out" ]; then
    [ -z "$(ls -A "$out")" ] || fail "$name: output left behind: $(ls -A "$out")"
  else
    [ ! -e "$out" ] || fail "$name: output left behind: $out"
  fi
  case "$(ls -A "$WORK")" in *slimlink-tmp*) fail "$name: temp file left behind" ;; esac
}

expect_accepted() { # NAME OUTPUT... -- ARGS...
  local name=$1 outs=(); shift
  while [ "$1" != -- ]; do outs+=("$1"); shift; done; shift
  run_verb "$name" "$@"
  [ "$rc" = 0 ] || fail "$name: exit status $rc, want 0: $(cat "$WORK/$name.stderr")"
  "$SLIMLINK" dedup --merge "$WORK/$name.readback.a" "${outs[@]}" > /dev/null ||
    fail "$name: slimlink cannot read its own output back"
}

n=0
for f in "$EDGE"/*; do
  case=$(basename "$f" .a)
  for order in first second; do
    name=$case-$order out=$WORK/out-$case-$order merged=$WORK/merged-$case-$order.a
    mkdir -p "$out"
    if [ $order = first ]; then inputs=("$f" "$WORK/good.a"); else inputs=("$WORK/good.a" "$f"); fi
    case $case in
      bad-*)
        expect_rejected "$name-o" "$f" "$out" dedup "${inputs[@]}" -o "$out"
        expect_rejected "$name-merge" "$f" "$merged" dedup "${inputs[@]}" --merge "$merged" ;;
      ok-*)
        outs=("$out/$(basename "${inputs[0]}")" "$out/$(basename "${inputs[1]}")" "$out/libcommon.a")
        expect_accepted "$name-o" "${outs[@]}" -- dedup "${inputs[@]}" -o "$out"
        expect_accepted "$name-merge" "$merged" -- dedup "${inputs[@]}" --merge "$merged" ;;
      *) fail "$f: edge cases are named bad-* or ok-*" ;;
    esac
    case $case in
      bad-*)
        expect_rejected "$name-shrink" "$f" "$out" shrink "${inputs[@]}" -o "$out"
        expect_rejected "$name-verify" "$f" "$WORK/none" verify "${inputs[@]}" -- "$WORK/good.a" ;;
    esac
    n=$((n + 1))
  done
  # The verbs that take one library.
  one=$WORK/one-$case
  mkdir -p "$one"
  for verb in strip isolate prune; do
    case $case in
      bad-*) expect_rejected "$case-$verb" "$f" "$one/out.a" "$verb" "$f" -o "$one/out.a" ;;
      ok-*) # a library may have no API to prune for: a clean refusal is fine
        run_verb "$case-$verb" "$verb" "$f" -o "$one/out.a"
        case $rc in
          0) "$SLIMLINK" dedup --merge "$one/readback.a" "$one/out.a" > /dev/null ||
               fail "$case-$verb: slimlink cannot read its own output back" ;;
          1) [ ! -e "$one/out.a" ] || fail "$case-$verb: failed but wrote output" ;;
          *) fail "$case-$verb: exit status $rc: $(cat "$WORK/$case-$verb.stderr")" ;;
        esac ;;
    esac
    rm -f "$one/out.a"
  done
  case $case in
    bad-*) expect_rejected "$case-size" "$f" "$one/size.html" size "$f" --html "$one/size.html" ;;
    ok-*) run_verb "$case-size" size "$f" --json
          [ "$rc" = 0 ] || fail "$case-size: exit status $rc: $(cat "$WORK/$case-size.stderr")" ;;
  esac
  pass "$case: $(head -1 "$WORK/$case-first-o.stderr" 2>/dev/null || true)"
done
pass "$n edge-case runs of dedup (-o, --merge), shrink and verify; strip, isolate, prune and size on each"
