// plugN-<hash>.plugN.<hash>-cgu.0.rcgu.o (-DPLUG=N): a plugin's API
// (extern "C" plugN_run, plugN_version), C++ with try/catch (compact unwind
// names ___gxx_personality_v0; the function has an LSDA), calls into the
// runtime. With -DCGU1: cgu.1, the plugin's internal helpers (globals the
// API reaches from the other member, not API) and dead code.
#include "rt.h"

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define NAME(x) CAT(CAT(plug, PLUG), x)

extern "C" {
u32 NAME(_run)(u32 n);
const char *NAME(_version)(void);
u64 NAME(_helper_mix)(u64 a, u64 b);   // internal: cgu.1
extern u32 NAME(_helper_calls);        // internal state: cgu.1
u64 NAME(_dead_code)(u64 x);           // dead: cgu.1, nothing calls it
}

#ifndef CGU1
namespace {
// Throws on a zero divisor; the caller catches.
u64 checked_div(u64 a, u64 b) {
  if (b == 0)
    throw (int)PLUG;
  return __udivdi3(a, b);
}

struct Scratch {
  char *p;
  explicit Scratch(usize n) : p((char *)__rust_alloc(n, 8)) {}
  ~Scratch() { __rust_dealloc(p, 64, 8); }
};

// Runs under std::panicking::try (rust_eh_personality), as a closure would.
void step(void *acc) { *(u64 *)acc += std_panic_count() + PLUG; }
} // namespace

extern "C" u32 NAME(_run)(u32 n) {
  Scratch s(64);
  u64 acc = 0;
  for (u32 i = 0; i <= n; i++) {
    try {
      acc += checked_div(NAME(_helper_mix)(i, PLUG), n - i);
    } catch (int e) {
      acc ^= (u64)e;
    }
  }
  if (std_panicking_try(step, &acc))
    return 0;
  core_fmt_u64(s.p, acc);
  std_print(s.p);
  return (u32)(acc + core_hash_bytes((const u8 *)s.p, 8)) + NAME(_helper_calls);
}

#define STR2(x) #x
#define STR(x) STR2(x)
extern "C" const char *NAME(_version)(void) { return "plug" STR(PLUG) " 1.0." STR(PLUG); }
#else
u32 NAME(_helper_calls);

extern "C" u64 NAME(_helper_mix)(u64 a, u64 b) {
  NAME(_helper_calls)++;
  return (a * 0x9e3779b97f4a7c15ull) ^ (b << (PLUG + 3));
}

extern "C" u64 NAME(_dead_code)(u64 x) {
  try {
    return x / (x - PLUG) + std_panic_count();
  } catch (...) {
    return 0;
  }
}
#endif
