# shrink --shared on three Python extension modules (examples/pyo3: pyo3 from
# Debian's librust-pyo3-dev, built as staticlibs with cargo): each module is
# linked with the line the report prints, beside DIR/libcommon.so, and
# imported into Debian's python3 in several orders and subsets. Checks:
#  - the output equals that of the standalone modules (each staticlib linked
#    as a cdylib is: --gc-sections, PyInit_* exported, stripped): a buffer
#    pymod_a allocates pymod_b frees, a ValueError raised from Rust, Rust
#    panics caught as pyo3's PanicException;
#  - Python's C API stays undefined in the modules and in libcommon.so (the
#    interpreter provides it at load time); libcommon.so exports exactly
#    what the slim libraries import from it (the modules' --gc-sections
#    drops a few of those references);
#  - bytes: libcommon.so and the modules against the standalone modules.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
PY=/usr/bin/python3 # Debian's, which loads extension modules (not a static one)
T=$WORK/target
# From its directory: its .cargo/config.toml points cargo at Debian's crate sources.
(cd "$SRC/examples/pyo3" && PYO3_PYTHON=$PY cargo build --offline --quiet --release --locked \
  --target-dir "$T") 2> cargo.log || fail "cargo: $(tail -5 cargo.log)"
mods=(pymod_a pymod_b pymod_c)
libs=("$T"/release/libpymod_{a,b,c}.a)

mkdir -p alone
for m in "${mods[@]}"; do
  echo "{ global: PyInit_$m; local: *; };" > alone/$m.map
  gcc -shared -o alone/$m.so -Wl,--gc-sections -Wl,--version-script=alone/$m.map -s \
    -Wl,--whole-archive "$T/release/lib$m.a" -Wl,--no-whole-archive \
    -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc || fail "standalone $m does not link"
done

D=$WORK/sh
"$SLIMLINK" shrink --shared "${libs[@]}" -o "$D" --json > sh.json 2> sh.err || fail "shrink --shared: $(head -5 sh.err)"
json_get sh.json '"\n".join(d["link_lines"])' > lines
[ "$(wc -l < lines)" = 3 ] || fail "want 3 link lines: $(cat lines)"
while read -r line; do
  eval "$line -s" > link.log 2>&1 || fail "'$line': $(head -5 link.log)"
done < lines
exports_exactly "$D" archives "${mods[@]}"
# Into files first: grep -q stops reading early, and under pipefail the
# writer's SIGPIPE would fail the check now and then.
llvm-nm-19 -D --undefined-only "$D/libcommon.so" "$D"/pymod_*.so > undefined
grep -q ' Py' undefined || fail "no module takes Python's C API from the interpreter"
llvm-readelf-19 -d "$D/libcommon.so" "$D"/pymod_*.so > dynamic
! grep -q 'NEEDED.*libpython' dynamic ||
  fail "a module or libcommon.so needs libpython (extension modules take it from the interpreter)"

for order in "pymod_a pymod_b pymod_c" "pymod_c pymod_b pymod_a" "pymod_b pymod_a" "pymod_c"; do
  # shellcheck disable=SC2086
  "$PY" "$SRC/examples/pyo3/use.py" alone $order > alone.out 2> alone.err || fail "standalone $order: $(tail -3 alone.err)"
  # shellcheck disable=SC2086
  "$PY" "$SRC/examples/pyo3/use.py" "$D" $order > sh.out 2> sh.err || fail "shared $order: $(tail -3 sh.err)"
  diff alone.out sh.out > diff.out || fail "import $order: prints other than the standalone modules: $(head diff.out)"
done
"$PY" "$SRC/examples/pyo3/use.py" "$D" pymod_a pymod_b > both.out 2>&1 || fail "a and b: $(tail -3 both.out)"
grep -q "a.make_buffer(1048576) freed by b: sum 131064401" both.out || fail "a's buffer freed by b: $(cat both.out)"
grep -q "caught PanicException: pymod_b panics: round 2" both.out || fail "no PanicException: $(cat both.out)"
grep -q "ValueError: no square root of -1" both.out || fail "no ValueError: $(cat both.out)"
pass "pyo3 modules on one libcommon.so import into python3 in any order and print what the standalone modules print"

bytes() { stat -c %s "$@" | paste -sd+ | bc; }
alone=$(bytes alone/pymod_{a,b,c}.so) shared=$(bytes "$D"/{libcommon,pymod_a,pymod_b,pymod_c}.so)
[ "$shared" -lt "$alone" ] || fail "libcommon.so + modules: $shared bytes, standalone: $alone"
pass "bytes: libcommon.so + 3 modules $shared, standalone modules $alone"
