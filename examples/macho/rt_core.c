/* core-<hash>.core.<hash>-cgu.0.rcgu.o: formatting, hashing, panics. */
#include "rt.h"

usize core_fmt_u64(char *buf, u64 v) {
  char tmp[24];
  usize n = 0;
  do {
    tmp[n++] = (char)('0' + __umoddi3(v, 10));
    v = __udivdi3(v, 10);
  } while (v);
  for (usize i = 0; i < n; i++)
    buf[i] = tmp[n - 1 - i];
  buf[n] = 0;
  return n;
}

u64 core_hash_bytes(const u8 *p, usize n) {
  u64 h = 0x736f6d6570736575ull;
  for (usize i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3ull + (h >> 29);
  return h;
}

/* Never called by the example: a dead function of core. */
u64 core_fmt_float_dead(u64 bits) __asm__("__ZN4core3fmt5float9float_dead17h6f7a8b9c0d1e2f3aE");
u64 core_fmt_float_dead(u64 bits) { return core_hash_bytes((const u8 *)&bits, 8) ^ 0x7ff; }

_Noreturn void core_panic(const char *msg) {
  rust_begin_unwind(msg);
  __builtin_trap();
}
