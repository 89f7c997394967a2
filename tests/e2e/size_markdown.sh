#!/usr/bin/env bash
# slimlink size --markdown, a snapshot: the table (nested views, -n folding),
# the diff with a budget verdict, and --duplicates, of two C objects built
# here whose arrays have exact sizes (--source-filter '^arr_' keeps only
# them, so no byte count depends on the compiler); the few sizes that do
# (what the filter left out, the files' total) are computed from the files
# and `size --json`.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
printf 'char arr_a[300000] = {1};\nchar arr_b[20000] = {1};\nchar arr_c[1000] = {1};\nchar arr_d[10] = {1};\n' > old.c
printf 'char arr_a[300000] = {1};\nchar arr_b[25000] = {1};\nchar arr_c[500] = {1};\nchar arr_e[2000] = {1};\n' > new.c
gcc -c old.c -o old.o && gcc -c new.c -o new.o

# human BYTES: as size prints them (SI: 1.2 kB).
human() { python3 -c 'import sys; b = int(sys.argv[1])
print("%d B" % b if b < 1000 else "%.1f kB" % (b / 1e3) if b < 1e6 else "%.1f MB" % (b / 1e6))' "$1"; }
size_new=$(stat -c %s new.o); size_old=$(stat -c %s old.o)
vm_new=$("$SLIMLINK" size new.o --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["vm_size"])')
kept=327500 # arr_a + arr_b + arr_c + arr_e, in new.o
left_vm=$(human $((vm_new - kept))); left_file=$(human $((size_new - kept)))
all_files=$(human $((size_old + size_new)))

# snapshot NAME WANT_STATUS ARGS...: `size ARGS... --markdown` must print
# NAME.want exactly and exit with WANT_STATUS.
snapshot() {
  local name=$1 want=$2 rc=0; shift 2
  "$SLIMLINK" size "$@" --markdown > "$name.md" 2> "$name.err" || rc=$?
  [ "$rc" = "$want" ] || fail "$name: exit status $rc, want $want: $(cat "$name.err")"
  diff -u "$name.want" "$name.md" || fail "$name: the Markdown differs from the snapshot"
  pass "$name: as the snapshot"
}

cat > table.want <<MD
### Size of \`new.o\`

| sections, symbols | file size | % | VM size | % |
| :--- | ---: | ---: | ---: | ---: |
| \`.data\` | 327.5 kB | 100.0% | 327.5 kB | 100.0% |
| &emsp;↳ \`arr_a\` | 300.0 kB | 91.6% | 300.0 kB | 91.6% |
| &emsp;↳ \`arr_b\` | 25.0 kB | 7.6% | 25.0 kB | 7.6% |
| &emsp;↳ \`[2 others]\` | 2.5 kB | 0.8% | 2.5 kB | 0.8% |
| **TOTAL** | **327.5 kB** | 100.0% | **327.5 kB** | 100.0% |

--source-filter left out $left_vm of VM size, $left_file of file size.
MD
snapshot table 0 new.o -d sections,symbols --source-filter '^arr_' -n 2

cat > budget.txt <<'B'
symbols/arr_a      300K    # at its limit: within
growth symbols/arr_b 4K    # grew by 5000
growth symbols/arr_e 2K    # new, 2000: within
symbols/arr_ghost  1K      # no such row: 0 bytes
B
cat > diff.want <<'MD'
### Size change: `old.o` → `new.o`

File size 321.0 kB → 327.5 kB (**+6.5 kB (+6,490 B)**), VM size 321.0 kB → 327.5 kB (+6.5 kB (+6,490 B)).

| symbols | file change | VM change | old file | new file |
| :--- | ---: | ---: | ---: | ---: |
| `arr_b` | +5.0 kB (+5,000 B) | +5.0 kB (+5,000 B) | 20.0 kB | 25.0 kB |
| `arr_e` | +2.0 kB (+2,000 B) | +2.0 kB (+2,000 B) | 0 B | 2.0 kB |
| `arr_c` | -500 B | -500 B | 1.0 kB | 500 B |
| `[1 others]` | -10 B | -10 B | 10 B | 0 B |
| **TOTAL** | **+6.5 kB (+6,490 B)** | **+6.5 kB (+6,490 B)** | 321.0 kB | 327.5 kB |

### Size budget: **over**

over budget: 1 of 4 limits exceeded (budget.txt).

| limit | value | budget | over by | status |
| :--- | ---: | ---: | ---: | :--- |
| growth `symbols/arr_b` | +5.0 kB (+5,000 B) | +4.0 kB (+4,000 B) | **+1.0 kB (+1,000 B)** | **OVER** |
| `symbols/arr_a` | 300.0 kB (300,000 B) | 300.0 kB (300,000 B) |  | ok |
| growth `symbols/arr_e` | +2.0 kB (+2,000 B) | +2.0 kB (+2,000 B) |  | ok |
| `symbols/arr_ghost` | 0 B | 1.0 kB (1,000 B) |  | ok (no such row) |
MD
snapshot diff 1 --diff old.o new.o -d symbols --source-filter '^arr_' -n 3 --budget budget.txt
grep -qx "slimlink: over budget: 1 of 4 limits exceeded (budget.txt)" diff.err || fail "diff: stderr $(cat diff.err)"

cat > duplicates.want <<MD
### Duplicates across 2 files

| symbols in more than one file | copies | file size | duplicated file | VM size | duplicated VM |
| :--- | ---: | ---: | ---: | ---: | ---: |
| \`arr_a\` | 2 | 600.0 kB | 300.0 kB | 600.0 kB | 300.0 kB |
| \`arr_b\` | 2 | 45.0 kB | 20.0 kB | 45.0 kB | 20.0 kB |
| \`[1 others]\` |  | 1.5 kB | 500 B | 1.5 kB | 500 B |
| **TOTAL duplicated** |  |  | **320.5 kB** |  | **320.5 kB** |

One shared copy of each would save at most 320.5 kB of file size (320,500 B) and 320.5 kB of VM size, of the 2 files' $all_files.
MD
snapshot duplicates 0 --duplicates old.o new.o -d symbols -n 2

# Within budget, the verdict says so.
echo "symbols/arr_a 300K" > within.txt
"$SLIMLINK" size new.o -d symbols --budget within.txt --markdown > within.md || fail "within budget: exit $?"
sed -n '/^### Size budget/,$p' within.md > verdict.md
cat > verdict.want <<'MD'
### Size budget: within

within budget: the limit of within.txt holds.

| limit | value | budget | over by | status |
| :--- | ---: | ---: | ---: | :--- |
| `symbols/arr_a` | 300.0 kB (300,000 B) | 300.0 kB (300,000 B) |  | ok |
MD
diff -u verdict.want verdict.md || fail "within budget: the verdict differs"
pass "within budget: as the snapshot"
