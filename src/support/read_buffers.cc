#include "support/read_buffers.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 // Linux 5.14
#endif

namespace slimlink {

// Huge pages where the kernel has them, and every page mapped up front in
// one call: a buffer is faulted in once per run, not once per 4 kB.
static char *mapBuffer(size_t size) {
  void *p = mmap(nullptr, size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return nullptr;
  madvise(p, size, MADV_HUGEPAGE);
  madvise(p, size, MADV_POPULATE_WRITE); // older kernels: faulted as used
  return static_cast<char *>(p);
}

ReadBuffers::~ReadBuffers() {
  for (auto &b : owned)
    if (b->data)
      munmap(b->data, b->capacity);
}

ReadBuffers::Buffer *ReadBuffers::acquire(size_t size) {
  const size_t huge = 2 << 20;
  size_t capacity = (std::max<size_t>(size, 1) + huge - 1) & ~(huge - 1);
  std::lock_guard<std::mutex> guard(lock);
  // The smallest idle buffer that holds it; else grow the biggest idle one.
  Buffer *best = nullptr;
  for (Buffer *b : idle)
    if (b->capacity >= size && (!best || b->capacity < best->capacity))
      best = b;
  if (!best && !idle.empty()) {
    Buffer *biggest = idle.front();
    for (Buffer *b : idle)
      if (b->capacity > biggest->capacity)
        biggest = b;
    if (used - biggest->capacity + capacity > budget)
      return nullptr;
    char *data = mapBuffer(capacity);
    if (!data)
      return nullptr;
    munmap(biggest->data, biggest->capacity);
    used = used - biggest->capacity + capacity;
    biggest->data = data;
    biggest->capacity = capacity;
    best = biggest;
  }
  if (best) {
    idle.erase(std::find(idle.begin(), idle.end(), best));
    return best;
  }
  if (used + capacity > budget)
    return nullptr;
  char *data = mapBuffer(capacity);
  if (!data)
    return nullptr;
  used += capacity;
  owned.push_back(std::make_unique<Buffer>(Buffer{data, capacity}));
  return owned.back().get();
}

void ReadBuffers::release(Buffer *buffer) {
  if (!buffer)
    return;
  std::lock_guard<std::mutex> guard(lock);
  idle.push_back(buffer);
}

std::string readWhole(int fd, char *dst, size_t size) {
  const size_t step = 8 << 20; // large reads, few system calls
  size_t done = 0;
  while (done < size) {
    ssize_t n = pread(fd, dst + done, std::min(step, size - done), done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return std::string("cannot read: ") + strerror(errno);
    if (n == 0)
      return "cannot read: the file shrank while being read";
    done += n;
  }
  return {};
}

} // namespace slimlink
