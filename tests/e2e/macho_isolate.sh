# isolate and shrink keep Mach-O links within compact unwind's three
# personality routines. Five libraries shaped like Rust staticlibs each carry
# their own copy of rust_eh_personality (in a std member identical in all
# five) and plugin code whose compact unwind entries name it. Renaming it per
# library, as isolate does with every other internal, makes ld64.lld fail
# with "too many personalities (5)"; slimlink keeps the name and makes the
# copies weak, so the program uses one. For arm64, x86_64 and a fat set.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

# gen ARCH: std.s and plugN.s for ARCH (hand-written __compact_unwind
# entries: clang's assembler gives a personality other than
# ___gxx_personality_v0 DWARF-mode unwind info only).
gen() {
  local arch=$1 body ret encoding
  if [ "$arch" = arm64 ]; then
    ret="mov w0, #8
	ret"
    body="stp x29, x30, [sp, #-16]!
	mov x29, sp
	bl _std_helper
	ldp x29, x30, [sp], #16
	ret"
    encoding=0x04000000 # UNWIND_ARM64_MODE_FRAME
  else
    ret="movl \$8, %eax
	retq"
    body="pushq %rbp
	movq %rsp, %rbp
	callq _std_helper
	popq %rbp
	retq"
    encoding=0x01000000 # UNWIND_X86_64_MODE_RBP_FRAME
  fi
  cat >"$arch/std.s" <<ASM
	.section __TEXT,__text,regular,pure_instructions
	.globl _rust_eh_personality
	.p2align 2
_rust_eh_personality:
	$ret
	.globl _std_helper
	.p2align 2
_std_helper:
	$ret
.subsections_via_symbols
ASM
  for i in 1 2 3 4 5; do
    cat >"$arch/plug$i.s" <<ASM
	.section __TEXT,__text,regular,pure_instructions
	.globl _plug${i}_run
	.p2align 2
_plug${i}_run:
	$body
Lend:
	.section __TEXT,__gcc_except_tab
	.p2align 2
Llsda:
	.byte 255, 255, 1, 0
	.section __LD,__compact_unwind,regular,debug
	.p2align 3
	.quad _plug${i}_run
	.long Lend-_plug${i}_run
	.long $encoding
	.quad _rust_eh_personality
	.quad Llsda
.subsections_via_symbols
ASM
  done
}

cat >host.c <<'C'
int plug1_run(int), plug2_run(int), plug3_run(int), plug4_run(int), plug5_run(int);
int main(void) { return plug1_run(1) + plug2_run(2) + plug3_run(3) + plug4_run(4) + plug5_run(5); }
C

build() { # ARCH: libN.a (darwin archives) and host.o
  local arch=$1
  mkdir -p "$arch"
  gen "$arch"
  clang-19 --target="$arch-apple-macos11" -c "$arch/std.s" -o "$arch/std-0123456789abcdef.std.0123456789abcdef-cgu.0.rcgu.o"
  clang-19 --target="$arch-apple-macos11" -O2 -c host.c -o "$arch/host.o"
  for i in 1 2 3 4 5; do
    clang-19 --target="$arch-apple-macos11" -c "$arch/plug$i.s" -o "$arch/plug$i-00112233.plug$i.00112233-cgu.0.rcgu.o"
    llvm-ar-19 rcs --format=darwin "$arch/libplug$i.a" "$arch"/std-*.o "$arch/plug$i-"*.o
  done
}

# link ARCH OUT LIBS...: ld64.lld, no libSystem here.
link() {
  local arch=$1 out=$2; shift 2
  ld64.lld-19 -arch "$arch" -platform_version macos 11.0 11.0 \
    -undefined dynamic_lookup -e _main "$arch/host.o" "$@" -o "$out"
}
personalities() { # PROGRAM: how many personality routines its unwind info names
  llvm-objdump-19 --macho --unwind-info "$1" |
    sed -n 's/^ *Personality functions: (count = \([0-9]*\))/\1/p' | head -1
}

