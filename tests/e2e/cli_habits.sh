#!/usr/bin/env bash
# The habits users bring from bloaty, cargo and llvm-objcopy, and no data
# loss: no verb writes over one of its inputs, whatever the path.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
mkdir in
cp "$CORPUS/release/libalpha.a" "$CORPUS/release/libbeta.a" in/
cp -r "$SRC/examples/rust/alpha" crate
orig=$(sha256sum in/libalpha.a in/libbeta.a crate/src/lib.rs crate/Cargo.toml)

# --- 1. No verb writes over one of its inputs ------------------------------
ln in/libalpha.a in/hardlink.a
ln -s libalpha.a in/symlink.a
refuses() { # DESCRIPTION ARGS...: exits non-zero, says so, leaves inputs alone
  local what=$1; shift
  set +e; "$SLIMLINK" "$@" > out.txt 2> err.txt; local rc=$?; set -e
  [ "$rc" != 0 ] || fail "$what: wrote over an input (exit 0)"
  grep -q "overwrite" err.txt || fail "$what: error does not say why: $(cat err.txt)"
  [ "$(sha256sum in/libalpha.a in/libbeta.a crate/src/lib.rs crate/Cargo.toml)" = "$orig" ] ||
    fail "$what: an input changed"
  [ -z "$(find . -name '*slimlink-tmp*')" ] || fail "$what: left a temporary file"
  pass "$what: refused ($(head -1 err.txt))"
}
refuses "isolate -o its input" isolate in/libalpha.a -o in/libalpha.a
refuses "prune -o a symlink to its input" prune in/libalpha.a -o in/symlink.a
refuses "strip -o a hard link to its input" strip in/libalpha.a -o in/hardlink.a
refuses "dedup -o the inputs' directory" dedup in/libalpha.a in/libbeta.a -o in
refuses "dedup --merge onto an input" dedup in/libalpha.a in/libbeta.a --merge in/libbeta.a
refuses "shrink -o the inputs' directory" shrink in/libalpha.a in/libbeta.a -o in
refuses "size --csv=its input" size in/libalpha.a --csv=in/libalpha.a
refuses "size -o its input" size in/libalpha.a -o in/libalpha.a
refuses "size --html its input" size in/libalpha.a --html in/symlink.a
refuses "size --diff -o the new file" size --diff in/libalpha.a in/libbeta.a -o in/libbeta.a
refuses "why --html its input" why in/libalpha.a --html in/hardlink.a
refuses "tricks --html a source file of the crate" tricks crate --lib --html crate/src/lib.rs
# Nor over another of its own outputs: two inputs with one file name, or the
# common library named like an input, would write one path twice.
mkdir -p in2 && cp in/libalpha.a in2/
collides() { # DESCRIPTION ARGS...: refused, nothing written to out/
  local what=$1; shift
  set +e; "$SLIMLINK" "$@" > out.txt 2> err.txt; local rc=$?; set -e
  [ "$rc" = 1 ] || fail "$what: exit status $rc: $(cat err.txt)"
  grep -q "two outputs would be written to this path" err.txt || fail "$what: error does not say why: $(cat err.txt)"
  [ ! -e out ] || fail "$what: wrote $(ls out)"
  pass "$what: refused ($(head -1 err.txt))"
}
collides "dedup of two libalpha.a" dedup in/libalpha.a in2/libalpha.a -o out
collides "dedup --common libbeta" dedup in/libalpha.a in/libbeta.a --common libbeta -o out
collides "shrink of two libalpha.a" shrink in/libalpha.a in/libbeta.a in2/libalpha.a -o out

# --- 2. bloaty's order: -d takes one argument --------------------------------
lib=in/libalpha.a
for args in "-d symbols $lib" "$lib -d crates,symbols" "--view=symbols $lib"; do
  # shellcheck disable=SC2086
  "$SLIMLINK" size $args --json > views.json 2> err.txt || fail "size $args: $(cat err.txt)"
  json_get views.json "d['files']" | grep -q libalpha.a || fail "size $args: the file was not read"
