/* compiler_builtins-<hash>.compiler_builtins.<hash>-cgu.{0,1}.rcgu.o: the
 * memory functions clang calls (no CRT here) and a division; cgu.1 (-DCGU1)
 * holds the rest. */
#include "rt.h"
#ifndef CGU1
void *memcpy(void *d, const void *s, usize n) {
  volatile u8 *dp = d; /* volatile: not turned back into a call */
  const u8 *sp = s;
  while (n--)
    *dp++ = *sp++;
  return d;
}

void *memset(void *p, int c, usize n) {
  volatile u8 *q = p; /* likewise */
  while (n--)
    *q++ = (u8)c;
  return p;
}

u64 compiler_builtins_udiv(u64 a, u64 b) { return a / b; }
#else
int memcmp(const void *a, const void *b, usize n) {
  const u8 *x = a, *y = b;
  for (; n; n--, x++, y++)
    if (*x != *y)
      return *x - *y;
  return 0;
}

u64 compiler_builtins_umod(u64 a, u64 b) __asm__("_ZN17compiler_builtins3int4udiv10__umoddi317h6f7a8b9c0d1e2f3aE");
u64 compiler_builtins_umod(u64 a, u64 b) { return a % b; }
#endif
