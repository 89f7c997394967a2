#!/usr/bin/env bash
# prune on Mach-O archives cuts atoms: for arm64 and x86_64, a small C/C++
# library (clang -O2, .subsections_via_symbols) loses the functions its API
# cannot reach, with their compact unwind entries, FDEs, LSDAs and private
# strings, and keeps the rest. No Mac here: both the original and the
# pruned library are linked by ld64.lld with -dead_strip, and the code and
# data the program keeps must come out the same: every kept function
# disassembles the same (one uses a local string and a static through
# section-relative relocations on x86_64, one has try/catch whose unwind
# info names a personality and an LSDA), the C strings, constants, data and
# unwind info are the same. verify agrees, the output is smaller, and it is
# the same bytes across runs and thread counts.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

cat > lib.c <<'EOF'
int printf(const char *, ...);
static int counter;
static const char *names[] = {"alpha", "beta", "gamma"};
__attribute__((noinline)) static int helper(int x) { return x * 3 + counter++; }
int live_fn(int x) { printf("LIVE_STRING %d\n", x); return helper(x) + names[x & 1][0]; }
int dead_fn(int x) { printf("DEAD_STRING_MARKER %d\n", x); return helper(x) + 7; }
int sw(int x) {
  switch (x) {
  case 0: return live_fn(11); case 1: return 22; case 2: return 35;
  case 3: return 47; case 4: return 51; case 5: return 66;
  default: return 0;
  }
}
static double table[] = {1.5, 2.5, 3.5};
double dead_table(int i) { return table[i]; }
__attribute__((used)) static void kept_used(void) { printf("USED_STRING\n"); }
__attribute__((constructor)) static void ctor(void) { printf("CTOR_STRING\n"); }
EOF
cat > lib2.cc <<'EOF'
int thrower(int);
int catcher(int x) { try { return thrower(x); } catch (int e) { return e; } }
int dead_catcher(int x) { try { return thrower(x + 1); } catch (long e) { return int(e); } }
int dead_plain(int x) { return x + 1; }
EOF
cat > thrower.cc <<'EOF'
int thrower(int x) { if (x > 3) throw x; return x; }
EOF
cat > unused.c <<'EOF'
int unused_member(int x) { return x * 5; }
EOF
cat > main.c <<'EOF'
int live_fn(int); int sw(int); int catcher(int) __asm__("__Z7catcheri");
int main(void) { return live_fn(1) + sw(2) + catcher(3); }
EOF
printf '_live_fn\n_sw\n__Z7catcheri\n' > api.txt

syms() { llvm-nm-19 "$1" 2>/dev/null | awk 'NF == 3 { print $3 } NF == 2 { print $2 }' | sort -u; }
has() { syms "$1" | grep -qx -- "$2"; }
disasm() { # BINARY SYMBOL
  llvm-objdump-19 -d --no-show-raw-insn --no-leading-addr --disassemble-symbols="$2" "$1" |
    sed 1,3d
}
section() { llvm-objdump-19 --macho -s --section="$2" "$1" | sed 1d; }

