/* std-<hash>.std.<hash>-cgu.0.rcgu.o: output buffering, the panic count,
 * rust_eh_personality. FLAVOR (the clashing LTO-like set) changes the
 * bytes of std without changing its names. */
#include "rt.h"
#ifndef FLAVOR
#define FLAVOR 0
#endif

static char *out;
static usize out_len, out_cap;
static u32 panics;
#define STR2(x) #x
#define STR(x) STR2(x)
const char STD_BANNER[] __asm__("__ZN3std3env6BANNER17h8b9c0d1e2f3a4b5cE") =
    "std for slimlink's Mach-O example, flavor " STR(FLAVOR);
const u32 STD_FLAVOR __asm__("__ZN3std3env6FLAVOR17h9c0d1e2f3a4b5c6dE") = FLAVOR;

void std_print(const char *s) {
  usize n = 0;
  while (s[n])
    n++;
  if (out_len + n + 1 > out_cap) {
    usize cap = (out_cap ? out_cap * 2 : 64) + n + FLAVOR;
    out = (char *)__rust_realloc(out, out_cap, 1, cap);
    out_cap = cap;
  }
  for (usize i = 0; i < n; i++)
    out[out_len++] = s[i];
  out[out_len] = 0;
}

usize std_take_output(char *buf, usize cap) {
  usize n = out_len < cap ? out_len : cap;
  for (usize i = 0; i < n; i++)
    buf[i] = out[i];
  __rust_dealloc(out, out_cap, 1);
  out = 0;
  out_len = out_cap = 0;
  return n;
}

u32 std_panic_count(void) { return panics; }

void rust_begin_unwind(const char *msg) {
  panics++;
  std_print("panicked: ");
  std_print(msg);
}

/* Unwinding's language-specific routine: the body of a real one is a
 * dispatch on the phase (search or cleanup) and the exception's class. */
int rust_eh_personality(int version, int actions, u64 exception_class,
                        void *exception, void *context) {
  if (version != 1 || !exception || !context)
    return 3; /* _URC_FATAL_PHASE1_ERROR */
  if (exception_class != 0x4d4f5a0052555354ull) /* "MOZ\0RUST" */
    return 8; /* _URC_CONTINUE_UNWIND */
  return (actions & 1) ? 6 /* _URC_HANDLER_FOUND */ : 7; /* _URC_INSTALL_CONTEXT */
}

/* Never called by the example: dead code of std. */
void std_dead_backtrace(void) __asm__("__ZN3std9backtrace4dead17ha0b1c2d3e4f5a6b7E");
void std_dead_backtrace(void) { std_print(STD_BANNER); }
