#!/usr/bin/env bash
# slimlink size on bad input: one error naming the file (and offset), exit
# status 2 (size's 1 is "over budget"), and no output file (not even a partial one).
source "$(dirname "$0")/lib.sh"
cd "$WORK"
expect_error() { # PATTERN ARGS...: must exit 2 with PATTERN on stderr, nothing written
  local pattern=$1; shift
  set +e; "$SLIMLINK" size "$@" --html out.html --csv=out.csv > stdout.txt 2> stderr.txt; local rc=$?; set -e
  [ "$rc" = 2 ] || fail "size $*: exit status $rc, expected 2"
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

# --arch picks a slice of a universal file: a file with no slices, a thin
# Mach-O file or archive for another architecture, or a name no architecture
# has, is an error naming the file (or the name), not a silent whole-file run.
printf 'int f(int x) { return x + 1; }\n' > arch.c
clang-19 --target=x86_64-pc-windows-msvc -c arch.c -o arch.obj
lld-link-19 /entry:f /subsystem:console /nodefaultlib /out:arch.exe arch.obj > /dev/null
gcc -c arch.c -o arch.o && llvm-ar-19 rcs libelf.a arch.o
for a in arm64 x86_64; do clang-19 --target=$a-apple-macos11 -c arch.c -o $a.o; done
llvm-ar-19 --format=darwin rcs libx86_64.a x86_64.o
llvm-lipo-19 -create arm64.o x86_64.o -output fat.o
expect_error "$SLIMLINK: --arch arm64 picks a slice of a universal (fat) Mach-O file; this is an ELF file" "$SLIMLINK" --arch arm64
expect_error "arch.exe: --arch arm64 picks a slice .*; this is a PE file" arch.exe --arch arm64
expect_error "arch.obj: --arch x86_64 picks a slice .*; this is a COFF file" arch.obj --arch x86_64
expect_error "libelf.a: --arch x86_64 picks a slice .*; this is an archive of ELF objects" libelf.a --arch x86_64
expect_error "libx86_64.a: has no arm64 slice (it is a thin archive; its member 'x86_64.o' is for x86_64)" libx86_64.a --arch arm64
expect_error "x86_64.o: has no arm64 slice (it is a thin x86_64 file)" x86_64.o --arch arm64
expect_error "fat.o: has no ppc64 slice (it holds .*arm64" fat.o --arch ppc64
expect_error "--arch bogus: not an architecture name (.*arm64" "$SLIMLINK" --arch bogus
expect_error "--arch bogus: not an architecture name" fat.o --arch bogus
# What --arch is for still works: a slice of a universal file, and a thin
# file of that architecture (to diff a slice against a thin build).
"$SLIMLINK" size fat.o --arch arm64 --json > fat-arm64.json
"$SLIMLINK" size arm64.o --json > arm64.json
[ "$(json_get fat-arm64.json "d['rows']")" = "$(json_get arm64.json "d['rows']")" ] ||
  fail "size fat.o --arch arm64 differs from the thin arm64.o"
"$SLIMLINK" size --diff fat.o libx86_64.a --arch x86_64 > /dev/null || fail "--diff fat.o libx86_64.a --arch x86_64"
"$SLIMLINK" size x86_64.o --arch x86_64 > /dev/null || fail "size x86_64.o --arch x86_64"
pass "--arch: files with no slices, thin files of another architecture and unknown names are refused"

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
