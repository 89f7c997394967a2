/* The MSVC-style host: calls each plugin's API (-DPLUGS=N: plugins 1..N,
 * default 3), prints the results with kernel32's WriteFile, exits with
 * ExitProcess. No CRT: linked with lld-link-19 /entry:main /nodefaultlib. */
#include "rt.h"
#ifndef PLUGS
#define PLUGS 3
#endif
int plug1_run(int), plug2_run(int), plug3_run(int);
int plug1_version(void), plug2_version(void), plug3_version(void);

static void put(const char *s) {
  u32 n = 0, w;
  while (s[n])
    n++;
  WriteFile(GetStdHandle((u32)-11), s, n, &w, 0);
}

static void put_int(const char *what, int v) {
  char buf[16], *p = buf + sizeof buf;
  u32 u = v < 0 ? -(u32)v : (u32)v;
  *--p = 0;
  *--p = '\n';
  do
    *--p = (char)('0' + u % 10);
  while (u /= 10);
  if (v < 0)
    *--p = '-';
  put(what);
  put(p);
}

#ifdef __MINGW32__
/* gcc calls __main (the CRT's constructor runner) first thing in main. */
void __main(void) {}
#endif

int main(void) {
  for (int i = 3; i <= 12; i += 9) {
    put_int("host: plug1_run = ", plug1_run(i));
#if PLUGS >= 2
    put_int("host: plug2_run = ", plug2_run(i + 1));
#endif
#if PLUGS >= 3
    put_int("host: plug3_run = ", plug3_run(i + 2));
#endif
  }
  put_int("host: plug1_version = ", plug1_version());
#if PLUGS >= 2
  put_int("host: plug2_version = ", plug2_version());
#endif
#if PLUGS >= 3
  put_int("host: plug3_version = ", plug3_version());
#endif
  ExitProcess(0);
}
