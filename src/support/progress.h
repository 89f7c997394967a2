// A one-line progress counter on stderr for work that takes more than a
// second. Silent when stderr is not a terminal (CI logs, pipes) or disabled.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace slimlink {

class Progress {
public:
  Progress(std::string label, uint64_t total, bool enabled);
  ~Progress();
  void advance(uint64_t n = 1); // thread-safe

private:
  void draw();

  std::string label;
  uint64_t total, done = 0;
  bool enabled, drawn = false;
  std::chrono::steady_clock::time_point start, lastDraw;
  std::mutex mu;
};

} // namespace slimlink
