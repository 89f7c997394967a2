#!/usr/bin/env bash
# slimlink size on bad input: one error naming the file (and offset), exit
# status 1, and no output file (not even a partial one).
source "$(dirname "$0")/lib.sh"
cd "$WORK"
expect_error() { # PATTERN ARGS...: must exit 1 with PATTERN on stderr, nothing written
  local pattern=$1; shift
  set +e; "$SLIMLINK" size "$@" --html out.html --csv=out.csv > stdout.txt 2> stderr.txt; local rc=$?; set -e
  [ "$rc" = 1 ] || fail "size $*: exit status $rc, expected 1"
  grep -q -- "$pattern" stderr.txt || fail "size $*: error does not match '$pattern': $(cat stderr.txt)"
  [ ! -e out.html ] && [ ! -e out.csv ] || fail "size $*: wrote an output file despite the error"
  [ -z "$(ls | grep slimlink-tmp)" ] || fail "size $*: left a temporary file"
  [ ! -s stdout.txt ] || fail "size $*: printed a partial report"
  return 0
}
echo "not an object" > text.txt
expect_error "text.txt: not an ELF file or an archive" text.txt
expect_error "missing.o: cannot open" missing.o
# A truncated ELF file: the section header table is past the end.
head -c 2000 "$SLIMLINK" > truncated
expect_error "truncated: ELF section header table at [0-9]* lies past the end" truncated
# A truncated archive: the error names the member and its offset.
head -c 300000 "$CORPUS/release/libalpha.a" > truncated.a
expect_error "truncated.a: member '.*' at offset 0x[0-9a-f]*: truncated" truncated.a
expect_error "unknown view 'bogus'" "$SLIMLINK" -d bogus
# A good input after a bad one still fails the run and writes nothing.
expect_error "text.txt" "$SLIMLINK" text.txt
pass "bad inputs: one error naming the file, exit 1, nothing written"

# And a good run writes both files, whole.
"$SLIMLINK" size "$SLIMLINK" --csv=out.csv --html out.html > /dev/null
[ "$(head -1 out.csv)" = 'sections,vm_size,file_size' ] || fail "CSV header is not 'sections,vm_size,file_size'"
python3 - out.csv "$SLIMLINK" <<'PY' || fail "CSV rows do not sum to the file size"
import csv, os, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert sum(int(r["file_size"]) for r in rows) == os.path.getsize(sys.argv[2])
PY
grep -q '</html>' out.html || fail "HTML is incomplete"
pass "a good run writes the CSV and the page"
