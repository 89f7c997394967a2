/* A C program that calls the example Rust staticlibs. Build with -DUSE_ALPHA,
 * -DUSE_BETA, -DUSE_GAMMA and/or -DUSE_DELTA to choose which libraries it
 * links against; by default it calls alpha, beta and gamma. */
#include <stdint.h>
#include <stdio.h>

#if !defined(USE_ALPHA) && !defined(USE_BETA) && !defined(USE_GAMMA) && \
    !defined(USE_DELTA)
#define USE_ALPHA
#define USE_BETA
#define USE_GAMMA
#endif

uint32_t alpha_word_stats(const char *text);
uint64_t beta_primes(uint32_t n);
uint64_t gamma_fib(uint32_t n);
uint32_t delta_squares(uint32_t n);

int main(void) {
  /* Line-buffered like Rust's stdout, so the two interleave in call order
   * even when stdout is a pipe. */
  setvbuf(stdout, NULL, _IOLBF, 0);
#ifdef USE_ALPHA
  printf("host: alpha -> %u\n",
         alpha_word_stats("the quick brown fox jumps over the lazy dog; "
                          "the dog sleeps, the fox runs"));
#endif
#ifdef USE_BETA
  printf("host: beta -> %llu\n", (unsigned long long)beta_primes(100000));
#endif
#ifdef USE_GAMMA
  printf("host: gamma -> %llu\n", (unsigned long long)gamma_fib(90));
#endif
#ifdef USE_DELTA
  printf("host: delta -> %u\n", delta_squares(12));
#endif
  return 0;
}