check_arch() { # ARCH DIR: DIR holds isolated libplugN.a for ARCH
  local arch=$1 dir=$2
  link "$arch" "$arch/prog" "$arch"/libplug{1,2,3,4,5}.a
  [ "$(personalities "$arch/prog")" = 1 ] || fail "$arch: original link names $(personalities "$arch/prog") personalities"

  # The trap, measured: one private name per library is one personality each.
  for i in 1 2 3 4 5; do
    llvm-objcopy-19 --redefine-sym "_rust_eh_personality=_rust_eh_personality.$i" \
      "$dir/libplug$i.a" "$arch/naive$i.a"
    llvm-objcopy-19 --redefine-sym "_rust_eh_personality=_rust_eh_personality.$i" \
      "$arch/naive$i.a"
  done
  if link "$arch" "$arch/naive" "$arch"/naive{1,2,3,4,5}.a 2>"$arch/naive.err"; then
    fail "$arch: renaming each library's personality still linked: the test does not reach the limit"
  fi
  grep -q "too many personalities (5)" "$arch/naive.err" || fail "$arch: naive link: $(cat "$arch/naive.err")"
  if "$SLIMLINK" verify --api-regex "plug[0-9]_run" "$arch"/libplug{1,2,3,4,5}.a -- "$arch"/naive{1,2,3,4,5}.a >"$arch/verify-naive.txt" 2>&1; then
    fail "$arch: verify passed five personality routines"
  fi
  grep -q "too-many-personalities: _rust_eh_personality.1" "$arch/verify-naive.txt" ||
    fail "$arch: verify: $(cat "$arch/verify-naive.txt")"

  link "$arch" "$arch/iso" "$dir"/libplug{1,2,3,4,5}.a
  [ "$(personalities "$arch/iso")" = 1 ] || fail "$arch: isolated link names $(personalities "$arch/iso") personalities"
  # Isolation did happen: each library's std_helper is its own.
  n=$(llvm-nm-19 --defined-only "$arch/iso" | grep -c '_std_helper\.slimlink\.' || true)
  [ "$n" = 5 ] || fail "$arch: $n private copies of std_helper in the isolated program, expected 5"
  for i in 1 2 3 4 5; do
    llvm-nm-19 --defined-only "$arch/iso" | grep -q " _plug${i}_run$" || fail "$arch: _plug${i}_run missing"
  done
  llvm-nm-19 -m "$dir/libplug1.a" | grep -q "weak external _rust_eh_personality$" ||
    fail "$arch: rust_eh_personality is not a weak definition in the isolated library"
  "$SLIMLINK" verify --api-regex "plug[0-9]_run" "$arch"/libplug{1,2,3,4,5}.a -- "$dir"/libplug{1,2,3,4,5}.a >/dev/null ||
    fail "$arch: verify of the isolated set failed"
  pass "$arch: five isolated libraries link with one personality routine"
}

for arch in arm64 x86_64; do
  build "$arch"
  mkdir -p "$arch/isolated"
  for i in 1 2 3 4 5; do
    "$SLIMLINK" isolate --api-regex "plug[0-9]_run" "$arch/libplug$i.a" -o "$arch/isolated/libplug$i.a" >"$arch/isolate$i.txt"
  done
  grep -q "kept as weak definitions.*_rust_eh_personality" "$arch/isolate1.txt" ||
    fail "$arch: isolate's report does not say why the personality kept its name"
  check_arch "$arch" "$arch/isolated"

  # shrink: the set as one unit; the personality lives once, in the common library.
  "$SLIMLINK" shrink --api-regex "plug[0-9]_run" "$arch"/libplug{1,2,3,4,5}.a -o "$arch/shrunk" >/dev/null
  link "$arch" "$arch/shrunk.prog" "$arch"/shrunk/libplug{1,2,3,4,5}.a "$arch/shrunk/libcommon.a"
  [ "$(personalities "$arch/shrunk.prog")" = 1 ] || fail "$arch: shrunk link names $(personalities "$arch/shrunk.prog") personalities"
  pass "$arch: shrink's outputs link with one personality routine"
done

# Fat in, fat out: every slice isolated, slices in the inputs' order.
mkdir -p fat/isolated
for i in 1 2 3 4 5; do
  llvm-lipo-19 -create arm64/libplug$i.a x86_64/libplug$i.a -output fat/libplug$i.a
  "$SLIMLINK" isolate --api-regex "plug[0-9]_run" fat/libplug$i.a -o fat/isolated/libplug$i.a >/dev/null
done
[ "$(llvm-lipo-19 -archs fat/libplug1.a)" = "$(llvm-lipo-19 -archs fat/isolated/libplug1.a)" ] ||
  fail "fat: slices $(llvm-lipo-19 -archs fat/isolated/libplug1.a), expected $(llvm-lipo-19 -archs fat/libplug1.a)"
for arch in arm64 x86_64; do
  mkdir -p "fat/$arch"
  for i in 1 2 3 4 5; do
    llvm-lipo-19 -thin "$arch" fat/isolated/libplug$i.a -output "fat/$arch/libplug$i.a"
  done
  link "$arch" "fat/$arch/prog" fat/"$arch"/libplug{1,2,3,4,5}.a
  [ "$(personalities "fat/$arch/prog")" = 1 ] || fail "fat $arch: $(personalities "fat/$arch/prog") personalities"
done
pass "fat: isolated slice by slice, each slice links with one personality routine"
