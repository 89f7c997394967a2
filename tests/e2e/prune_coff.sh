#!/usr/bin/env bash
# prune on COFF libraries drops the COMDATs (and members) the API cannot
# reach, with their associative .pdata/.xdata, and keeps what a linker keeps
# of a loaded object: non-COMDAT sections, .CRT$XCU initializers, /INCLUDE:'d
# and /EXPORT:ed symbols, weak externals' defaults. The programs linked from
# the pruned libraries run under wine and print what the originals print.
#   prune_coff.sh        a small corpus built here: an MSVC-style .lib
#                        (clang-19, C++ EH, llvm-lib-19, lld-link-19) and a
#                        MinGW archive (clang-19 -g: DWARF; llvm-ar-19;
#                        linked by lld and by GNU ld)
#   prune_coff.sh rust   real Rust windows-gnu staticlibs (the coff_corpus
#                        fixture's libplug3.a, and a crate built here with
#                        -Z function-sections, so that Rust's own code is
#                        COMDATs too), linked by lld and GNU ld
source "$(dirname "$0")/lib.sh"
MODE=${1:-small}
cd "$WORK"
WINE=/usr/lib/wine/wine64
export WINEDEBUG=-all

syms() { llvm-nm-19 "$1" 2>/dev/null | awk 'NF == 3 { print $3 } NF == 2 { print $2 }' | sort -u; }
# (grep reads all: with -q, pipefail would see llvm-nm's SIGPIPE)
has() { syms "$1" | grep -x -- "$2" > /dev/null; }
defines() { llvm-nm-19 --defined-only "$1" 2>/dev/null | awk '{ print $NF }' | grep -x -- "$2" > /dev/null; }
# run EXE: its stdout into EXE.out, stderr into EXE.err.
run() { wine_run "$1.out" "$1.err" "$1" || fail "$1: exit status $? under wine: $(head -5 "$1.err" "$1.out")"; }
# same EXPECTED ACTUAL WHAT
same() { diff "$1" "$2" > "$2.diff" || fail "$3: prints other than the original: $(head -10 "$2.diff")"; }
# stable LIB OUT ARGS...: prune twice and with -j 1: the same bytes.
stable() {
  local lib=$1 out=$2; shift 2
  "$SLIMLINK" prune "$lib" -o "$out.again" "$@" > /dev/null || fail "second prune failed"
  "$SLIMLINK" -j 1 prune "$lib" -o "$out.one" "$@" > /dev/null || fail "-j 1 prune failed"
  cmp "$out" "$out.again" || fail "$lib: two runs differ"
  cmp "$out" "$out.one" || fail "$lib: -j 1 differs"
}
smaller() { [ "$(stat -c %s "$2")" -lt "$(stat -c %s "$1")" ] || fail "$2 is not smaller than $1"; }

if [ "$MODE" = rust ]; then
  source "$(dirname "$0")/coff_lib.sh" # the fixture's WINEPREFIX and corpus
  R=$COFF/rust
  NATIVE=$(cat "$R/native-libs")
  # mingw_link OUT HOST LIB: with lld and with GNU ld (OUT-lld.exe, OUT-gnu.exe).
  mingw_link() {
    # shellcheck disable=SC2086
    clang-19 --target=x86_64-w64-mingw32 -fuse-ld=lld "$2" "$3" $NATIVE -o "$1-lld.exe" ||
      fail "$3: lld does not link it"
    # shellcheck disable=SC2086
    x86_64-w64-mingw32-gcc "$2" "$3" $NATIVE -o "$1-gnu.exe" || fail "$3: GNU ld does not link it"
  }
  cat > host3.c <<'EOF'
#include <stdio.h>
#include <stddef.h>
size_t plug3_describe(int, unsigned char *, size_t);
int main(void) {
  unsigned char buf[128];
  for (int n = 0; n < 3; n++) {
    size_t len = plug3_describe(n, buf, sizeof buf);
    printf("%d: %zu \"%s\"\n", n, len, buf);
  }
  return 0;
}
EOF
  # A crate of our own with function sections (std's objects have none:
  # Debian built it without), a dead #[no_mangle] function and a caught panic.
  cat > fs.rs <<'EOF'