done
[ "$(json_get views.json "d['views']")" = "['symbols']" ] || fail "--view=symbols: views $(json_get views.json "d['views']")"
pass "size -d symbols FILE, FILE -d crates,symbols, --view=symbols FILE"

# --- 3. --csv and --json print; -o FILE (or --csv=FILE) writes ---------------
"$SLIMLINK" size -d sections "$lib" --csv > stdout.csv
[ "$(head -1 stdout.csv)" = "sections,vm_size,file_size" ] || fail "--csv does not print CSV: $(head -2 stdout.csv)"
"$SLIMLINK" size "$lib" --csv -o file.csv > stdout.txt
cmp -s file.csv stdout.csv && [ ! -s stdout.txt ] || fail "--csv -o FILE does not write the CSV to FILE"
"$SLIMLINK" size "$lib" --csv=eq.csv > /dev/null && cmp -s eq.csv stdout.csv || fail "--csv=FILE"
"$SLIMLINK" size "$lib" --json -o out.json > /dev/null && json_get out.json "d['file_size']" > /dev/null || fail "--json -o FILE"
set +e; "$SLIMLINK" size "$lib" --json --csv > both.txt 2> both.err; rc=$?; set -e
[ "$rc" != 0 ] && grep -q "choose one" both.err || fail "--json --csv together: exit $rc, $(cat both.err)"
pass "--csv/--json print to stdout, -o FILE and --csv=FILE write, --json --csv is an error"

# --- 4. An unknown subcommand is named, with the nearest one ----------------
set +e; "$SLIMLINK" sizes "$lib" > /dev/null 2> sub.err; rc=$?; set -e
[ "$rc" = 2 ] && grep -q "unknown subcommand 'sizes'; did you mean 'size'?" sub.err ||
  fail "slimlink sizes: exit $rc, $(cat sub.err)"
pass "unknown subcommand: $(cat sub.err)"

# --- 5. .data.rel.ro is its own output section in objects --------------------
cat > relro.c <<'C'
extern int x;
static int z;
int *const exact = &x;      /* .data.rel.ro */
int *const local_ptr = &z;  /* .data.rel.ro.local */
int data = 1;               /* .data */
int *get(void) { return &z; }
C
gcc -O0 -fPIC -c relro.c -o relro.o
sections=$(llvm-readelf-19 -SW relro.o)
grep -q ' \.data\.rel\.ro ' <<< "$sections" && grep -q ' \.data\.rel\.ro\.local ' <<< "$sections" ||
  fail "gcc made no .data.rel.ro and .data.rel.ro.local sections: $sections"
"$SLIMLINK" size relro.o --json > relro.json
python3 - relro.json relro.o <<'PY' || fail "sections of relro.o"
import json, subprocess, sys
d = json.load(open(sys.argv[1]))
rows = {r["name"]: r["file_size"] for r in d["rows"]}
out = subprocess.run(["llvm-readelf-19", "-SW", sys.argv[2]], capture_output=True, text=True).stdout
size = {}
for line in out.splitlines():
    f = line.replace("[ ", "[").split()
    if len(f) > 6 and f[1].startswith(".data"):
        size[f[1]] = int(f[5], 16)
relro = sum(v for k, v in size.items() if k == ".data.rel.ro" or k.startswith(".data.rel.ro."))
assert rows.get(".data.rel.ro") == relro, (rows, size)
assert rows.get(".data") == size[".data"], (rows, size)
PY
pass ".data.rel.ro (exact and .local) groups under .data.rel.ro, not .data"

# --- 8. Messages ---------------------------------------------------------------
for n in abc -1; do
  set +e; "$SLIMLINK" size "$lib" -n "$n" > /dev/null 2> n.err; rc=$?; set -e
  [ "$rc" != 0 ] && grep -q -- "'$n'" n.err && [ "$(wc -c < n.err)" -lt 200 ] ||
    fail "-n $n: exit $rc, $(head -c 300 n.err)"
