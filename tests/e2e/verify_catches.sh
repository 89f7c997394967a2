#!/usr/bin/env bash
# verify must fail on a deliberately broken output: a dropped API symbol, a
# reference left unresolved, a duplicate strong global; and pass on good ones.
source "$(dirname "$0")/lib.sh"
rel=("$CORPUS"/release/lib{alpha,beta,gamma}.a)
lto=("$CORPUS"/lto/lib{alpha,beta,gamma}.a)

# expect_fail NAME KIND SYMBOL-REGEX BEFORE... -- AFTER...
expect_fail() {
  local name=$1 kind=$2 sym=$3 rc=0; shift 3
  "$SLIMLINK" verify "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" || rc=$?
  [ "$rc" = 1 ] || fail "$name: exit status $rc, want 1"
  grep -q "^$kind: $sym" "$WORK/$name.out" || fail "$name: want '$kind: $sym' in: $(head -5 "$WORK/$name.out")"
  pass "$name: $(grep -m1 "^$kind" "$WORK/$name.out")"
}

# A dropped API symbol: the member defining alpha_word_stats is gone.
cp "${rel[0]}" "$WORK/no-api.a" && chmod u+w "$WORK/no-api.a"
own=$(llvm-nm-19 -A --defined-only "$WORK/no-api.a" 2>/dev/null | sed -n 's/^[^:]*:\([^:]*\):.* T alpha_word_stats$/\1/p')
[ -n "$own" ] || fail "no member defines alpha_word_stats"
llvm-ar-19 d "$WORK/no-api.a" "$own"
expect_fail dropped-api missing-api alpha_word_stats "${rel[0]}" -- "$WORK/no-api.a"

# A reference left unresolved: std is gone but alpha's code still calls it.
cp "${rel[0]}" "$WORK/no-std.a" && chmod u+w "$WORK/no-std.a"
llvm-ar-19 d "$WORK/no-std.a" "$(llvm-ar-19 t "$WORK/no-std.a" | grep '^std-')"
expect_fail unresolved new-undefined '.*std' "${rel[0]}" -- "$WORK/no-std.a"

# Duplicate strong globals: three LTO libraries as they come.
expect_fail duplicates duplicate-strong rust_eh_personality "${lto[@]}" -- "${lto[@]}"

# Good outputs pass: non-LTO libraries duplicate std byte for byte (a linker
# takes one copy), and unchanged libraries are their own proof.
"$SLIMLINK" verify "${rel[@]}" -- "${rel[@]}" > /dev/null || fail "identical release libraries must verify"
pass "release libraries verify against themselves"

# Global options before the subcommand leave BEFORE -- AFTER alone.
"$SLIMLINK" --no-progress -j 1 verify "${rel[@]}" -- "${rel[@]}" > "$WORK/global.txt" 2>&1 ||
  fail "verify after global options: $(cat "$WORK/global.txt")"
pass "global options before verify"
