#!/usr/bin/env bash
# The baseline a packager would write by hand: extract every archive, hash
# every member with sha256sum, and rebuild a common archive (members found in
# two or more libraries) plus one slim archive per library with ar rcs.
# Usage: recipe_dedup.sh OUTDIR LIB...
set -euo pipefail
out=$(realpath -m "$1"); shift
libs=(); for lib in "$@"; do libs+=("$(realpath "$lib")"); done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
i=0
for lib in "${libs[@]}"; do
  i=$((i + 1))
  mkdir -p "$work/$i"
  (cd "$work/$i" && ar x "$lib")
  (cd "$work/$i" && sha256sum -- *) | sed "s|  |  $i/|" >> "$work/sums"
done
# Hashes present in two or more libraries go to the common archive, once.
awk '{ split($2, p, "/"); if (!seen[$1 SUBSEP p[1]]++) n[$1]++ }
     END { for (h in n) if (n[h] > 1) print h }' "$work/sums" | sort > "$work/shared"
awk 'NR == FNR { shared[$1] = 1; next } ($1 in shared) && !done[$1]++ { print $2 }' \
  "$work/shared" "$work/sums" > "$work/common.list"
(cd "$work" && xargs ar rcs "$out/libcommon.a" < common.list)
i=0
for lib in "${libs[@]}"; do
  i=$((i + 1))
  awk -v d="$i/" 'NR == FNR { shared[$1] = 1; next }
       !($1 in shared) && index($2, d) == 1 { print $2 }' "$work/shared" "$work/sums" > "$work/slim.list"
  (cd "$work" && xargs -r ar rcs "$out/$(basename "$lib")" < slim.list)
done
