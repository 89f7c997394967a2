# COFF arm64 (aarch64-pc-windows-msvc): two MSVC-style libraries sharing a
# runtime object go through shrink and dedup, and the outputs link with
# lld-link /machine:arm64 (no arm64 Windows to run them here): the map
# holds each API function and one copy of the runtime's live code, the
# dead functions are gone, verify agrees, and size's rows sum.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
cat > rt.c <<'C'
int rt_helper(int x) { return x * 2; }
int rt_dead(int x) { return x * 9; }
C
cat > p.c <<'C'
int rt_helper(int);
int PLUG_run(int x) { return rt_helper(x) + 1; }
int PLUG_dead(int x) { return x - 1; }
C
cat > host.c <<'C'
int plug1_run(int), plug2_run(int);
int main(void) { return plug1_run(1) + plug2_run(2); }
C
cc="clang-19 --target=aarch64-pc-windows-msvc -O2 -ffunction-sections -c"
$cc rt.c -o rt-0123456789abcdef.rt.0123456789abcdef-cgu.0.rcgu.o
$cc host.c -o host.obj
for i in 1 2; do
  sed "s/PLUG/plug$i/g" p.c > p$i.c
  $cc p$i.c -o p$i.obj
  llvm-lib-19 /out:libplug$i.lib p$i.obj rt-*.o
done
link() { # OUT LIBS...
  local out=$1; shift
  lld-link-19 /machine:arm64 /entry:main /nodefaultlib /subsystem:console \
    /map:"$out.map" /out:"$out" host.obj "$@"
}
# shellcheck disable=SC2086
publics() { awk '/Publics by Value/ { p = 1; next } p && NF >= 4 { print $2 }' "$1.map" | original_names $NAMES_MAPS | sort; }
link orig.exe libplug1.lib libplug2.lib
api='^plug[0-9]_run$'

"$SLIMLINK" shrink libplug1.lib libplug2.lib -o shrunk --api-regex "$api" > shrink.txt
NAMES_MAPS=shrunk/libcommon.names
[ -f shrunk/libcommon.lib ] || fail "shrink wrote no libcommon.lib: $(ls shrunk)"
grep -q "lld-link YOUR_OBJECTS.obj" shrink.txt || fail "link line: $(grep -A1 'link with' shrink.txt)"
link shrunk.exe shrunk/libplug1.lib shrunk/libplug2.lib shrunk/libcommon.lib
for s in plug1_run plug2_run rt_helper; do
  [ "$(publics shrunk.exe | grep -cx "$s")" = 1 ] || fail "shrunk.exe: $s defined $(publics shrunk.exe | grep -cx "$s") times"
done
for s in plug1_dead plug2_dead rt_dead; do
  llvm-nm-19 shrunk/*.lib 2>/dev/null | grep -q " $s" && fail "shrink kept the dead $s"
done
"$SLIMLINK" verify --api-regex "$api" libplug1.lib libplug2.lib -- shrunk/libplug{1,2}.lib shrunk/libcommon.lib > verify.txt ||
  fail "verify: $(cat verify.txt)"
"$SLIMLINK" dedup libplug1.lib libplug2.lib -o dedup > /dev/null
link dedup.exe dedup/libplug1.lib dedup/libplug2.lib dedup/libcommon.lib
[ "$(publics dedup.exe)" = "$(publics orig.exe)" ] || fail "dedup: publics differ: $(diff <(publics orig.exe) <(publics dedup.exe))"
"$SLIMLINK" size --json shrunk.exe > size.json && size_sums size.json shrunk.exe
"$SLIMLINK" size --json -d members shrunk/libcommon.lib > size-lib.json && size_sums size-lib.json shrunk/libcommon.lib
pass "arm64 COFF: shrink and dedup link with lld-link /machine:arm64, dead code gone, verify ok, size sums"
