/* What the runtime members declare for each other and for the plugins: a
 * Rust staticlib's std, core, alloc and compiler_builtins, in C. No system
 * headers: there is no Apple SDK here, and nothing here runs. */
#ifndef SLIMLINK_EXAMPLE_MACHO_RT_H
#define SLIMLINK_EXAMPLE_MACHO_RT_H
#ifdef __cplusplus
extern "C" {
#endif
typedef __SIZE_TYPE__ usize;
typedef __UINT8_TYPE__ u8;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;

/* alloc: the allocator shim's names (a bump allocator over a static arena). */
void *__rust_alloc(usize size, usize align);
void __rust_dealloc(void *ptr, usize size, usize align);
void *__rust_realloc(void *ptr, usize old, usize align, usize size);
void __rust_alloc_error_handler(usize size, usize align);

/* core: formatting and panics. Rust-mangled names, as rustc spells them. */
usize core_fmt_u64(char *buf, u64 v) __asm__("__ZN4core3fmt3num3imp7fmt_u6417h5d3f1a2b3c4d5e6fE");
_Noreturn void core_panic(const char *msg) __asm__("__ZN4core9panicking5panic17h0a1b2c3d4e5f6a7bE");
u64 core_hash_bytes(const u8 *p, usize n) __asm__("__ZN4core4hash3sip13Hasher$LT$S$GT$5write17h99aa88bb77cc66ddE");

/* std: printing into a buffer (state), the panic count, the personality. */
void std_print(const char *s) __asm__("__ZN3std2io5stdio6_print17h1a2b3c4d5e6f7a8bE");
usize std_take_output(char *buf, usize cap) __asm__("__ZN3std2io5stdio11take_output17h2b3c4d5e6f7a8b9cE");
u32 std_panic_count(void) __asm__("__ZN3std9panicking11panic_count9GLOBAL_PANIC_COUNT17h3c4d5e6f7a8b9c0dE");
int rust_eh_personality(int version, int actions, u64 exception_class,
                        void *exception, void *context);
void rust_begin_unwind(const char *msg);
/* std, cgu.1 (rt_unwind.ll): calls f(data) under rust_eh_personality. */
int std_panicking_try(void (*f)(void *), void *data) __asm__("__ZN3std9panicking3try17h4d5e6f7a8b9c0d1eE");

/* compiler_builtins */
u64 __udivdi3(u64 a, u64 b);
u64 __umoddi3(u64 a, u64 b);
void *compiler_builtins_memset(void *p, int c, usize n) __asm__("__ZN17compiler_builtins3mem6memset17h5e6f7a8b9c0d1e2fE");
#ifdef __cplusplus
}
#endif
#endif
