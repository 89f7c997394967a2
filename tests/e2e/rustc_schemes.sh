#!/usr/bin/env bash
# Every rustc member-naming scheme the project's toolchains produce is read
# as its crate. Plain rustc (no cargo) names the objects of the crate it
# builds after its output file: "libtally.tally.<hash>-cgu.0.rcgu.o" for
# -o libtally.a, "tally.tally.<hash>-cgu.0.rcgu.o" by default, and the
# allocator shim "<that stem>.<random>.rcgu.o". Two tiny crates (tally: the
# default output name; count: -o libcount.a) are built here by Debian's
# rustc 1.63 for Linux and for x86_64-pc-windows-gnu, and by rustup's stable
# and nightly for Linux. For each build:
#  - the members are named as above (the premise);
#  - prune, with no --api, finds the #[no_mangle] functions (the library's
#    own crate's API), and each pruned library links (gcc, or
#    x86_64-w64-mingw32-gcc) into a host that prints what the functions
#    compute (the .exe under wine);
#  - shrink does the same for the set of the two (one host calls both);
#  - size -d crates and prune's report name the crates tally and count,
#    never a "(native)" row of a rustc member.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
RUSTUP_RUSTC=$HOME/.cargo/bin/rustc
# The prefix outlives $WORK: wine takes seconds to make one.
export WINEPREFIX=$WORK-wine WINEDEBUG=-all
wine_pid=
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  ( /usr/lib/wine/wine64 wineboot -i > wineboot.log 2>&1 || true ) &
  wine_pid=$!
fi

cat > tally.rs <<'EOF'
#[no_mangle]
pub extern "C" fn tally_add(a: u32, b: u32) -> u32 { a.wrapping_add(b) }
#[no_mangle]
pub extern "C" fn tally_digits(n: u64) -> usize { n.to_string().len() }
EOF
cat > count.rs <<'EOF'
#[no_mangle]
pub extern "C" fn count_words(p: *const u8, n: usize) -> usize {
    let s = unsafe { std::slice::from_raw_parts(p, n) };
    String::from_utf8_lossy(s).split_whitespace().count()
}
EOF
cat > host.c <<'EOF'
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
uint32_t tally_add(uint32_t, uint32_t);
size_t tally_digits(uint64_t);
size_t count_words(const char *, size_t);
int main(void) {
#ifdef TALLY
  printf("tally: %u %zu\n", tally_add(2, 40), tally_digits(1234567));
#endif
#ifdef COUNT
  printf("count: %zu\n", count_words("a bb  ccc", 9));
#endif
  return 0;
}
EOF

# What the host prints with the original libraries (same for every build).
printf 'tally: 42 7\ncount: 3\n' > expected.txt

# build NAME RUSTC ARGS...: both crates into NAME/ (tally as rustc names it
# by default, count with -o libcount.a), rustc's native libraries into
# NAME/native-libs.
build() {
  local dir=$1 rustc=$2; shift 2
  mkdir -p "$dir"
  (cd "$dir" &&
     "$rustc" "$@" --edition 2021 --crate-type staticlib -O ../tally.rs \
       --print native-static-libs 2> tally.log &&
     "$rustc" "$@" --edition 2021 --crate-type staticlib -O ../count.rs -o libcount.a 2> count.log) ||
    fail "$dir: rustc failed: $(cat "$dir"/*.log)"
  sed -n 's/^note: native-static-libs: //p' "$dir/tally.log" > "$dir/native-libs"
  [ -s "$dir/native-libs" ] || fail "$dir: rustc printed no native-static-libs: $(cat "$dir/tally.log")"
}
builds=(linux-1.63 windows-1.63 linux-stable linux-nightly)
build linux-1.63 /usr/bin/rustc &
build windows-1.63 /usr/bin/rustc --target x86_64-pc-windows-gnu &
build linux-stable "$RUSTUP_RUSTC" +stable &
build linux-nightly "$RUSTUP_RUSTC" +nightly &
for job in $(jobs -p); do [ "$job" = "$wine_pid" ] || wait "$job" || exit 1; done
[ -z "$wine_pid" ] || wait "$wine_pid" || true