done
"$SLIMLINK" size --diff "$lib" "$lib" > same.txt
grep -q "no differences" same.txt || fail "--diff X X: $(cat same.txt)"
for files in "" "$lib" "$lib $lib $lib"; do
  # shellcheck disable=SC2086
  set +e; "$SLIMLINK" size --diff $files > /dev/null 2> diff.err; rc=$?; set -e
  [ "$rc" = 2 ] && grep -q -- "--diff takes two files, OLD and NEW, and compares them; it was given $(wc -w <<< "$files" | sed 's/^0$/none/')" diff.err ||
    fail "--diff with $(wc -w <<< "$files") files: exit $rc, $(cat diff.err)"
done
touch afile
set +e; "$SLIMLINK" dedup in/libalpha.a in/libbeta.a -o afile > /dev/null 2> notdir.err; rc=$?; set -e
[ "$rc" != 0 ] && grep -q -- "-o afile is not a directory" notdir.err || fail "dedup -o FILE: $(cat notdir.err)"
# C archives: objects, not crates; an isolate that renames nothing says so.
for c in one two; do
  printf 'int %s_api(int x) { return x + 1; }\nint shared_helper(int x) { return x * 2; }\n' "$c" > "$c.c"
  printf 'int common(int x) { return x - 3; }\n' > common.c
  gcc -O1 -c "$c.c" -o "$c.o" && gcc -O1 -c common.c -o common.o
  llvm-ar-19 rcs "lib$c.a" "$c.o" common.o
done
"$SLIMLINK" dedup libone.a libtwo.a -o cdedup > cdedup.txt
grep -q "shared bytes by object" cdedup.txt && ! grep -qi "crate" cdedup.txt ||
  fail "dedup of C archives speaks of crates: $(cat cdedup.txt)"
"$SLIMLINK" isolate libone.a -o iso.a --api-regex . > iso.txt
grep -q "renamed nothing" iso.txt || fail "isolate that renamed nothing: $(cat iso.txt)"
"$SLIMLINK" isolate "$lib" -o iso2.a --api-regex '^_R' > iso2.txt
[ "$(grep -c . iso2.txt)" -lt 60 ] && grep -q "public API: [0-9]* symbols" iso2.txt ||
  fail "a long API is printed whole: $(grep 'public API' iso2.txt | head -c 300)"
"$SLIMLINK" isolate "$lib" -o iso2.a --api-regex '^_R' --json > iso2.json
[ "$(json_get iso2.json "len(d['api'])")" -gt 100 ] || fail "--json does not list the API"
pass "messages: -n, --diff X X, --diff with 0, 1 or 3 files, -o FILE, C archives, isolate's API and no-op"

# --- 9. New output directories get the user's umask ---------------------------
(umask 022 && "$SLIMLINK" dedup in/libalpha.a in/libbeta.a -o new/deeper > /dev/null)
[ "$(stat -c %a new)" = 755 ] && [ "$(stat -c %a new/deeper)" = 755 ] ||
  fail "new directories are $(stat -c %a new) and $(stat -c %a new/deeper), not 755"
pass "new output directories: 755 under umask 022"

