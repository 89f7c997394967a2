#!/usr/bin/env bash
# slimlink size on a cargo-built hello world (release, with debug info) and
# the same binary stripped: every view's rows sum exactly to the file size
# and to the loaded segments' memory size; debug info, std, core, alloc and
# the user crate are rows of their own; the diff of the two is the debug
# info and the symbol tables.
source "$(dirname "$0")/lib.sh"
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
CARGO_PROFILE_RELEASE_DEBUG=true CARGO_PROFILE_RELEASE_STRIP=none \
  cargo build --offline --quiet --release \
  --manifest-path "$SRC/examples/rust-bin/hello/Cargo.toml" --target-dir "$WORK/target"
bin="$WORK/hello"; stripped="$WORK/hello.stripped"
cp "$WORK/target/release/hello" "$bin"
strip -o "$stripped" "$bin"
# And cargo's own strip (profile.release.strip = "symbols"), built apart.
CARGO_PROFILE_RELEASE_STRIP=symbols cargo build --offline --quiet --release \
  --manifest-path "$SRC/examples/rust-bin/hello/Cargo.toml" --target-dir "$WORK/target-strip"
cargo_stripped="$WORK/hello.cargo-stripped"
cp "$WORK/target-strip/release/hello" "$cargo_stripped"
[ "$("$bin")" = "$(printf 'hello: 2\nslimlink: 1\nworld: 1')" ] || fail "hello world does not run"
grep -q '\.debug_info' <<< "$(llvm-readelf-19 -S "$bin")" || fail "unstripped binary has no debug info"

reports=() vms=()
for f in "$bin" "$stripped" "$cargo_stripped"; do
  vm=$(load_vm_size "$f")
  for views in sections segments symbols crates compileunits inputfiles members crates,symbols sections,symbols; do
    r="$WORK/r.$(basename "$f").$views.json"
    size_json "$r" "$f" "$views"
    reports+=("$r" "$f") vms+=("$r" "$vm")
  done
done
size_sums "${reports[@]}" || fail "a view's rows do not sum to the totals"
python3 - "${vms[@]}" <<'PY' || fail "a view's VM size is not the loaded segments' size"
import json, sys
for report, vm in zip(sys.argv[1::2], sys.argv[2::2]):
    got = json.load(open(report))["vm_size"]
    assert got == int(vm), f"{report}: VM size {got} != loaded segments' {vm}"
PY
pass "every view sums to the file size and the VM size: unstripped, strip(1), cargo's strip"

"$SLIMLINK" size "$bin" -d crates --json > "$WORK/crates.json"
for row in '[debug info]' std core alloc hello; do
  grep -q yes <<< "$(json_get "$WORK/crates.json" "'yes' if any(r['name'] == '$row' and r['file_size'] > 0 for r in d['rows']) else 'no'")" || fail "crates view has no '$row' row"
done
# The user crate's own function is charged to it (count_words is inlined
# into main).
"$SLIMLINK" size "$bin" -d crates,symbols --json > "$WORK/cs.json"
grep -q "'hello::main'" <<< "$(json_get "$WORK/cs.json" "[s['name'] for r in d['rows'] if r['name'] == 'hello' for s in r.get('rows', [])]")" || fail "hello::main is not in the hello crate"
pass "debug info, std, core, alloc and hello are rows of their own"

# The table prints the same totals.
"$SLIMLINK" size "$bin" -d crates > "$WORK/table.txt"
grep -q '^TOTAL' "$WORK/table.txt" || fail "table has no TOTAL"
grep -q '^std ' "$WORK/table.txt" || fail "table has no std row"

# Diff: stripping removes the debug sections and the symbol tables, and
# nothing that is loaded.
"$SLIMLINK" size --diff "$bin" "$stripped" -d sections --json > "$WORK/diff.json"
python3 - "$WORK/diff.json" "$bin" "$stripped" <<'PY' || fail "diff of stripped vs unstripped is not the debug sections"
import json, os, sys
d = json.load(open(sys.argv[1]))
old, new = os.path.getsize(sys.argv[2]), os.path.getsize(sys.argv[3])
assert (d["old_file_size"], d["new_file_size"]) == (old, new), "diff totals are not the file sizes"
rows = d["rows"]
assert sum(r["file_change"] for r in rows) == new - old, "changes do not sum to the size change"
assert all(r["vm_change"] == 0 for r in rows), "stripping changed loaded bytes"
allowed = lambda n: n.startswith(".debug") or n in (".symtab", ".strtab", ".shstrtab", "[section headers]", "[padding]", "[unmapped]")
assert all(allowed(r["name"]) for r in rows), [r["name"] for r in rows if not allowed(r["name"])]
assert rows[0]["name"].startswith(".debug"), "the biggest change is not debug info: " + rows[0]["name"]
debug = -sum(r["file_change"] for r in rows if r["name"].startswith(".debug"))
assert debug > (old - new) // 2, f"debug sections are only {debug} of {old - new} bytes removed"
print(f"stripped {old - new} bytes, {debug} of them debug sections")
PY
changes=$(json_get "$WORK/diff.json" "[abs(r['file_change']) for r in d['rows']]")
python3 -c "import sys; c = $changes; assert c == sorted(c, reverse=True)" || fail "diff rows are not sorted by absolute change"
pass "the diff of stripped vs unstripped is the debug info and symbol tables"

# By crate, a stripped file's code has no names: the diff would call every
# lost name a saving of its crate. It says so instead.
rc=0; "$SLIMLINK" size --diff "$bin" "$stripped" -d crates > "$WORK/dc.txt" 2> "$WORK/dc.err" || rc=$?
[ "$rc" = 2 ] && grep -q "hello.stripped has no symbol table (stripped)" "$WORK/dc.err" && [ ! -s "$WORK/dc.txt" ] ||
  fail "crates diff against a stripped file: exit $rc, $(cat "$WORK/dc.err")"
pass "a crates diff against a stripped file is refused, with the reason"