use std::collections::HashMap;
#[no_mangle]
pub extern "C" fn fs_live(n: i32) -> i32 {
    let mut m = HashMap::new();
    for i in 0..n { m.insert(i, i * i); }
    let r = std::panic::catch_unwind(|| if n == 0 { panic!("zero") } else { n });
    m.values().sum::<i32>() + r.unwrap_or(-1)
}
#[no_mangle]
pub extern "C" fn fs_dead(n: i32) -> i32 {
    let v: Vec<String> = (0..n).map(|i| format!("DEAD_STRING_MARKER {i}")).collect();
    v.len() as i32
}
EOF
  cat > fshost.c <<'EOF'
#include <stdio.h>
int fs_live(int);
int main(void) { printf("%d %d %d\n", fs_live(0), fs_live(3), fs_live(10)); return 0; }
EOF
  RUSTC_BOOTSTRAP=1 /usr/bin/rustc --edition 2021 --target x86_64-pc-windows-gnu \
    --crate-type staticlib -C opt-level=2 -Z function-sections=yes fs.rs -o libfs.a ||
    fail "rustc failed"

  "$SLIMLINK" prune "$R/libplug3.a" -o plug3.a --api-regex '^plug3_describe$' --json > plug3.json ||
    fail "prune libplug3.a failed"
  "$SLIMLINK" prune libfs.a -o fs.a --api-regex '^fs_live$' --json > fs.json || fail "prune libfs.a failed"
  [ "$(json_get fs.json 'd["sections_removed"]')" -gt 0 ] || fail "libfs.a: no COMDAT removed"
  has fs.a fs_dead && fail "fs_dead survived"
  grep -q DEAD_STRING_MARKER fs.a && fail "fs_dead's string survived"
  defines plug3.a plug3_describe || fail "plug3_describe is gone"
  for pair in "plug3 host3.c $R/libplug3.a" "fs fshost.c libfs.a"; do
    set -- $pair
    mingw_link "orig-$1" "$2" "$3"
    mingw_link "pruned-$1" "$2" "$1.a"
    for ld in lld gnu; do
      run "orig-$1-$ld.exe" && run "pruned-$1-$ld.exe"
      same "orig-$1-$ld.exe.out" "pruned-$1-$ld.exe.out" "$1 ($ld)"
      # A panic's backtrace, symbolized from the DWARF that prune kept.
      same "orig-$1-$ld.exe.err" "pruned-$1-$ld.exe.err" "$1's stderr ($ld)"
    done
    smaller "$3" "$1.a"
  done
  grep -q 'caught "plug3: division of 7 by zero"' orig-plug3-lld.exe.out || fail "plug3 did not catch its panic"
  grep -q "fs.rs" pruned-fs-gnu.exe.err || fail "the panic's backtrace names no source line"
  "$SLIMLINK" verify --api-regex '^plug3_describe$' "$R/libplug3.a" -- plug3.a > v1.txt || fail "verify: $(cat v1.txt)"
  "$SLIMLINK" verify --api-regex '^fs_live$' libfs.a -- fs.a > v2.txt || fail "verify: $(cat v2.txt)"
  stable "$R/libplug3.a" plug3.a --api-regex '^plug3_describe$'
  stable libfs.a fs.a --api-regex '^fs_live$'
  pass "rust: libplug3.a $(stat -c %s "$R/libplug3.a") -> $(stat -c %s plug3.a) bytes," \
    "libfs.a $(json_get fs.json 'd["sections_removed"]') COMDATs removed; both run the same under wine"
  exit 0
fi

# A wine prefix of our own, made while the corpus builds (~7 s).
export WINEPREFIX=$WORK/wine
( "$WINE" wineboot -i > wine.log 2>&1 || true ) &
wine_pid=$!

