/* alloc-<hash>.alloc.<hash>-cgu.0.rcgu.o: the allocator shim's names over a
 * bump allocator in a static arena (a static with state). */
#include "rt.h"

static u8 arena[1 << 16];
static usize used;
usize ALLOC_HIGH_WATER __asm__("__ZN5alloc5alloc10HIGH_WATER17h7a8b9c0d1e2f3a4bE");

void *__rust_alloc(usize size, usize align) {
  usize at = (used + align - 1) & ~(align - 1);
  if (at + size > sizeof arena) {
    __rust_alloc_error_handler(size, align);
    return 0;
  }
  used = at + size;
  if (used > ALLOC_HIGH_WATER)
    ALLOC_HIGH_WATER = used;
  return arena + at;
}

void __rust_dealloc(void *ptr, usize size, usize align) {
  (void)align;
  if ((u8 *)ptr + size == arena + used)
    used -= size;
}

void *__rust_realloc(void *ptr, usize old, usize align, usize size) {
  u8 *p = (u8 *)__rust_alloc(size, align);
  for (usize i = 0; p && i < old && i < size; i++)
    p[i] = ((u8 *)ptr)[i];
  __rust_dealloc(ptr, old, align);
  return p;
}

void __rust_alloc_error_handler(usize size, usize align) {
  (void)align;
  char msg[32];
  core_fmt_u64(msg, size);
  core_panic(msg);
}
