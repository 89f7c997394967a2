// Whole input files read with large preads into a few reused buffers, rather
// than touched page by page through a mapping. A page fault costs little on
// bare metal but far more in some guests (cloud CI runners among them), and
// a set of 100 staticlibs is 2 GB of pages: read()ing them costs what `cat`
// costs, faulting them in costs several times that.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace slimlink {

class ReadBuffers {
public:
  // At most `budget` bytes of buffers at once: a file that does not fit is
  // read through its mapping instead.
  explicit ReadBuffers(uint64_t budget) : budget(budget) {}
  ~ReadBuffers();
  ReadBuffers(const ReadBuffers &) = delete;
  ReadBuffers &operator=(const ReadBuffers &) = delete;

  struct Buffer {
    char *data = nullptr;
    size_t capacity = 0;
  };
  // A buffer of at least `size` bytes, or null when the budget is spent.
  Buffer *acquire(size_t size);
  void release(Buffer *buffer);

private:
  std::mutex lock;
  std::vector<std::unique_ptr<Buffer>> owned;
  std::vector<Buffer *> idle;
  uint64_t budget, used = 0;
};

// Reads the first `size` bytes of `fd` into `dst`. Returns an error message,
// or "" when all were read.
std::string readWhole(int fd, char *dst, size_t size);

} // namespace slimlink
