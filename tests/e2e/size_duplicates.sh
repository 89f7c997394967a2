#!/usr/bin/env bash
# slimlink size --duplicates: shared libraries linked here from the corpus
# staticlibs (each carries its own std, core, alloc) and one cdylib built by
# another rustc (Debian's 1.63). Every row is checked against each file's own
# `size FILE -d VIEW` rows: the copies, the bytes of all copies and the
# duplicated bytes, sum - max exactly, in CSV and JSON; std, core and alloc
# are in all three libraries, one build; the other rustc's std differs. A
# stripped input is named, universal files need --arch, a PE pair is matched
# by its exported names.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
rel="$CORPUS/release"
for l in alpha beta gamma; do
  gcc -shared -o "lib$l.so" -Wl,--whole-archive "$rel/lib$l.a" \
    -Wl,--no-whole-archive -lpthread -ldl -lm || fail "linking lib$l.so"
done
# A Node addon is a shared library by another name.
mv libgamma.so gamma.node
inputs=(libalpha.so libbeta.so gamma.node)

# check_rows VIEW PERFILE_VIEW REPORT.csv REPORT.json FILE...: the report's
# rows are exactly the names (not bracketed) in two or more of the FILEs'
# own `size -d PERFILE_VIEW` rows, with their copies, sums and sum - max.
check_rows() {
  local view=$1 perfile=$2 csv=$3 json=$4; shift 4
  local i=0 args=()
  for f in "$@"; do
    size_json "per$i.json" "$f" "$perfile"
    args+=("$f" "per$i.json"); i=$((i + 1))
  done
  python3 - "$view" "$csv" "$json" "${args[@]}" <<'PY'
import csv, json, sys
view, csvfile, jsonfile, rest = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
copies = {}
for path, per in zip(rest[::2], rest[1::2]):
    for r in json.load(open(per))["rows"]:
        if not r["name"].startswith("["):
            copies.setdefault(r["name"], []).append((path, r["vm_size"], r["file_size"]))
want = {}
for name, c in copies.items():
    if len(c) < 2:
        continue
    vm = [x[1] for x in c]; fs = [x[2] for x in c]
    want[name] = (len(c), sum(vm), sum(fs), sum(vm) - max(vm), sum(fs) - max(fs))
rows = list(csv.DictReader(open(csvfile)))
assert rows, "no rows"
assert list(rows[0])[:6] == [view, "copies", "vm_size", "file_size", "duplicated_vm", "duplicated_file"], list(rows[0])
got = {r[view]: tuple(int(r[k]) for k in ("copies", "vm_size", "file_size", "duplicated_vm", "duplicated_file")) for r in rows}
assert len(got) == len(rows), "a name twice"
missing = sorted(set(want) - set(got)); extra = sorted(set(got) - set(want))
assert not missing and not extra, f"missing {missing[:5]}, extra {extra[:5]}"
bad = [(n, got[n], want[n]) for n in want if got[n] != want[n]]
assert not bad, f"(copies, vm, file, duplicated vm, duplicated file) differ: {bad[:5]}"
keys = [(-int(r["duplicated_file"]), r[view]) for r in rows]
assert keys == sorted(keys), "not sorted by duplicated file bytes, then name"
d = json.load(open(jsonfile))
for k in ("verb", "version", "inputs", "outputs", "files", "views", "vm_size", "file_size", "rows"):
    assert k in d, f"JSON has no {k}"
assert d["verb"] == "size" and d["views"] == [view] and d["duplicates"] is True
assert d["inputs"] == rest[::2] and d["files"] == rest[::2]
assert d["duplicated_file"] == sum(w[4] for w in want.values())
assert d["duplicated_vm"] == sum(w[3] for w in want.values())
jrows = {r.get("mangled", r["name"]): r for r in d["rows"]}
for n, w in want.items():
    r = jrows[n]
    assert (r["copies"], r["vm_size"], r["file_size"], r["duplicated_vm"], r["duplicated_file"]) == w, n
    assert len(r["files"]) == w[0]
print(f"{view}: {len(want)} rows, {d['duplicated_file']} duplicated file bytes")
PY
}

