/* What the runtime members declare for each other and for the plugins: a
 * Rust staticlib's std, core, alloc and compiler_builtins, in freestanding C
 * for x86_64-pc-windows-msvc (no CRT, no SDK: the few kernel32 functions used
 * are declared here and imported through an import library made with
 * llvm-dlltool-19). Programs linked from these run under wine. */
#ifndef SLIMLINK_EXAMPLE_WINDOWS_RT_H
#define SLIMLINK_EXAMPLE_WINDOWS_RT_H
typedef __SIZE_TYPE__ usize;
typedef __UINT8_TYPE__ u8;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;

/* kernel32.dll */
__declspec(dllimport) void *GetStdHandle(u32 which);
__declspec(dllimport) int WriteFile(void *h, const void *p, u32 n, u32 *written, void *overlapped);
__declspec(dllimport) __declspec(noreturn) void ExitProcess(u32 code);

/* alloc: the allocator shim's names (a bump allocator over std's arena). */
void *__rust_alloc(usize size, usize align);
void __rust_dealloc(void *ptr, usize size, usize align);
void *__rust_realloc(void *ptr, usize old, usize align, usize size);
void *std_rdl_alloc(usize size, usize align) __asm__("__rdl_alloc");

/* core: formatting and panics. Rust-mangled names, as rustc spells them. */
usize core_fmt_u64(char *buf, u64 v) __asm__("_ZN4core3fmt3num3imp7fmt_u6417h5d3f1a2b3c4d5e6fE");
__declspec(noreturn) void core_panic(const char *msg) __asm__("_ZN4core9panicking5panic17h0a1b2c3d4e5f6a7bE");
u64 core_hash_bytes(const u8 *p, usize n) __asm__("_ZN4core4hash3sip13Hasher$LT$S$GT$5write17h99aa88bb77cc66ddE");

/* std: line-buffered stdout (state), the panic count, the personality. */
void std_print(const char *s) __asm__("_ZN3std2io5stdio6_print17h1a2b3c4d5e6f7a8bE");
void std_print_u64(u64 v) __asm__("_ZN3std2io5stdio9print_u6417h2b3c4d5e6f7a8b9cE");
u32 std_panic_count(void) __asm__("_ZN3std9panicking11panic_count9GLOBAL_PANIC_COUNT17h3c4d5e6f7a8b9c0dE");
__declspec(noreturn) void rust_begin_unwind(const char *msg);
int rust_eh_personality(int version, int actions, u64 exception_class, void *exception, void *context);

/* compiler_builtins */
void *memcpy(void *d, const void *s, usize n);
void *memset(void *p, int c, usize n);
int memcmp(const void *a, const void *b, usize n);
u64 compiler_builtins_udiv(u64 a, u64 b) __asm__("_ZN17compiler_builtins3int4udiv10__udivdi317h5e6f7a8b9c0d1e2fE");
#endif
