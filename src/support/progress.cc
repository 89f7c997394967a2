#include "support/progress.h"

#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

namespace slimlink {

using Clock = std::chrono::steady_clock;

Progress::Progress(std::string label, uint64_t total, bool enabled)
    : label(std::move(label)), total(total),
      enabled(enabled && llvm::sys::Process::StandardErrIsDisplayed()),
      start(Clock::now()) {}

Progress::~Progress() {
  if (drawn)
    llvm::errs() << "\r\033[K";
}

void Progress::advance(uint64_t n) {
  if (!enabled)
    return;
  std::lock_guard<std::mutex> lock(mu);
  done += n;
  auto now = Clock::now();
  // Only long work gets a progress line; redraw at most ten times a second.
  if (now - start < std::chrono::seconds(1) ||
      (drawn && now - lastDraw < std::chrono::milliseconds(100)))
    return;
  lastDraw = now;
  draw();
}

void Progress::draw() {
  drawn = true;
  llvm::errs() << "\rslimlink: " << label << " " << done << "/" << total;
  llvm::errs().flush();
}

} // namespace slimlink