"$SLIMLINK" size --duplicates "${inputs[@]}" --csv > crates.csv || fail "--duplicates --csv failed"
"$SLIMLINK" size --duplicates "${inputs[@]}" --json > crates.json || fail "--duplicates --json failed"
check_rows crates crates crates.csv crates.json "${inputs[@]}" || fail "crates rows"
python3 - <<'PY' || fail "std, core and alloc are not three copies of one build"
import csv
rows = {r["crates"]: r for r in csv.DictReader(open("crates.csv"))}
for c in ("std", "core", "alloc"):
    assert rows[c]["copies"] == "3", (c, rows[c])
    assert rows[c]["versions_differ"] == "0", (c, rows[c])
    assert int(rows[c]["duplicated_file"]) > 0
for c in ("alpha", "beta", "gamma"):
    assert c not in rows, f"{c} is in one file only"
PY
pass "crates: std, core, alloc in 3 copies of one build; every row is sum - max of the files' own rows"

"$SLIMLINK" size --duplicates "${inputs[@]}" -d symbols --csv -C none > symbols.csv
"$SLIMLINK" size --duplicates "${inputs[@]}" -d symbols --json > symbols.json
check_rows symbols rawsymbols symbols.csv symbols.json "${inputs[@]}" || fail "symbols rows"
"$SLIMLINK" size --duplicates "${inputs[@]}" -d sections --csv > sections.csv
"$SLIMLINK" size --duplicates "${inputs[@]}" -d sections --json > sections.json
check_rows sections sections sections.csv sections.json "${inputs[@]}" || fail "sections rows"
grep -q '^\.text,3,' sections.csv || fail "no .text row in 3 copies"
pass "symbols (by mangled name) and sections: every row is sum - max of the files' own rows"

# The table: the total line says what one shared copy would save.
"$SLIMLINK" size --duplicates "${inputs[@]}" > table.txt
total=$(json_get crates.json "d['duplicated_file']")
grep -q "^TOTAL duplicated" table.txt || fail "no total line"
grep -q "One shared copy of each would save at most" table.txt || fail "the table does not say what sharing saves"
grep -q "^std " table.txt || fail "no std row in the table"
"$SLIMLINK" size --duplicates "${inputs[@]}" --html dups.html > /dev/null
grep -q "would save at most $total bytes" dups.html || fail "the page does not say what sharing saves"
pass "table and page: the total duplicated bytes ($total) are what one shared copy would save at most"

# Another rustc's std: the same crate name, no mangled name in common.
command -v /usr/bin/rustc > /dev/null || fail "Debian's rustc is not installed (scripts/setup.sh installs it)"
cat > old.rs <<'EOF'
#[no_mangle]
pub extern "C" fn old_answer(n: u32) -> u32 {
    let v: Vec<u32> = (0..n).collect();
    println!("{:?}", v);
    v.iter().sum()
}
EOF
/usr/bin/rustc --edition 2021 --crate-type cdylib -C opt-level=2 old.rs -o libold.so
"$SLIMLINK" size --duplicates libalpha.so libbeta.so libold.so --json > old.json
python3 - <<'PY' || fail "another rustc's std is not marked"
import json
rows = {r["name"]: r for r in json.load(open("old.json"))["rows"]}
assert rows["std"]["copies"] == 3 and rows["std"]["versions_differ"] is True, rows["std"]
PY
"$SLIMLINK" size --duplicates libalpha.so libbeta.so libold.so > old.txt
grep -q "^std .* differ *$" old.txt || fail "the table does not say std's versions differ"
grep -q "^versions differ:" old.txt || fail "the table does not explain 'versions differ'"
pass "another rustc's std: 3 copies, versions differ"

# Stripped: the names that survive (the dynamic symbols) are matched, and the
# report says which input was stripped; a file with no names is named too.
strip -o libbeta.stripped.so libbeta.so
printf 'static int f(int x) { return x * 3; }\nint (*p)(int) = f;\n' > noname.c
gcc -shared -fvisibility=hidden -o libnoname.so noname.c && strip libnoname.so
"$SLIMLINK" size --duplicates libalpha.so libbeta.stripped.so libnoname.so --json > stripped.json
json_get stripped.json "d['stripped']" | grep -q "libbeta.stripped.so" || fail "the stripped input is not named"
json_get stripped.json "d['no_names']" | grep -q "libnoname.so" || fail "the input without names is not named"
"$SLIMLINK" size --duplicates libalpha.so libbeta.stripped.so libnoname.so > stripped.txt
grep -q "^stripped (matched by the names that survive): .*libbeta.stripped.so" stripped.txt || fail "the table does not name the stripped input"
grep -q "^no crate names to match: libnoname.so" stripped.txt || fail "the table does not name the input without names"
pass "stripped inputs and inputs without names are named"

