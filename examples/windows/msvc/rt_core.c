/* core-<hash>.core.<hash>-cgu.0.rcgu.o: integer formatting, panics (which
 * call back into std: the cycle core -> std every Rust staticlib has), a
 * hash. */
#include "rt.h"
#ifndef FLAVOR
#define FLAVOR 0
#endif

static const char DIGITS[] = "0123456789";

usize core_fmt_u64(char *buf, u64 v) {
  char tmp[24];
  usize n = 0, i;
  do {
    tmp[n++] = DIGITS[v % 10];
    v = compiler_builtins_udiv(v, 10);
  } while (v);
  for (i = 0; i < n; i++)
    buf[i] = tmp[n - 1 - i];
  return n;
}

void core_panic(const char *msg) { rust_begin_unwind(msg); }

u64 core_hash_bytes(const u8 *p, usize n) {
  u64 h = 0xcbf29ce484222325ull + FLAVOR;
  for (usize i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

/* Never called by the example: dead code a prune takes out. */
u64 core_unused(u64 a) __asm__("_ZN4core3num7unused17h1122334455667788E");
u64 core_unused(u64 a) { return core_hash_bytes((const u8 *)&a, sizeof a) ^ 0x5a5a; }
