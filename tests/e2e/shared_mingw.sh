# shrink --shared on Windows (MinGW): the three plugins of examples/shared
# built as windows-gnu staticlibs by Debian's rustc 1.63; the outputs are
# DIR/libcommon.dll, its import library DIR/libcommon.dll.a and a slim
# library per plugin; each module DLL is linked with the line the report
# prints (x86_64-w64-mingw32-gcc), and the host (examples/shared/host.c,
# LoadLibraryEx) loads them under wine in several orders and subsets. As on
# ELF (shared_modules.sh): a buffer one DLL allocates another frees, panics
# are caught across the shared std, one panic hook serves all DLLs (with
# standalone DLLs, none of b's panics reach a's hook), everything else
# printed is what the standalone DLLs print; libcommon.dll exports exactly
# what the slim libraries import; the modules import it and no libgcc DLL,
# and carry no std of their own.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/coff_lib.sh" # the fixture's wine prefix
cd "$WORK"
RUSTC=/usr/bin/rustc
for p in a b c; do
  "$RUSTC" --edition 2021 --target x86_64-pc-windows-gnu --crate-type staticlib -C opt-level=2 \
    --crate-name plug_$p -o libplug_$p.a "$SRC/examples/shared/plug_$p/src/lib.rs" 2> rustc_$p.log &
done
wait || true
for p in a b c; do [ -f libplug_$p.a ] || fail "rustc 1.63 plug_$p: $(tail -3 rustc_$p.log)"; done
x86_64-w64-mingw32-gcc -O2 -Wall "$SRC/examples/shared/host.c" -o host.exe || fail "the host does not build"
NATIVE=(-lkernel32 -ladvapi32 -lntdll -luserenv -lws2_32 -ldbghelp -lgcc_eh -l:libpthread.a
        -lmsvcrt -lmingwex -lmingw32 -lgcc -lmsvcrt -luser32 -lkernel32 -lbcrypt)
declare -A api=([a]="a_make a_set_hook a_hook_calls" [b]="b_sum_and_free b_panic_caught" [c]="c_describe c_free")
mkdir -p alone
for p in a b c; do
  printf 'EXPORTS\n' > alone/$p.def; printf '  %s\n' ${api[$p]} >> alone/$p.def
  x86_64-w64-mingw32-gcc -shared -o alone/plug_$p.dll alone/$p.def -Wl,--gc-sections -s \
    -Wl,--whole-archive libplug_$p.a -Wl,--no-whole-archive "${NATIVE[@]}" 2> alone/$p.log ||
    fail "standalone plug_$p.dll: $(tail -3 alone/$p.log)"
done

D=$WORK/sh
"$SLIMLINK" shrink --shared libplug_{a,b,c}.a -o "$D" --json > sh.json 2> sh.err || fail "shrink --shared: $(head -5 sh.err)"
[ -f "$D/libcommon.dll" ] && [ -f "$D/libcommon.dll.a" ] && [ ! -e "$D/libcommon.a" ] ||
  fail "want libcommon.dll and libcommon.dll.a, no libcommon.a: $(ls "$D")"
json_get sh.json '"\n".join(d["outputs"])' > outputs
grep -q 'libcommon.dll$' outputs && grep -q 'libcommon.dll.a$' outputs ||
  fail "the report's outputs lack libcommon.dll or its import library: $(cat outputs)"
json_get sh.json '"\n".join(d["link_lines"])' > lines
while read -r line; do
  eval "$line -s" > link.log 2>&1 || fail "'$line': $(head -5 link.log)"
done < lines
# std once, in libcommon.dll: its panic machinery's strings (RUST_BACKTRACE,
# which the default hook reads) are in no module DLL (exports_exactly's
# check on ELF; a DLL linked from the original staticlib has them).
grep -qa RUST_BACKTRACE "$D/libcommon.dll" || fail "premise: libcommon.dll holds no RUST_BACKTRACE"
for p in a b c; do
  ! grep -qa RUST_BACKTRACE "$D/plug_$p.dll" ||
    fail "plug_$p.dll carries std's panic machinery (RUST_BACKTRACE in its bytes): a second std"
  x86_64-w64-mingw32-objdump -p "$D/plug_$p.dll" | grep 'DLL Name' > "$p.imports"
  grep -q 'libcommon.dll' "$p.imports" || fail "plug_$p.dll does not import libcommon.dll"
  ! grep -q 'libgcc' "$p.imports" || fail "plug_$p.dll needs a libgcc DLL that does not ship: $(cat "$p.imports")"
done
# libcommon.dll's exports: what the slim libraries reference, no more.
x86_64-w64-mingw32-objdump -p "$D/libcommon.dll" |
  awk '/\[Ordinal\/Name Pointer\] Table/ {on = 1; next} on && /^\t\[/ {print $NF} on && /^$/ {on = 0}' | sort > exports
llvm-nm-19 --undefined-only "$D"/libplug_{a,b,c}.a 2>/dev/null | awk 'NF==2 {print $2}' | sort -u > imports
[ -s exports ] || fail "libcommon.dll exports nothing"
comm -23 exports imports > unused
[ ! -s unused ] || fail "libcommon.dll exports what no slim library imports: $(head -3 unused)"

# win PATH: the Windows path of PATH (LoadLibraryEx's altered search path
# wants an absolute one to find libcommon.dll beside the module).
win() { local p; p=$(realpath "$1"); echo "Z:${p//\//\\}"; }
for order in "a b c" "c b a" "b a" "c"; do
  args=() alone=()
  for p in $order; do args+=("$(win "$D/plug_$p.dll")"); alone+=("$(win alone/plug_$p.dll)"); done
  wine_run alone.out alone.err ./host.exe "${alone[@]}" || fail "standalone $order: $(head -3 alone.err alone.out)"
  wine_run sh.out sh.err2 ./host.exe "${args[@]}" || fail "shared $order: $(head -3 sh.err2 sh.out)"
  diff <(grep -v "panic hook" alone.out) <(grep -v "panic hook" sh.out) > diff.out ||
    fail "host $order: prints other than with the standalone DLLs: $(head diff.out)"
done
wine_run sh.out sh.err2 ./host.exe "$(win "$D/plug_a.dll")" "$(win "$D/plug_b.dll")" || fail "a b: $(head -3 sh.err2)"
grep -q "a's panic hook saw 3 panics" sh.out || fail "a's hook did not see b's panics (two copies of std?): $(cat sh.out)"
grep -q "freed by b: sum 131064401" sh.out || fail "a's buffer freed by b: $(cat sh.out)"
wine_run alone.out alone.err ./host.exe "$(win alone/plug_a.dll)" "$(win alone/plug_b.dll)" || fail "alone a b"
grep -q "a's panic hook saw 0 panics" alone.out || fail "premise: standalone DLLs each have their own hook: $(cat alone.out)"
pass "MinGW: module DLLs on one libcommon.dll load in any order and subset under wine, share one allocator, panic hook and unwinder"

bytes() { stat -c %s "$@" | paste -sd+ | bc; }
alone=$(bytes alone/*.dll) shared=$(bytes "$D"/*.dll)
[ "$shared" -lt "$alone" ] || fail "libcommon.dll + modules: $shared bytes, standalone: $alone"
pass "bytes: libcommon.dll + 3 module DLLs $shared, standalone DLLs $alone"