# Mach-O: a universal file needs --arch (its slices are never loaded
# together); with it, the slices are compared as thin files.
printf 'int shared_fn(int x) { return x * 7 + 1; }\n' > m.c
for a in arm64 x86_64; do clang-19 --target=$a-apple-macos11 -O1 -c m.c -o m.$a.o; done
llvm-lipo-19 -create m.arm64.o m.x86_64.o -output m.fat.o
cp m.fat.o m2.fat.o
if "$SLIMLINK" size --duplicates m.fat.o m2.fat.o > fat.out 2> fat.err; then fail "a universal file was compared without --arch"; fi
grep -q "m.fat.o.*--arch" fat.err || fail "the error does not name the file and --arch: $(cat fat.err)"
[ ! -s fat.out ] || fail "output written on error"
"$SLIMLINK" size --duplicates m.fat.o m2.fat.o --arch arm64 -d symbols --csv > fat.csv
grep -q '^shared_fn,2,' fat.csv || fail "no shared_fn row in 2 copies: $(cat fat.csv)"
pass "Mach-O: a universal file needs --arch; with it, shared_fn in 2 copies"

# PE: two DLLs that both have the same function (a COFF symbol table, as
# MinGW's; without it the DLLs have no names to match, and are named so).
printf '__declspec(dllexport) int shared_fn(int x) { return x * 7 + 1; }\n' > s.c
printf '__declspec(dllexport) int only_%s(int x) { return x; }\n' a > a.c
printf '__declspec(dllexport) int only_%s(int x) { return x; }\n' b > b.c
for d in a b; do
  clang-19 --target=x86_64-pc-windows-msvc -O1 -c s.c -o s.obj
  clang-19 --target=x86_64-pc-windows-msvc -O1 -c $d.c -o $d.obj
  lld-link-19 /dll /noentry /nodefaultlib /debug:symtab /out:$d.dll s.obj $d.obj > /dev/null
  lld-link-19 /dll /noentry /nodefaultlib /out:$d.nosym.dll s.obj $d.obj > /dev/null
done
"$SLIMLINK" size --duplicates a.dll b.dll -d symbols --csv > pe.csv
"$SLIMLINK" size --duplicates a.dll b.dll -d symbols --json > pe.json
check_rows symbols rawsymbols pe.csv pe.json a.dll b.dll || fail "PE symbols rows"
grep -q '^shared_fn,2,' pe.csv || fail "no shared_fn row in 2 copies: $(cat pe.csv)"
grep -q 'only_' pe.csv && fail "a function of one DLL is a duplicate"
"$SLIMLINK" size --duplicates a.nosym.dll b.nosym.dll -d symbols > nosym.txt
grep -q "^no symbols in more than one of the 2 inputs" nosym.txt || fail "PE without symbols: $(cat nosym.txt)"
grep -q "^no symbol names to match: a.nosym.dll, b.nosym.dll" nosym.txt || fail "PE without symbols are not named: $(cat nosym.txt)"
pass "PE: shared_fn in 2 DLLs, 2 copies; each DLL's own function is no duplicate; DLLs without a symbol table are named"

# Wrong uses: one clear error, nothing written.
expect_error() {
  local want=$1; shift
  if "$SLIMLINK" size "$@" > err.out 2> err.txt; then fail "size $* succeeded"; fi
  grep -q -- "$want" err.txt || fail "size $*: error does not say '$want': $(cat err.txt)"
  [ ! -s err.out ] || fail "size $*: wrote output on error"
}
expect_error "two or more" --duplicates libalpha.so
expect_error "one view" --duplicates libalpha.so libbeta.so -d members
expect_error "one view" --duplicates libalpha.so libbeta.so -d crates,symbols
expect_error "give one or the other" --duplicates --diff libalpha.so libbeta.so
expect_error "no -s" --duplicates libalpha.so libbeta.so -s vm
expect_error "missing.so" --duplicates libalpha.so missing.so
pass "wrong uses get one clear error each"
