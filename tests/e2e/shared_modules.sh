# shrink --shared and dedup --shared on three Rust plugins loaded as
# separate shared modules (examples/shared): the outputs are DIR/libcommon.so
# and a slim library per plugin; each module is linked with the line the
# report prints, and a C host loads them with dlopen(RTLD_LOCAL), as CPython
# and Node load extension modules, in several orders and subsets. Checks:
#  - a buffer one module allocates another frees; panics are caught across
#    the shared std; one panic hook serves every module (with standalone
#    modules each has its own std, so a's hook sees none of b's panics);
#  - everything else the host prints is what it prints with the standalone
#    modules (each linked from its original staticlib, as a cdylib is);
#  - libcommon.so exports exactly what the modules import from it, and the
#    modules define none of it and need it (DT_NEEDED, $ORIGIN);
#  - bytes: the modules and libcommon.so against the standalone modules;
#  - --pkg-config: pkg-config --libs NAME-MODULE links each module;
#  - deterministic; bad input: two std builds, nothing shared, --merge.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
T=$WORK/target
cargo build --offline --quiet --release --manifest-path "$SRC/examples/shared/Cargo.toml" \
  --target-dir "$T" 2> cargo.log || fail "cargo: $(tail -5 cargo.log)"
libs=("$T"/release/libplug_{a,b,c}.a)
gcc -O2 "$SRC/examples/shared/host.c" -o host -ldl || fail "the host does not build"
NATIVE=(-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc)

# The standalone modules: each staticlib linked as a cdylib is, its API
# exported, stripped.
mkdir -p alone
for p in a b c; do
  printf '{ global: %s_*; local: *; };\n' "$p" > alone/$p.map
  gcc -shared -o alone/plug_$p.so -Wl,--gc-sections -Wl,--version-script=alone/$p.map -s \
    -Wl,--whole-archive "$T/release/libplug_$p.a" -Wl,--no-whole-archive "${NATIVE[@]}" ||
    fail "standalone plug_$p does not link"
done
./host alone/plug_{a,b,c}.so > alone.out 2> alone.err || fail "the standalone modules: $(cat alone.out)"
grep -q "a's panic hook saw 0 panics" alone.out ||
  fail "premise: with standalone modules a's hook should see none of b's panics: $(cat alone.out)"

