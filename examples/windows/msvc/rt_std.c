/* std-<hash>.std.<hash>-cgu.0.rcgu.o: line-buffered output to stdout through
 * kernel32's WriteFile, the panic count, the arena __rdl_alloc carves,
 * rust_eh_personality. FLAVOR (the clashing LTO-like set) changes the bytes
 * of std without changing its names. */
#include "rt.h"
#ifndef FLAVOR
#define FLAVOR 0
#endif

static char line[128 + FLAVOR];
static u32 line_len;
static u32 panics;
static _Alignas(16) u8 arena[16384];
static usize arena_used;
#define STR2(x) #x
#define STR(x) STR2(x)
const char STD_BANNER[] __asm__("_ZN3std3env6BANNER17h8b9c0d1e2f3a4b5cE") =
    "std for slimlink's Windows example, flavor " STR(FLAVOR);

static void flush(void) {
  u32 written;
  WriteFile(GetStdHandle((u32)-11), line, line_len, &written, 0);
  line_len = 0;
}

void std_print(const char *s) {
  for (; *s; s++) {
    line[line_len++] = *s;
    if (*s == '\n' || line_len == sizeof line)
      flush();
  }
}

void std_print_u64(u64 v) {
  char buf[24];
  usize n = core_fmt_u64(buf, v);
  buf[n] = 0;
  std_print(buf);
}

u32 std_panic_count(void) { return panics; }

void rust_begin_unwind(const char *msg) {
  panics++;
  std_print("panicked at '");
  std_print(msg);
  std_print("'\n");
  ExitProcess(101);
}

void *std_rdl_alloc(usize size, usize align) {
  usize at = (arena_used + align - 1) & ~(align - 1);
  if (at + size > sizeof arena)
    core_panic("out of memory");
  arena_used = at + size;
  return arena + at;
}

/* Not called on this target (MSVC unwinding uses __CxxFrameHandler3), but
 * every Rust std defines it. */
int rust_eh_personality(int version, int actions, u64 exception_class, void *exception,
                        void *context) {
  (void)exception, (void)context;
  return version + actions + (int)exception_class + FLAVOR;
}
