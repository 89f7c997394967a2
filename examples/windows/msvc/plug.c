/* Plugin PLUG's own members (-DPLUG=N), <crate>-<hash>.<crate>.<hash>-cgu.0
 * and, with -DCGU1, cgu.1: the extern "C" API plugN_run / plugN_version,
 * internal helpers (global, as rustc makes what another CGU calls), dead
 * code, calls into the runtime and into fakedll.dll (through its import
 * library: __imp_fake_add for dllimport, the fake_mul thunk otherwise). */
#include "rt.h"
#ifndef PLUG
#error "-DPLUG=N"
#endif
#define CAT3(a, b, c) a##b##c
#define NAME(n, s) CAT3(plug, n, s)
#define P(s) NAME(PLUG, s)
#define STR2(x) #x
#define STR(x) STR2(x)

__declspec(dllimport) int fake_add(int a, int b);
int fake_mul(int a, int b);
__declspec(dllimport) extern int fake_calls;

u32 P(_helper)(u32 n) __asm__("_ZN5plug" STR(PLUG) "6helper17h0f1e2d3c4b5a6978E");
const char *P(_name)(void) __asm__("_ZN5plug" STR(PLUG) "4name17h1e2d3c4b5a697887E");
int P(_keep)(void);

#ifndef CGU1
static u32 runs;

int P(_run)(int n) {
  runs++;
  char *v = __rust_alloc(n + 1, 1);
  for (int i = 0; i < n; i++)
    v[i] = (char)('a' + (i * PLUG) % 26);
  v[n] = 0;
  std_print(P(_name)());
  std_print(": run(");
  std_print_u64(n);
  std_print(") ");
  std_print(v);
  std_print(" hash ");
  std_print_u64(core_hash_bytes((const u8 *)v, n) % 100000);
  std_print("\n");
  __rust_dealloc(v, n + 1, 1);
#if PLUG % 2
  int r = fake_add(P(_helper)(n), PLUG);
#else
  int r = fake_mul(P(_helper)(n), PLUG);
#endif
  if (n < 0)
    core_panic("negative run");
  return r + (int)runs;
}

int P(_version)(void) { return 100 * PLUG + fake_calls; }

/* A global nothing calls: dead code. */
int P(_dead)(int n) { return fake_mul(n, n) + (int)core_hash_bytes((const u8 *)&n, 4); }

/* Kept by a /INCLUDE: directive in .drectve, though nothing calls it (MSVC
 * targets; the MinGW build has none). */
#ifdef _MSC_VER
#pragma comment(linker, "/include:plug" STR(PLUG) "_keep")
#endif
#else
static const u32 TABLE[8] = {3, 1, 4, 1, 5, 9, 2, 6};
static u32 helper_calls;

u32 P(_helper)(u32 n) {
  helper_calls++;
  return TABLE[n % 8] * PLUG + helper_calls;
}

const char *P(_name)(void) {
  static char name[] = "plugN";
  name[4] = '0' + PLUG;
  return name;
}

/* What the /INCLUDE: directive of cgu.0 keeps. */
int P(_keep)(void) { return (int)helper_calls; }
#endif
