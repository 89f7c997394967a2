#!/usr/bin/env bash
# The usual hand recipe to prune and strip one Rust staticlib: extract, partial
# link with --gc-sections from the API, strip debug and bitcode, keep only the
# API global. Usage: recipe_prune.sh LIB OUT.a [API-REGEX]
# (API: the global symbols matching API-REGEX; default the lib's <crate>_* ones)
set -euo pipefail
lib=$(realpath "$1") out=$(realpath -m "$2")
crate=$(basename "$lib" .a); crate=${crate#lib}
re=${3:-^${crate}_}
api=$(llvm-nm-19 -g --defined-only "$lib" 2>/dev/null | awk -v re="$re" '$3 ~ re { print $3 }' | sort -u)
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
(cd "$d" && llvm-ar-19 x "$lib")
ld -r --gc-sections $(printf -- '-u %s ' $api) "$d"/*.o -o "$d/combined.o"
llvm-objcopy-19 --strip-debug -R .llvmbc -R .llvmcmd -R .comment $(printf -- '-G %s ' $api) "$d/combined.o" "$d/final.o"
rm -f "$out" && llvm-ar-19 rcs "$out" "$d/final.o"