# shared VERB DIR ARGS...: runs VERB --shared into DIR (twice: the same
# bytes), links each module with the report's line (beside libcommon.so).
shared() {
  local verb=$1 dir=$2; shift 2
  "$SLIMLINK" "$verb" --shared "${libs[@]}" -o "$dir" --json "$@" > "$dir.json" 2> "$dir.err" ||
    fail "$verb --shared: $(head -5 "$dir.err")"
  "$SLIMLINK" -j 1 "$verb" --shared "${libs[@]}" -o "$dir.again" "$@" > /dev/null 2>&1 ||
    fail "$verb --shared: the second run failed"
  diff -r <(cd "$dir" && sha256sum ./*) <(cd "$dir.again" && sha256sum ./*) > /dev/null ||
    fail "$verb --shared: outputs differ between two runs (and -j)"
  [ -f "$dir/libcommon.so" ] && [ ! -e "$dir/libcommon.a" ] ||
    fail "$verb --shared: want DIR/libcommon.so and no libcommon.a: $(ls "$dir")"
  python3 - "$dir.json" > "$dir.lines" <<'PY' || fail "$verb --shared: no link_lines in the report"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["outputs"][-1].endswith("libcommon.so"), d["outputs"]
for line in d["link_lines"]:
    print(line)
PY
  [ "$(wc -l < "$dir.lines")" = 3 ] || fail "$verb --shared: want 3 link lines: $(cat "$dir.lines")"
  local line
  while read -r line; do
    eval "$line -s" > "$dir.link" 2>&1 || fail "$verb --shared: '$line': $(head -5 "$dir.link")"
  done < "$dir.lines"
  for p in a b c; do
    [ -f "$dir/plug_$p.so" ] || fail "$verb --shared: the link line made no plug_$p.so: $(cat "$dir.lines")"
  done
}

# same_run DIR MODULES...: the host's lines with the modules of DIR, in that
# order: all but the hook's as with the standalone ones, and one hook.
same_run() {
  local dir=$1; shift
  local args=() m
  for m in "$@"; do args+=("$dir/$m.so"); done
  ./host "${args[@]}" > "$dir.run" 2>&1 || fail "$dir: host $*: $(head -5 "$dir.run")"
  local want=alone.$*.out
  want=${want// /_}
  if [ ! -f "$want" ]; then
    ./host $(printf 'alone/%s.so ' "$@") > "$want" 2> "$want.err" || fail "standalone $*: $(head -5 "$want")"
  fi
  diff <(grep -v "panic hook" "$want") <(grep -v "panic hook" "$dir.run") > "$dir.diff" ||
    fail "$dir: host $*: prints other than with the standalone modules: $(head "$dir.diff")"
  if [[ " $* " == *" plug_a "* && " $* " == *" plug_b "* ]]; then
    grep -q "a's panic hook saw 3 panics" "$dir.run" ||
      fail "$dir: host $*: a's hook did not see b's panics (two copies of std?): $(grep hook "$dir.run")"
  fi
}

for verb in shrink dedup; do
  D=$WORK/$verb
  shared "$verb" "$D"
  exports_exactly "$D" "$([ "$verb" = shrink ] && echo modules || echo archives)" plug_{a,b,c}
  same_run "$D" plug_a plug_b plug_c
  same_run "$D" plug_c plug_b plug_a
  same_run "$D" plug_b plug_a
  same_run "$D" plug_c
  # Loaded from elsewhere: libcommon.so is found beside the modules.
  (cd / && "$WORK/host" "$D/plug_b.so" > /dev/null 2>&1) || fail "$verb: not loadable from another directory"
done
pass "shrink/dedup --shared: modules load in any order and subset (RTLD_LOCAL), share one allocator, panic hook and unwinder, and print what the standalone modules print"

# --pkg-config: DIR/plugins.pc (libcommon.so) and DIR/plugins-plug_X.pc
# (each module); the directory moved, each module linked from pkg-config's
# line, loaded by the host.
"$SLIMLINK" shrink --shared --pkg-config plugins "${libs[@]}" -o pc > pc.out 2> pc.err || fail "--pkg-config: $(head -5 pc.err)"
mv pc pcmoved
for p in a b c; do
  pclibs=$(PKG_CONFIG_PATH=$WORK/pcmoved pkg-config --libs plugins-plug_$p) ||
    fail "pkg-config cannot read plugins-plug_$p.pc: $(cat pcmoved/plugins-plug_$p.pc)"
  grep -qF -- "--whole-archive $WORK/pcmoved/libplug_$p.a -Wl,--no-whole-archive -Wl,-rpath,\$ORIGIN -L$WORK/pcmoved -lcommon" <<< "$pclibs" ||
    fail "plugins-plug_$p.pc: $pclibs"
  # shellcheck disable=SC2086
  gcc -shared -o pcmoved/plug_$p.so -Wl,--gc-sections $pclibs -s 2> pc.link ||
    fail "the .pc's line does not link: $pclibs: $(head -5 pc.link)"
done
exports_exactly "$WORK/pcmoved" modules plug_{a,b,c}
same_run "$WORK/pcmoved" plug_b plug_c plug_a
pass "--pkg-config: pkg-config --libs plugins-plug_X links each module on libcommon.so; they load and run as the report's lines do"

bytes() { stat -c %s "$@" | paste -sd+ | bc; }
alone_bytes=$(bytes alone/plug_{a,b,c}.so)
shrink_bytes=$(bytes "$WORK"/shrink/{libcommon,plug_a,plug_b,plug_c}.so)
[ "$shrink_bytes" -lt "$alone_bytes" ] ||
  fail "shrink --shared: $shrink_bytes bytes, not fewer than the standalone modules' $alone_bytes"
for p in a b c; do
  [ "$(bytes "$WORK/shrink/plug_$p.so")" -lt "$(( $(bytes alone/plug_$p.so) / 4 ))" ] ||
    fail "shrink --shared: plug_$p.so is not a small fraction of its standalone build"
done
pass "bytes: libcommon.so + 3 modules $shrink_bytes, standalone modules $alone_bytes"

# Bad input: nothing written.
"$SLIMLINK" shrink --shared "${libs[0]}" -o none > none.out 2>&1 && fail "--shared with one library (nothing shared) passed"
grep -q "share no member" none.out || fail "nothing shared: unexpected message: $(cat none.out)"
[ ! -e none ] || fail "nothing shared: wrote $(ls none)"
"$SLIMLINK" dedup --shared --merge m.a "${libs[@]}" > merge.out 2>&1 && fail "dedup --shared --merge passed"
grep -q "no --base or --merge" merge.out || fail "--shared --merge: unexpected message: $(cat merge.out)"
# Two builds of std (Debian's rustc 1.63 beside rustup's): refused, naming both.
printf '#[no_mangle]\npub extern "C" fn old_add(a: u32, b: u32) -> u32 { a.wrapping_add(b) }\n' > old.rs
/usr/bin/rustc --edition 2021 --crate-type staticlib -O -o libold.a old.rs 2> old.log || fail "rustc 1.63: $(head -3 old.log)"
"$SLIMLINK" shrink --shared "${libs[0]}" libold.a -o two > two.out 2>&1 && fail "--shared over two std builds passed"
grep -q "libold.a holds std-.* but .*libplug_a.a holds std-" two.out || fail "two std builds: unexpected message: $(cat two.out)"
[ ! -e two ] || fail "two std builds: wrote $(ls two)"
pass "bad input: a set with nothing shared, two std builds and --merge are refused, nothing written"