for arch in arm64 x86_64; do
  d="$WORK/$arch" && mkdir -p "$d" && cd "$d"
  cc="clang-19 --target=$arch-apple-macos11 -O2 -c"
  $cc ../lib.c -o lib.o && $cc ../lib2.cc -o lib2.o && $cc ../thrower.cc -o thrower.o
  $cc ../unused.c -o unused.o && $cc ../main.c -o main.o
  llvm-ar-19 rc --format=darwin lib.a lib.o lib2.o thrower.o unused.o
  "$SLIMLINK" prune lib.a -o pruned.a --api ../api.txt --json > prune.json ||
    fail "$arch: prune failed"
  [ "$(json_get prune.json 'd["sections_removed"]')" -gt 0 ] || fail "$arch: no atom removed"

  for s in _dead_fn __Z12dead_catcheri __Z10dead_plaini _dead_table _unused_member; do
    has pruned.a "$s" && fail "$arch: $s survived"
  done
  for s in _live_fn _sw __Z7catcheri __Z7throweri _helper _kept_used _ctor \
           ___gxx_personality_v0; do
    has pruned.a "$s" || fail "$arch: $s is gone"
  done
  grep -q DEAD_STRING_MARKER pruned.a && fail "$arch: a dead function's string survived"
  for s in LIVE_STRING USED_STRING CTOR_STRING alpha gamma; do
    grep -q "$s" pruned.a || fail "$arch: string $s is gone"
  done
  # Compact unwind: the entries of the five cut functions (one in the
  # dropped member) go; catcher's keeps its personality and LSDA.
  entries() { llvm-objdump-19 --macho --unwind-info "$1" | grep -c 'Entry at offset'; }
  [ $(( $(entries lib.a) - $(entries pruned.a) )) = 5 ] ||
    fail "$arch: $(entries lib.a) compact unwind entries became $(entries pruned.a), not 5 fewer"
  unwind=$(llvm-objdump-19 --macho --unwind-info pruned.a)
  echo "$unwind" | grep -q 'personality function: .*___gxx_personality_v0' &&
    echo "$unwind" | grep -q 'LSDA:' || fail "$arch: catcher's unwind entry lost its personality or LSDA"
  # x86_64 objects describe every function twice, in compact unwind and in
  # an __eh_frame FDE whose pc_begin no relocation names: the cutter must
  # have moved each kept FDE with its function and cut the others.
  mkdir -p x && (cd x && llvm-ar-19 x ../pruned.a)
  for o in x/*.o; do
    fdes=$(llvm-dwarfdump-19 --eh-frame "$o" | sed -n 's/.* FDE .*pc=\([0-9a-f]*\)\.\.\..*/\1/p' |
             while read -r a; do echo $((16#$a)); done | sort -n)
    [ -z "$fdes" ] && continue
    cus=$(llvm-objdump-19 --macho --unwind-info "$o" | awk '/start:/ { print $2 }' |
            while read -r a; do echo $((a)); done | sort -n)
    [ "$fdes" = "$cus" ] || fail "$arch: $o: FDEs for $fdes, compact unwind for $cus"
  done
  [ "$(stat -c %s pruned.a)" -lt "$(stat -c %s lib.a)" ] || fail "$arch: not smaller"
  "$SLIMLINK" verify --api ../api.txt lib.a -- pruned.a > verify.txt || fail "$arch: verify: $(cat verify.txt)"

  ld="ld64.lld-19 -arch $arch -platform_version macos 11.0 11.0 -undefined dynamic_lookup -e _main -dead_strip"
  $ld main.o lib.a -o orig || fail "$arch: the original does not link"
  $ld main.o pruned.a -o pruned || fail "$arch: the pruned library does not link"
  for s in _main _live_fn _sw __Z7catcheri __Z7throweri _helper _kept_used _ctor; do
    a=$(disasm orig "$s") b=$(disasm pruned "$s")
    [ -n "$a" ] || fail "$arch: no code for $s"
    [ "$a" = "$b" ] || fail "$arch: $s differs: $(diff <(echo "$a") <(echo "$b"))"
  done
  for sec in __TEXT,__cstring __TEXT,__const __DATA,__data __DATA,__const \
             __DATA,__mod_init_func __TEXT,__gcc_except_tab __TEXT,__eh_frame; do
    [ "$(section orig $sec)" = "$(section pruned $sec)" ] || fail "$arch: $sec differs"
  done
  diff <(llvm-objdump-19 --macho --unwind-info orig | sed 1d) \
       <(llvm-objdump-19 --macho --unwind-info pruned | sed 1d) > unwind.diff ||
    fail "$arch: unwind info differs: $(cat unwind.diff)"
  llvm-objdump-19 --macho --unwind-info pruned | grep -qi 'personality' ||
    fail "$arch: no personality in the linked unwind info"

  # why walks the same atoms: helper is kept through live_fn's call (an
  # atom of __text, named after its symbol), dead_fn is not reachable.
  "$SLIMLINK" why lib.a --api ../api.txt _helper > why.txt || fail "$arch: why _helper: $(cat why.txt)"
  grep -q "_live_fn" why.txt || fail "$arch: why _helper does not go through _live_fn: $(cat why.txt)"
  grep -q "__TEXT,__text(_helper)" why.txt || fail "$arch: why does not name _helper's atom: $(cat why.txt)"
  if "$SLIMLINK" why lib.a --api ../api.txt _dead_fn > why-dead.txt 2>&1; then
    fail "$arch: why says the dead function is reachable: $(cat why-dead.txt)"
  fi

  # The same bytes on every run, whatever the thread count.
  "$SLIMLINK" prune lib.a -o again.a --api ../api.txt > /dev/null
  "$SLIMLINK" -j 1 prune lib.a -o one.a --api ../api.txt > /dev/null
  cmp pruned.a again.a || fail "$arch: two runs differ"
  cmp pruned.a one.a || fail "$arch: -j 1 differs"
  pass "$arch: $(json_get prune.json 'd["sections_removed"]') atoms cut, $(stat -c %s lib.a) -> $(stat -c %s pruned.a) bytes, kept code identical"
  cd "$WORK"
done
