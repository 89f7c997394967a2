// A main() for a fuzz target outside libFuzzer: runs the target once on
// every file named (directories: every file in them, sorted), so that the
// normal test suite replays the seed corpus and every saved crash with the
// same invariant checks. A violated invariant aborts, failing the test.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <sys/resource.h>

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv);
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLIMLINK_REPLAY_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SLIMLINK_REPLAY_ASAN 1
#endif

// libFuzzer stops a run past 2 GB (run.sh: -rss_limit_mb=2048); the replay
// must fail on the same inputs, or a saved out-of-memory case proves nothing.
// ASan reserves terabytes of shadow, so there scripts/test.sh caps single
// allocations instead (max_allocation_size_mb).
static void limitMemoryLikeLibFuzzer() {
#ifndef SLIMLINK_REPLAY_ASAN
  rlimit limit{2048ull << 20, 2048ull << 20};
  setrlimit(RLIMIT_AS, &limit);
#endif
}

int main(int argc, char **argv) {
  limitMemoryLikeLibFuzzer();
  LLVMFuzzerInitialize(&argc, &argv);
  namespace stdfs = std::filesystem;
  std::vector<stdfs::path> files;
  for (int i = 1; i < argc; ++i) {
    if (stdfs::is_directory(argv[i])) {
      for (const auto &e : stdfs::directory_iterator(argv[i]))
        // Dot-files (.keep) only keep empty directories in git.
        if (e.is_regular_file() && e.path().filename().string()[0] != '.')
          files.push_back(e.path());
    } else {
      files.push_back(argv[i]);
    }
  }
  std::sort(files.begin(), files.end());
  for (const stdfs::path &f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      fprintf(stderr, "cannot read %s\n", f.c_str());
      return 1;
    }
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    // An exact-size heap copy, so ASan builds catch reads past the end.
    auto *copy = new uint8_t[bytes.size()];
    std::copy(bytes.begin(), bytes.end(), copy);
    LLVMFuzzerTestOneInput(copy, bytes.size());
    delete[] copy;
    fprintf(stderr, "ok: %s\n", f.c_str());
  }
  fprintf(stderr, "%zu inputs, no invariant violated\n", files.size());
  return 0;
}
