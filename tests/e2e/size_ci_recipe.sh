#!/usr/bin/env bash
# README's plain shell CI step ("In CI"), run as README has it, between its
# "# >>> size check" and "# <<< size check" lines, on two objects built
# here: within budget it prints the Markdown report and exits 0; over budget
# it prints the report and exits 1; a broken input exits 2 with no report.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
sed -n '/^# >>> size check/,/^# <<< size check/p' "$SRC/README.md" > step.sh
[ "$(wc -l < step.sh)" -gt 4 ] || fail "README has no size check block"
mkdir bin && ln -s "$SLIMLINK" bin/slimlink

printf 'char arr_a[3000] = {1};\n' > old.c
printf 'char arr_a[3000] = {1};\nchar arr_b[2000] = {1};\n' > new.c
gcc -c old.c -o old.o && gcc -c new.c -o new.o

# step STATUS OLD NEW: the step's exit status must be STATUS.
step() {
  local want=$1 rc=0
  PATH="$WORK/bin:$PATH" OLD=$2 NEW=$3 bash step.sh > out.txt 2> err.txt || rc=$?
  [ "$rc" = "$want" ] || fail "step on $2 $3: exit $rc, want $want: $(cat out.txt err.txt)"
}

rm -f size-report.md
echo "TOTAL 1M" > size-budget.txt
step 0 old.o new.o
grep -q '^### Size change: `old.o` → `new.o`' out.txt &&
  grep -q '^### Size budget: within' out.txt || fail "within: $(cat out.txt)"
echo 'crates/[C] 1' > size-budget.txt
step 1 old.o new.o
grep -q '^### Size budget: \*\*over\*\*' out.txt &&
  grep -q "size check: over budget" err.txt || fail "over: $(cat out.txt err.txt)"
rm size-report.md
step 2 old.o missing.o
[ ! -e size-report.md ] && [ ! -s out.txt ] && grep -q "missing.o" err.txt ||
  fail "broken: $(cat out.txt err.txt)"
pass "README's CI step: 0 within budget, 1 over, 2 broken"