# run NAME EXE OUT: the host's output into OUT (the .exe under wine, its
# line ends made \n).
run() {
  case $1 in
    windows-*) wine_run "$3.crlf" "$3.err" "$2" || fail "$2: exit status $? under wine: $(head -5 "$3.err")"
               tr -d '\r' < "$3.crlf" > "$3" ;;
    *) "$2" > "$3" || fail "$2: exit status $?" ;;
  esac
}
# link NAME OUT CALLS LIBS...: the host calling CALLS ("TALLY", "COUNT" or
# "TALLY COUNT") with LIBS, by gcc or MinGW's gcc; prints the program's path.
# Two pruned libraries are not linked together: each keeps other sections of
# the same std members, so GNU ld would take both copies.
link() {
  local name=$1 out=$2 calls=() c; shift 2
  for c in $1; do calls+=("-D$c"); done; shift
  local native; read -ra native < "$name/native-libs"
  case $name in
    windows-*) x86_64-w64-mingw32-gcc "${calls[@]}" host.c "$@" "${native[@]}" -o "$out.exe" ;;
    *) gcc "${calls[@]}" host.c "$@" "${native[@]}" -o "$out" ;;
  esac > "$out.link" 2>&1 || fail "$out: does not link: $(head -5 "$out.link")"
  case $name in windows-*) echo "$out.exe" ;; *) echo "$out" ;; esac
}
defines() { llvm-nm-19 --defined-only "$1" 2>/dev/null | awk '{ print $NF }' | grep -x -- "$2" > /dev/null; }
# crates_of JSON: the crates of a size or prune report; fails on a
# "(native)" row named like a rustc member, prints the crate names.
crates_of() {
  python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = [r.get("name", r.get("crate")) for r in d.get("rows", d.get("crates", []))]
bad = [r for r in rows if r.endswith("(native)") and ".rcgu.o" in r]
if bad:
    sys.exit("rustc members read as native objects: %s" % bad[:3])
print("\n".join(rows))
PY
}

for b in "${builds[@]}"; do
  # The premise: plain rustc's naming, both forms.
  llvm-ar-19 t "$b/libtally.a" > "$b/tally.members"
  llvm-ar-19 t "$b/libcount.a" > "$b/count.members"
  grep -qE '^tally\.tally\.[0-9a-f]+-cgu\.[0-9]+\.rcgu\.o$' "$b/tally.members" ||
    fail "$b: no tally.tally.<hash>-cgu.N.rcgu.o member: $(head -3 "$b/tally.members")"
  grep -qE '^libcount\.count\.[0-9a-f]+-cgu\.[0-9]+\.rcgu\.o$' "$b/count.members" ||
    fail "$b: no libcount.count.<hash>-cgu.N.rcgu.o member: $(head -3 "$b/count.members")"
  grep -qE '^libcount\.[0-9a-z]+\.rcgu\.o$' "$b/count.members" ||
    fail "$b: no libcount.<random>.rcgu.o member (the allocator shim): $(head -3 "$b/count.members")"

  # size: the crate rows.
  for c in tally count; do
    size_json "$b/$c.size.json" "$b/lib$c.a" crates
    crates_of "$b/$c.size.json" > "$b/$c.size.crates" || fail "$b: size lib$c.a"
    grep -qx "$c" "$b/$c.size.crates" || fail "$b: size -d crates of lib$c.a has no '$c' row"
  done

  # prune, with the default API.
  mkdir -p "$b/pruned"
  for c in tally count; do
    "$SLIMLINK" prune "$b/lib$c.a" -o "$b/pruned/lib$c.a" --json > "$b/$c.prune.json" 2> "$b/$c.prune.err" ||
      fail "$b: prune lib$c.a: $(cat "$b/$c.prune.err")"
    crates_of "$b/$c.prune.json" > "$b/$c.prune.crates" || fail "$b: prune report of lib$c.a"
    grep -qx "$c" "$b/$c.prune.crates" || fail "$b: prune's report of lib$c.a has no '$c' crate"
  done
  for s in tally_add tally_digits; do
    defines "$b/pruned/libtally.a" "$s" || fail "$b: prune dropped the API function $s"
  done
  defines "$b/pruned/libcount.a" count_words || fail "$b: prune dropped the API function count_words"
  for c in tally count; do
    exe=$(link "$b" "$b/pruned-$c" "${c^^}" "$b/pruned/lib$c.a")
    run "$b" "$exe" "$b/pruned-$c.txt"
    grep -x "$c: .*" expected.txt | diff - "$b/pruned-$c.txt" || fail "$b: the pruned lib$c.a's host prints other than expected"
  done

  # shrink, the set of the two, with the default API.
  "$SLIMLINK" shrink "$b/libtally.a" "$b/libcount.a" -o "$b/shrunk" > "$b/shrink.txt" 2>&1 ||
    fail "$b: shrink: $(cat "$b/shrink.txt")"
  for s in tally_add tally_digits; do
    defines "$b/shrunk/libtally.a" "$s" || fail "$b: shrink dropped the API function $s"
  done
  defines "$b/shrunk/libcount.a" count_words || fail "$b: shrink dropped the API function count_words"
  exe=$(link "$b" "$b/shrunk-host" "TALLY COUNT" "$b/shrunk/libtally.a" "$b/shrunk/libcount.a" "$b/shrunk/libcommon.a")
  run "$b" "$exe" "$b/shrunk.txt"
  diff expected.txt "$b/shrunk.txt" || fail "$b: the shrunk set's host prints other than expected"
  pass "$b: prune and shrink find the API; the results link and run; size and prune name tally and count"
done
