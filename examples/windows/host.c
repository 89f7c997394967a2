/* The C host of the Windows example (MinGW): calls each Rust plugin's
 * extern "C" API and prints what it returns. Built with -DPLUGS=N to call
 * plugins 1..N (default 3). */
#include <stdio.h>
#include <stddef.h>

#ifndef PLUGS
#define PLUGS 3
#endif

#define API(n)                                                     \
  int plug##n##_run(int);                                          \
  size_t plug##n##_describe(int, unsigned char *, size_t);
API(1)
API(2)
API(3)

typedef int (*run_fn)(int);
typedef size_t (*describe_fn)(int, unsigned char *, size_t);

int main(void) {
  static const struct { run_fn run; describe_fn describe; } plugs[] = {
    {plug1_run, plug1_describe},
#if PLUGS >= 2
    {plug2_run, plug2_describe},
#endif
#if PLUGS >= 3
    {plug3_run, plug3_describe},
#endif
  };
  static const int args[] = {0, 5, 12};
  unsigned char buf[256];
  for (size_t p = 0; p < sizeof plugs / sizeof plugs[0]; p++) {
    for (size_t i = 0; i < sizeof args / sizeof args[0]; i++) {
      int r = plugs[p].run(args[i]);
      size_t len = plugs[p].describe(args[i], buf, sizeof buf);
      printf("plug%zu(%d): run %d, describe %zu \"%s\"\n", p + 1, args[i], r, len, buf);
    }
  }
  /* A small buffer: the text is cut, its length still reported. */
  size_t len = plugs[0].describe(3, buf, 8);
  printf("cut: %zu \"%s\"\n", len, buf);
  return 0;
}
