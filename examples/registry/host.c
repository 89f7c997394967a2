/* A C program that calls the registry example staticlibs. Build with
 * -DUSE_INV, -DUSE_TAB and/or -DUSE_ZIP to choose which libraries it links
 * against; by default it calls all three. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if !defined(USE_INV) && !defined(USE_TAB) && !defined(USE_ZIP)
#define USE_INV
#define USE_TAB
#define USE_ZIP
#endif

int32_t inv_run(int32_t x);
int32_t tab_run(int32_t x);
size_t zip_compress(const uint8_t *ptr, size_t len, uint8_t *out, size_t cap);
size_t zip_decompress(const uint8_t *ptr, size_t len, uint8_t *out, size_t cap);
uint32_t zip_crc32(const uint8_t *ptr, size_t len);

int main(void) {
  /* Line-buffered like Rust's stdout, so the two interleave in call order
   * even when stdout is a pipe. */
  setvbuf(stdout, NULL, _IOLBF, 0);
#ifdef USE_INV
  printf("host: inv -> %d\n", inv_run(7));
#endif
#ifdef USE_TAB
  printf("host: tab -> %d\n", tab_run(7));
#endif
#ifdef USE_ZIP
  {
    static const char text[] =
        "It was the best of times, it was the worst of times, it was the age "
        "of wisdom, it was the age of foolishness, it was the epoch of belief, "
        "it was the epoch of incredulity, it was the season of Light, it was "
        "the season of Darkness, it was the spring of hope, it was the winter "
        "of despair.";
    static uint8_t packed[1024], unpacked[1024];
    size_t len = sizeof text - 1;
    size_t n = zip_compress((const uint8_t *)text, len, packed, sizeof packed);
    size_t m = zip_decompress(packed, n, unpacked, sizeof unpacked);
    int same = m == len && memcmp(text, unpacked, len) == 0;
    printf("host: zip %zu -> %zu -> %zu bytes, %s, crc32 %08x\n", len, n, m,
           same ? "round trip ok" : "ROUND TRIP FAILED",
           zip_crc32((const uint8_t *)text, len));
  }
#endif
  return 0;
}
