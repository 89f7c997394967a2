#!/usr/bin/env bash
# Archive details dedup must keep: two members with the same name but
# different bytes in one archive (legal, and both must survive and link), and
# non-object members, kept or dropped on request.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
printf 'int first(void) { return 1; }\n' > dup1.c
printf 'int second(void) { return 2; }\n' > dup2.c
printf 'int shared(void) { return 40; }\n' > shared.c
printf 'int only_y(void) { return 5; }\n' > y.c
echo "not an object" > notes.txt
gcc -c shared.c && gcc -c y.c
gcc -c dup1.c -o dup.o && llvm-ar-19 q libx.a dup.o
gcc -c dup2.c -o dup.o && llvm-ar-19 q libx.a dup.o
llvm-ar-19 q libx.a shared.o notes.txt && llvm-ar-19 s libx.a
llvm-ar-19 rcs liby.a y.o shared.o notes.txt
cat > main.c <<'C'
#include <stdio.h>
int first(void), second(void), shared(void), only_y(void);
int main(void) { printf("%d\n", first() + second() + shared() + only_y()); return 0; }
C

"$SLIMLINK" dedup libx.a liby.a -o keep > /dev/null
[ "$(llvm-ar-19 t keep/libx.a | tr '\n' ' ')" = "dup.o dup.o " ] || fail "libx.a: $(llvm-ar-19 t keep/libx.a | tr '\n' ' ')"
[ "$(llvm-ar-19 t keep/libcommon.a | tr '\n' ' ')" = "shared.o notes.txt " ] || fail "common: $(llvm-ar-19 t keep/libcommon.a | tr '\n' ' ')"
for ld in bfd lld; do
  gcc -fuse-ld=$ld main.c keep/libx.a keep/liby.a keep/libcommon.a -o main-$ld
  [ "$(./main-$ld)" = 48 ] || fail "$ld: both dup.o members must link"
done
pass "same-named members survive and link; non-objects kept"

"$SLIMLINK" dedup libx.a liby.a -o drop --non-objects drop > /dev/null
case "$(llvm-ar-19 t drop/*.a)" in *notes.txt*) fail "notes.txt not dropped" ;; esac
[ "$(llvm-ar-19 t drop/libcommon.a)" = shared.o ] || fail "drop: common should hold shared.o"
pass "--non-objects drop drops them"