# --- MSVC-style: clang-19, llvm-lib-19, lld-link-19 -------------------------
mkdir -p msvc && cd msvc
cat > lib.cc <<'EOF'
extern "C" int printf(const char *, ...);
// A C++ global constructor: its initializer lies in .CRT$XCU.
struct Init { Init() { printf("CTOR_RAN\n"); } } init_object;
int thrower(int);
extern "C" int catcher(int x) {
  try { return thrower(x); } catch (int e) { printf("caught %d\n", e); return e; }
}
extern "C" int dead_catcher(int x) {
  try { return thrower(x + 1); } catch (long e) { printf("DEAD_STRING_MARKER\n"); return int(e); }
}
extern "C" __declspec(dllexport) int exported_fn(int x) { printf("EXPORTED_STRING\n"); return x * 2; }
extern "C" int included_fn(int x) { printf("INCLUDED_STRING\n"); return x * 3; }
#pragma comment(linker, "/include:included_fn")
extern "C" int dead_fn(int x) { printf("DEAD_STRING_MARKER %d\n", x); return thrower(x); }
static int table[] = {1, 2, 3, 4};
extern "C" int dead_table(int i) { return table[i]; }
// An inline function's guarded static: COMDATs of another selection kind.
inline int counter() { static int n = printf("INLINE_INIT\n"); return ++n; }
extern "C" int live_fn(int x) { return x + counter(); }
EOF
cat > thrower.cc <<'EOF'
int thrower(int x) { if (x > 3) throw x; return x; }
EOF
cat > unused.c <<'EOF'
int printf(const char *, ...);
int unused_member(int x) { printf("DEAD_STRING_MARKER\n"); return x * 5; }
EOF
cat > host.c <<'EOF'
int printf(const char *, ...);
int catcher(int); int live_fn(int);
/* No CRT: run the .CRT$XC* initializers as the CRT's startup does. */
typedef void (*initializer)(void);
#pragma section(".CRT$XCA", read)
#pragma section(".CRT$XCZ", read)
__declspec(allocate(".CRT$XCA")) initializer first_init = 0;
__declspec(allocate(".CRT$XCZ")) initializer last_init = 0;
/* type_info's vtable: only its address matters to msvcrt's catch. */
void *type_info_vtable[4] __asm__("??_7type_info@@6B@");
int main(void) {
  for (initializer *volatile p = &first_init; p < &last_init; ++p)
    if (*p) (*p)();
  printf("catcher: %d %d\n", catcher(2), catcher(7));
  printf("live: %d %d\n", live_fn(1), live_fn(2));
  return 0;
}
EOF
printf 'LIBRARY msvcrt.dll\nEXPORTS\nprintf\nputs\n__CxxFrameHandler3\n_CxxThrowException\n' > msvcrt.def
printf 'catcher\nlive_fn\n' > api.txt
cc="clang-19 --target=x86_64-pc-windows-msvc -O2 -ffunction-sections -fdata-sections -fno-threadsafe-statics -c"
$cc lib.cc -o lib.obj && $cc thrower.cc -o thrower.obj && $cc unused.c -o unused.obj && $cc host.c -o host.obj
llvm-dlltool-19 -m i386:x86-64 -d msvcrt.def -l msvcrt.lib
llvm-lib-19 /out:lib.lib lib.obj thrower.obj unused.obj
"$SLIMLINK" prune lib.lib -o pruned.lib --api api.txt --json > prune.json || fail "msvc: prune failed"
[ "$(json_get prune.json 'd["sections_removed"]')" -gt 0 ] || fail "msvc: no section removed"
for s in dead_fn dead_catcher dead_table unused_member; do
  has pruned.lib "$s" && fail "msvc: $s survived"
done
for s in catcher live_fn exported_fn included_fn _GLOBAL__sub_I_lib.cc '?thrower@@YAHH@Z'; do
  defines pruned.lib "$s" || fail "msvc: $s is gone"
