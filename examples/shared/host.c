/* Loads the plugins named on the command line (in that order) with
 * dlopen(RTLD_NOW | RTLD_LOCAL), as CPython and Node load extension modules
 * (LoadLibraryEx on Windows),
 * and exercises what only works when they share one std: a buffer one
 * module allocates and another frees, one panic hook for all, panics caught
 * across the shared std. Prints what it saw; exits 1 on a load error. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef _WIN32
/* LoadLibraryEx with the module's own directory searched for what it needs
 * (libcommon.dll), as Python 3.8+ loads extension modules. */
#include <windows.h>
#define RTLD_NOW 0
#define RTLD_LOCAL 0
static void *dlopen(const char *path, int flags) {
  (void)flags;
  return LoadLibraryExA(path, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
}
static void *dlsym(void *module, const char *name) {
  return (void *)GetProcAddress((HMODULE)module, name);
}
static const char *dlerror(void) {
  static char message[32];
  snprintf(message, sizeof message, "error %lu", (unsigned long)GetLastError());
  return message;
}
#else
#include <dlfcn.h>
#endif

static void *find(int n, void **mods, const char *name) {
  for (int i = 0; i < n; i++) {
    void *f = dlsym(mods[i], name);
    if (f)
      return f;
  }
  return NULL;
}

int main(int argc, char **argv) {
  void *mods[16];
  int n = 0;
  setvbuf(stdout, NULL, _IOLBF, 0);
  for (int i = 1; i < argc && n < 16; i++) {
    mods[n] = dlopen(argv[i], RTLD_NOW | RTLD_LOCAL);
    if (!mods[n]) {
      printf("dlopen %s: %s\n", argv[i], dlerror());
      return 1;
    }
    n++;
  }
  uint8_t *(*make)(size_t) = find(n, mods, "a_make");
  uint64_t (*sum_free)(uint8_t *, size_t) = find(n, mods, "b_sum_and_free");
  void (*set_hook)(void) = find(n, mods, "a_set_hook");
  size_t (*hook_calls)(void) = find(n, mods, "a_hook_calls");
  int (*panic_caught)(int) = find(n, mods, "b_panic_caught");
  char *(*describe)(unsigned) = find(n, mods, "c_describe");
  void (*c_free)(char *) = find(n, mods, "c_free");
  if (make && sum_free)
    for (size_t size = 1; size <= 1 << 20; size *= 32)
      printf("a_make(%zu) freed by b: sum %llu\n", size,
             (unsigned long long)sum_free(make(size), size));
  if (set_hook)
    set_hook();
  if (panic_caught)
    for (int x = 7; x < 1000; x *= 11)
      printf("b_panic_caught(%d) = %d\n", x, panic_caught(x));
  if (hook_calls)
    printf("a's panic hook saw %zu panics\n", hook_calls());
  if (describe && c_free) {
    char *s = describe(300);
    printf("c_describe(300) = %s\n", s);
    c_free(s);
  }
  return 0;
}
