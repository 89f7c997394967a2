#!/usr/bin/env bash
# dedup and shrink read each input once with large reads, not page by page
# through its mapping (issue 29): a page fault costs far more in some guests
# than reading the page. What more copies of the inputs add must stay under
# 2,500 minor page faults per GB (it was 14,000-25,000 per GB when every copy
# was fingerprinted, then compared, through its mapping). The copies are
# hard links: distinct files, one page cache.
source "$(dirname "$0")/lib.sh"
# Under the sanitizers every allocation and its shadow is a page of their
# own runtime's, and the heap policy is off: faults measure ASan, not us.
cache=$(dirname "$SLIMLINK")/CMakeCache.txt
if grep -Eq '^SLIMLINK_(SANITIZE|FUZZ):BOOL=ON' "$cache" 2>/dev/null; then
  echo "skipped: $(dirname "$SLIMLINK") is a sanitizer build"
  exit 77
fi
base=() more=()
for l in alpha beta gamma delta; do
  base+=("$CORPUS/release/lib$l.a")
  for k in 1 2 3 4 5 6 7 8; do
    ln "$CORPUS/release/lib$l.a" "$WORK/lib$l$k.a" 2>/dev/null ||
      cp "$CORPUS/release/lib$l.a" "$WORK/lib$l$k.a"
    more+=("$WORK/lib$l$k.a")
  done
done
bytes() { stat -L -c %s "$@" | paste -sd+ | bc; }
# faults VERB LIBS...: minor faults of one run (the lowest of three: other
# processes' work can only add).
faults() {
  local verb=$1 r best=; shift
  for r in 1 2 3; do
    rm -rf "$WORK/out"
    /usr/bin/time -f %R -o "$WORK/faults" "$SLIMLINK" "$verb" "$@" -o "$WORK/out" > /dev/null
    f=$(tail -1 "$WORK/faults")
    [ -z "$best" ] || [ "$f" -lt "$best" ] && best=$f
  done
  echo "$best"
}
extra=$(( $(bytes "${more[@]}") - $(bytes "${base[@]}") ))
for verb in dedup shrink; do
  f0=$(faults "$verb" "${base[@]}") f1=$(faults "$verb" "${more[@]}")
  per_gb=$(( (f1 - f0) * 1000000000 / extra ))
  [ "$per_gb" -le 2500 ] ||
    fail "$verb: $((f1 - f0)) more minor faults for $((extra >> 20)) MB more input: $per_gb per GB, want <= 2,500"
  pass "$verb: $f0 faults for 4 libraries, $f1 for 32: $per_gb more per GB of input"
done
