/* compiler_builtins-<hash>.compiler_builtins.<hash>-cgu.N.rcgu.o: CGU 0 has
 * division, CGU 1 (-DCGU1) the mem functions. */
#include "rt.h"
#ifndef CGU1
u64 __udivdi3(u64 a, u64 b) {
  u64 q = 0, r = 0;
  for (int i = 63; i >= 0; i--) {
    r = (r << 1) | ((a >> i) & 1);
    if (r >= b) {
      r -= b;
      q |= 1ull << i;
    }
  }
  return q;
}
u64 __umoddi3(u64 a, u64 b) { return a - __udivdi3(a, b) * b; }
#else
void *compiler_builtins_memset(void *p, int c, usize n) {
  volatile u8 *d = (volatile u8 *)p;
  while (n--)
    *d++ = (u8)c;
  return p;
}
#endif
