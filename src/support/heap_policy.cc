#include "support/heap_policy.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define SLIMLINK_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SLIMLINK_SANITIZED 1
#endif

namespace slimlink {

void setHeapPolicy() {
#if defined(SLIMLINK_SANITIZED)
  return; // the sanitizers bring their own allocator
#elif defined(__GLIBC__)
  const size_t pad = 256 << 20, huge = 2 << 20;
  // Freed memory stays mapped: reusing it costs no fault.
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  // Big blocks come from the heap too (32 MB, the most glibc allows),
  // rather than from a fresh mapping faulted in page by page each time.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  // The heap grows 256 MB at a time (address space: only what is touched
  // counts), and that span gets huge pages where the kernel has them.
  mallopt(M_TOP_PAD, pad);
  // Grows it now (volatile: the compiler may drop a malloc that is freed
  // unused).
  void *volatile grow = malloc(1 << 20);
  uintptr_t start = reinterpret_cast<uintptr_t>(grow);
  free(grow);
  uintptr_t top = reinterpret_cast<uintptr_t>(sbrk(0));
  uintptr_t begin = (start + huge - 1) & ~(huge - 1), end = top & ~(huge - 1);
  if (begin >= end)
    return;
  madvise(reinterpret_cast<void *>(begin), end - begin, MADV_HUGEPAGE);
  // Below `begin` the heap cannot have huge pages (a huge page needs its 2 MB
  // aligned): one block, never freed and never touched, takes that span, so
  // later blocks come from above.
  if (begin - start > 4096) {
    void *volatile filler = malloc(begin - start - 64);
    (void)filler;
  }
#endif
}

void setHeapArenas(unsigned workers) {
#if defined(__GLIBC__) && !defined(SLIMLINK_SANITIZED)
  // As many arenas as workers, not one more: the main thread waits while the
  // workers run, and the workers while it runs, so one arena can serve it
  // and a worker. glibc hands the last worker an arena already made, the
  // advised main one unless its lock is held just then; the main thread
  // then reuses what that worker freed (fresh pages cost a fault each, and
  // on some hypervisors far more than the work). One arena for all was tried too: workers that allocate at once
  // (naming 130k symbols in parallel) queued on its lock, each wait a futex
  // call, and two threads ran no faster than one.
  mallopt(M_ARENA_MAX, std::max(workers, 1u));
#else
  (void)workers;
#endif
}

} // namespace slimlink
