#!/usr/bin/env bash
# A C static library with a linker-built table: entries are `used` statics in
# a section named like a C identifier ("mytab"), and the API walks them
# between __start_mytab and __stop_mytab, symbols the linker defines. Nothing
# refers to an entry by name, so following relocations from the API never
# reaches one; prune must still keep every mytab section of the members it
# keeps, and verify must notice an output that lost them.
# Needs no cargo corpus: gcc builds the library here.
source "$(dirname "$0")/lib.sh"
api='^registry_sum$'
mkdir -p "$WORK/src"
cd "$WORK/src"

# Two variants of the same library: entries marked `used` (what most C code
# has), and `used, retain` (SHF_GNU_RETAIN, what rustc emits for #[used]).
cat > entry.h <<'C'
struct entry {
  const char *name;
  int bit;
};
#ifdef RETAIN
#define IN_TABLE __attribute__((used, retain, section("mytab")))
#else
#define IN_TABLE __attribute__((used, section("mytab")))
#endif
int reg_a_hook(void);
int reg_b_hook(void);
C
cat > reg_a.c <<'C'
#include "entry.h"
static const struct entry e IN_TABLE = {"a1", 1};
static const struct entry e2 IN_TABLE = {"a2", 2};
int reg_a_hook(void) { return 100; }
C
cat > reg_b.c <<'C'
#include "entry.h"
static const struct entry e IN_TABLE = {"b", 4};
int reg_b_hook(void) { return 200; }
C
# Nothing references dead.o: no link pulls it in, so its entry is never in
# the table, before or after.
cat > dead.c <<'C'
#include "entry.h"
static const struct entry e IN_TABLE = {"dead", 8};
int dead_function(int x) { return x * 31 + 7; }
C
# registry_sum references a function in reg_a.o and reg_b.o, so the API alone
# pulls those members in (and with them, for the linker, their entries).
cat > registry.c <<'C'
#include <stdio.h>
#include "entry.h"
extern const struct entry __start_mytab[], __stop_mytab[];
int registry_sum(void) {
  int mask = 0, n = 0;
  for (const struct entry *p = __start_mytab; p < __stop_mytab; ++p, ++n)
    mask |= p->bit;
  printf("registry: %d entries, mask %d\n", n, mask);
  return reg_a_hook() + reg_b_hook() + mask;
}
C
cat > host.c <<'C'
#include <stdio.h>
int registry_sum(void);
int main(void) {
  printf("host: registry_sum -> %d\n", registry_sum());
  return 0;
}
C
cd "$WORK"

problems=()
problem() { echo "PROBLEM: $*"; problems+=("$*"); }

# gc_flags LINKER VARIANT: the --gc-sections flags a user needs. lld (14 and
# 19) defaults to -z start-stop-gc: a __start_ reference does not keep the
# sections, only SHF_GNU_RETAIN does, so without `retain` the original
# library itself fails to link ("undefined symbol: __start_mytab") unless
# -z nostart-stop-gc. GNU ld 2.40 defaults to -z nostart-stop-gc.
gc_flags() {
  if [ "$1" = lld ] && [ "$2" = used ]; then echo "-Wl,--gc-sections -Wl,-z,nostart-stop-gc"
  else echo "-Wl,--gc-sections"; fi
}

# link_run NAME LINKER FLAGS ARCHIVE: link the host, run it, output in NAME.txt.
link_run() {
  local name=$1 ld=$2 flags=$3 lib=$4
  # shellcheck disable=SC2086
  if ! gcc -fuse-ld="$ld" $flags src/host.c "$lib" -o "$name" 2> "$name.link.err"; then
    problem "$variant: $name: link failed ($ld ${flags:-no gc}): $(grep -m2 -E 'undefined|error' "$name.link.err" | tr '\n' ' ')"
    return 1
  fi
  ./"$name" > "$name.txt"
}