done
grep -q DEAD_STRING_MARKER pruned.lib && fail "msvc: a dead function's string survived"
# Unwind tables: the dead functions' .pdata go, catcher's stays.
mkdir -p x && (cd x && llvm-ar-19 x ../pruned.lib)
# pdata_names OBJ: the functions whose .pdata (associative COMDATs) OBJ has.
pdata_names() {
  llvm-readobj-19 --symbols "$1" | python3 -c '
import re, sys
text, syms, assoc = sys.stdin.read(), {}, []
for b in text.split("Symbol {")[1:]:
    name = re.search(r"Name: (\S+)", b).group(1)
    sec = re.search(r"Section: \S+ \((-?\d+)\)", b).group(1)
    if "StorageClass: External" in b:
        syms.setdefault(sec, name)
    m = re.search(r"AssocSection: \S+ \((\d+)\)", b)
    if name == ".pdata" and m:
        assoc.append(m.group(1))
print("\n".join(sorted(syms.get(a, "?") for a in assoc)))'
}
pdata_names lib.obj | grep -x dead_catcher > /dev/null || fail "msvc: the corpus has no .pdata for dead_catcher"
pdata_names x/lib.obj | grep dead_ > /dev/null && fail "msvc: a dead function's .pdata survived"
pdata_names x/lib.obj | grep -x catcher > /dev/null || fail "msvc: catcher's .pdata is gone"
[ "$(llvm-readobj-19 --sections x/lib.obj | grep -c 'Name: .xdata')" -lt \
  "$(llvm-readobj-19 --sections lib.obj | grep -c 'Name: .xdata')" ] || fail "msvc: no .xdata removed"
smaller lib.lib pruned.lib
"$SLIMLINK" verify --api api.txt lib.lib -- pruned.lib > verify.txt || fail "msvc: verify: $(cat verify.txt)"
"$SLIMLINK" why lib.lib --api api.txt included_fn > why.txt || fail "msvc: why included_fn: $(cat why.txt)"
grep -q '/INCLUDE' why.txt || fail "msvc: why does not name the /INCLUDE: directive: $(cat why.txt)"
stable lib.lib pruned.lib --api api.txt

wait "$wine_pid" || true
for l in lib pruned; do
  # /implib: elsewhere, or lld-link would write the exe's import library
  # (it exports exported_fn) over ours.
  lld-link-19 /entry:main /nodefaultlib /subsystem:console /out:"$l-prog.exe" \
    /implib:"$l-imp.lib" /map:"$l-prog.map" host.obj "$l.lib" msvcrt.lib || fail "msvc: $l.lib does not link"
  run "$l-prog.exe"
done
same lib-prog.exe.out pruned-prog.exe.out "msvc"
for s in CTOR_RAN INLINE_INIT "caught 7"; do
  grep -q "$s" pruned-prog.exe.out || fail "msvc: the pruned program does not print $s"
done
llvm-readobj-19 --coff-exports pruned-prog.exe | grep 'Name: exported_fn' > /dev/null || fail "msvc: exported_fn is not exported"
grep -q ' included_fn ' pruned-prog.map || fail "msvc: included_fn is not linked"
pass "msvc: $(json_get prune.json 'd["sections_removed"]') sections removed," \
  "$(stat -c %s lib.lib) -> $(stat -c %s pruned.lib) bytes, runs the same"
cd "$WORK"

