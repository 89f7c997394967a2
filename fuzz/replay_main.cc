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

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv);
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
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