for variant in used retain; do
  d="$WORK/$variant" && mkdir -p "$d/obj" && cd "$d" && ln -s ../src src
  def=""; [ "$variant" = retain ] && def=-DRETAIN
  for f in reg_a reg_b registry dead; do
    gcc -O2 -ffunction-sections -fdata-sections $def -c "src/$f.c" -o "obj/$f.o"
  done
  llvm-ar-19 rcs liblist.a obj/{reg_a,reg_b,registry,dead}.o
  flags=$(llvm-readelf-19 -SW obj/reg_a.o | sed -n 's/.* mytab  *PROGBITS  *[0-9a-f]*  *[0-9a-f]*  *[0-9a-f]*  *[0-9a-f]*  *\([A-Z]*\) .*/\1/p')
  echo "$variant: mytab flags in reg_a.o: $flags"

  # The premise: the original library links every way, with the three
  # entries of the pulled members (reg_a, reg_b) and not dead.o's.
  link_run orig bfd "" liblist.a || fail "$variant: the original library does not link"
  cp orig.txt expected.txt
  grep -qx 'registry: 3 entries, mask 7' expected.txt || fail "$variant: unexpected original output: $(cat expected.txt)"
  for ld in bfd lld; do
    for gc in "" "$(gc_flags $ld $variant)"; do
      n="orig-$ld${gc:+-gc}"
      link_run "$n" "$ld" "$gc" liblist.a || fail "$variant: the original does not link ($ld $gc)"
      diff -u expected.txt "$n.txt" || fail "$variant: the original behaves differently with $ld $gc"
    done
  done
  pass "$variant: original prints '$(head -1 expected.txt)' with GNU ld and lld, with and without --gc-sections"

  # prune: the output must link and behave the same, every way.
  "$SLIMLINK" prune liblist.a -o out.a --api-regex "$api" > prune.txt 2>&1 ||
    fail "$variant: prune failed: $(cat prune.txt)"
  echo "$variant: prune kept $(llvm-ar-19 t out.a | tr '\n' ' ')with $(llvm-readelf-19 -SW out.a 2>/dev/null | grep -c ' mytab ') mytab sections"
  ok=1
  for ld in bfd lld; do
    for gc in "" "$(gc_flags $ld $variant)"; do
      n="pruned-$ld${gc:+-gc}"
      if link_run "$n" "$ld" "$gc" out.a; then
        diff -u expected.txt "$n.txt" > "$n.diff" || { ok=0; problem "$variant: $n: output differs: $(tail -n +4 "$n.diff" | tr '\n' ' ')"; }
      else
        ok=0
      fi
    done
  done
  [ $ok = 1 ] && pass "$variant: pruned library links (GNU ld, lld, with and without --gc-sections) and behaves the same"

  # verify passes on the pruned library.
  if "$SLIMLINK" verify liblist.a -- out.a --api-regex "$api" > verify-ok.txt 2>&1; then
    pass "$variant: verify passes on prune's output"
  else
    problem "$variant: verify fails on prune's output: $(cat verify-ok.txt)"
  fi

  # A broken output: every member without its mytab sections. It does not
  # link (__start_mytab has no section to stand for); verify must say so.
  mkdir broken && (cd broken && llvm-ar-19 x ../liblist.a &&
    for m in *.o; do llvm-objcopy-19 --remove-section=mytab "$m"; done &&
    llvm-ar-19 rcs ../broken.a reg_a.o reg_b.o registry.o dead.o)
  [ "$(llvm-readelf-19 -SW broken.a | grep -c mytab)" = 0 ] || fail "$variant: broken.a still has mytab sections"
  if gcc -fuse-ld=bfd src/host.c broken.a -o broken-host 2> /dev/null; then
    fail "$variant: the host links against broken.a; the premise of the broken case is gone"
  fi
  rc=0
  "$SLIMLINK" verify liblist.a -- broken.a --api-regex "$api" > verify-broken.txt 2>&1 || rc=$?
  if [ "$rc" = 0 ]; then
    problem "$variant: verify passes an output without any mytab section: $(tail -1 verify-broken.txt)"
  elif ! grep -Eq '__start_mytab|mytab' verify-broken.txt; then
    problem "$variant: verify fails (exit $rc) but does not name __start_mytab or mytab: $(cat verify-broken.txt)"
  else
    pass "$variant: verify catches the lost table: $(grep -m1 -E '__start_mytab|mytab' verify-broken.txt)"
  fi
  rc=0
  "$SLIMLINK" verify liblist.a -- broken.a --api-regex "$api" --json > verify-broken.json 2> verify-broken.err || rc=$?
  kinds=$(json_get verify-broken.json "' '.join(p['kind'] for p in d['problems'])" 2> /dev/null || echo "(no JSON)")
  case " $kinds " in
    *" missing-start-stop-section "*)
      if [ "$rc" = 0 ]; then problem "$variant: verify --json: exit status 0 with problems: $kinds"
      else pass "$variant: verify --json reports missing-start-stop-section"; fi ;;
    *) problem "$variant: verify --json: want problem kind missing-start-stop-section, got: ${kinds:-none} (exit $rc)" ;;
  esac

  # Worse: only reg_b.o loses its entry. The host links and quietly counts
  # two entries instead of three; verify must still fail.
  mkdir partial && (cd partial && llvm-ar-19 x ../liblist.a &&
    llvm-objcopy-19 --remove-section=mytab reg_b.o &&
    llvm-ar-19 rcs ../partial.a reg_a.o reg_b.o registry.o dead.o)
  gcc -fuse-ld=bfd src/host.c partial.a -o partial-host || fail "$variant: the host does not link against partial.a"
  ./partial-host | grep -q "registry: 2 entries" || fail "$variant: partial.a's host does not show the lost entry: $(./partial-host)"
  rc=0
  "$SLIMLINK" verify liblist.a -- partial.a --api-regex "$api" > verify-partial.txt 2>&1 || rc=$?
  if [ "$rc" = 0 ] || ! grep -q "__start_mytab" verify-partial.txt; then
    problem "$variant: verify passes an output whose table lost an entry (exit $rc): $(tail -1 verify-partial.txt)"
  else
    pass "$variant: verify catches a table that lost one entry"
  fi
  cd "$WORK"
done

if ((${#problems[@]})); then
  fail "${#problems[@]} problem(s), each on a PROBLEM line above"
fi
pass "start/stop tables survive prune and verify catches a lost one"