# --- MinGW: clang-19 -g (DWARF), llvm-ar-19 --format=gnu, lld and GNU ld ----
mkdir -p mingw && cd mingw
cat > lib.c <<'EOF'
#include <stdio.h>
int helper(int);
int catcher(int x) { printf("calling %d\n", x); return helper(x) + 1; }
__declspec(dllexport) int exported_fn(int x) { printf("EXPORTED_STRING\n"); return x * 2; }
int dead_fn(int x) { printf("DEAD_STRING_MARKER %d\n", x); return helper(x) * 3; }
/* Weak definitions: weak externals whose default lies in a COMDAT. */
__attribute__((weak)) int weak_fn(int x) { printf("weak %d\n", x); return x + 100; }
__attribute__((weak)) int dead_weak(int x) { printf("DEAD_STRING_MARKER\n"); return x + 100; }
int live_fn(int x) { return weak_fn(x) + 1; }
static int table[] = {1, 2, 3, 4};
int dead_table(int i) { return table[i]; }
__attribute__((constructor)) static void c_ctor(void) { printf("C_CTOR_RAN\n"); }
EOF
cat > helper.c <<'EOF'
int helper(int x) { return x > 3 ? x * 2 : x; }
int dead_helper(int x) { return x - 3; }
EOF
cp ../msvc/unused.c .
cat > host.c <<'EOF'
#include <stdio.h>
int catcher(int); int live_fn(int);
int main(void) {
  printf("catcher: %d %d\n", catcher(2), catcher(7));
  printf("live: %d\n", live_fn(1));
  return 0;
}
EOF
printf 'catcher\nlive_fn\n' > api.txt
cc="clang-19 --target=x86_64-w64-mingw32 -O2 -g -ffunction-sections -fdata-sections -c"
$cc lib.c -o lib.o && $cc helper.c -o helper.o && $cc unused.c -o unused.o && $cc host.c -o host.o
llvm-ar-19 rcs --format=gnu lib.a lib.o helper.o unused.o
"$SLIMLINK" prune lib.a -o pruned.a --api api.txt --json > prune.json || fail "mingw: prune failed"
[ "$(json_get prune.json 'd["sections_removed"]')" -gt 0 ] || fail "mingw: no section removed"
for s in dead_fn dead_weak dead_table dead_helper unused_member; do
  defines pruned.a "$s" && fail "mingw: $s survived"
done
for s in catcher live_fn exported_fn weak_fn helper; do
  defines pruned.a "$s" || fail "mingw: $s is gone"
done
grep -q DEAD_STRING_MARKER pruned.a && fail "mingw: a dead function's string survived"
llvm-objdump-19 -h lib.o | grep '\.pdata\$dead_fn' > /dev/null || fail "mingw: the corpus has no .pdata\$dead_fn"
llvm-objdump-19 -h pruned.a | grep '\$dead_' > /dev/null && fail "mingw: a dead function's section survived"
llvm-objdump-19 -h pruned.a | grep '\.pdata\$catcher' > /dev/null || fail "mingw: catcher's .pdata is gone"
llvm-objdump-19 -h pruned.a | grep '\.debug_info' > /dev/null || fail "mingw: the debug info is gone"
smaller lib.a pruned.a
"$SLIMLINK" verify --api api.txt lib.a -- pruned.a > verify.txt || fail "mingw: verify: $(cat verify.txt)"
stable lib.a pruned.a --api api.txt
for l in lib pruned; do
  clang-19 --target=x86_64-w64-mingw32 -fuse-ld=lld host.o "$l.a" -o "$l-lld.exe" || fail "mingw: $l.a does not link with lld"
  x86_64-w64-mingw32-gcc host.o "$l.a" -o "$l-gnu.exe" || fail "mingw: $l.a does not link with GNU ld"
  run "$l-lld.exe" && run "$l-gnu.exe"
done
for ld in lld gnu; do
  same "lib-$ld.exe.out" "pruned-$ld.exe.out" "mingw ($ld)"
  grep -q C_CTOR_RAN "pruned-$ld.exe.out" || fail "mingw ($ld): the constructor did not run"
  grep -q "weak 1" "pruned-$ld.exe.out" || fail "mingw ($ld): weak_fn did not run"
  # The kept DWARF still describes kept code.
  addr=$(llvm-nm-19 "pruned-$ld.exe" | awk '$3 == "catcher" { print $1 }')
  llvm-symbolizer-19 --obj="pruned-$ld.exe" "0x$addr" | grep 'lib.c:3' > /dev/null ||
    fail "mingw ($ld): catcher's line info is lost: $(llvm-symbolizer-19 --obj="pruned-$ld.exe" "0x$addr")"
done
pass "mingw: $(json_get prune.json 'd["sections_removed"]') sections removed," \
  "$(stat -c %s lib.a) -> $(stat -c %s pruned.a) bytes, runs the same with lld and GNU ld"