# --- 10. An output file goes into a directory that exists ----------------------
# (A verb's output directory, -o DIR, is made: section 9.) A mistyped path is
# an error naming the missing directory, and nothing is made.
nodir() { # DESCRIPTION PATH ARGS...
  local what=$1 path=$2; shift 2
  set +e; "$SLIMLINK" "$@" > /dev/null 2> nodir.err; local rc=$?; set -e
  local want=1; [ "$1" = size ] && want=2 # size's 1 is "over budget"
  [ "$rc" = "$want" ] && grep -q "$path: cannot write: its directory $(dirname "$path") does not exist" nodir.err ||
    fail "$what: exit $rc, $(cat nodir.err)"
  [ ! -e missing ] || fail "$what: made $(find missing)"
}
nodir "size -o missing/dir/x.txt" missing/dir/x.txt size "$lib" -o missing/dir/x.txt
nodir "size --html missing/x.html" missing/x.html size "$lib" --html missing/x.html
nodir "prune -o missing/x.a" missing/x.a prune "$lib" -o missing/x.a
nodir "dedup --merge missing/x.a" missing/x.a dedup in/libalpha.a in/libbeta.a --merge missing/x.a
# A file no new file can be made beside (outputs are written beside their
# destination, then renamed into place): /proc takes no new files.
set +e; "$SLIMLINK" size "$lib" -o /proc/version > /dev/null 2> proc.err; rc=$?; set -e
[ "$rc" = 2 ] && grep -q "^slimlink: error: /proc/version: cannot write: cannot create a file in /proc (No such file or directory); each output is written to a new file beside it, then renamed into place" proc.err ||
  fail "size -o /proc/version: exit $rc, $(cat proc.err)"
# A destination that is not a plain file (a pipe here; /dev/null as root)
# would be replaced by the renamed output: refused, and left as it was.
mkfifo pipe.out
set +e; "$SLIMLINK" size "$lib" -o pipe.out > /dev/null 2> pipe.err; rc=$?; set -e
[ "$rc" = 2 ] && [ -p pipe.out ] && grep -q "^slimlink: error: pipe.out: is not a regular file" pipe.err ||
  fail "size -o FIFO: exit $rc, pipe kept: $([ -p pipe.out ] && echo yes || echo no), $(cat pipe.err)"
pass "output files: a missing directory is named, not made; /proc/version: $(cat proc.err)"

# --- API lists from the files people have --------------------------------------
"$SLIMLINK" prune "$lib" -o api-regex.a --api-regex '^alpha_' > /dev/null
printf 'ALPHA_1 {\n  global: alpha_*;\n  local: *;\n};\n' > alpha.map
printf 'LIBRARY alpha\nEXPORTS\n  alpha_word_stats @1\n' > alpha.def
printf '# one a line\nalpha_word_stats\n' > alpha.txt
for f in alpha.map alpha.def alpha.txt; do
  "$SLIMLINK" prune "$lib" -o "api-$f.a" --api "$f" > /dev/null || fail "--api $f"
  cmp -s "api-$f.a" api-regex.a || fail "--api $f prunes otherwise than --api-regex '^alpha_'"
done
printf 'ALPHA_1 {\n  global: alpha_*\n};\n' > broken.map
set +e; "$SLIMLINK" prune "$lib" -o never.a --api broken.map > /dev/null 2> map.err; rc=$?; set -e
[ "$rc" != 0 ] && grep -q "broken.map: line 3" map.err && [ ! -e never.a ] ||
  fail "a broken version script: exit $rc, $(cat map.err)"
pass "--api takes version scripts, .def files and plain lists; mistakes name the line"

# --- help VERB, and the man page written from the help at build time ----------
"$SLIMLINK" help why > help-why.txt && "$SLIMLINK" why --help > why-help.txt
cmp -s help-why.txt why-help.txt && grep -q "dominator\|keeps alive" help-why.txt || fail "slimlink help why"
"$SLIMLINK" help > help.txt && grep -q "Subcommands:" help.txt || fail "slimlink help"
page=$(dirname "$SLIMLINK")/slimlink.1
[ -s "$page" ] || fail "no man page at $page"
for verb in dedup isolate prune strip shrink verify size tricks why; do
  grep -q "^\.SH ${verb^^}$" "$page" || fail "the man page has no $verb section"
done
man -l "$page" > man.txt 2> /dev/null && grep -q "slimlink help SUBCOMMAND" man.txt || fail "man -l does not render the page"
pass "slimlink help VERB; the man page has every verb"
