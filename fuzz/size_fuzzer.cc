// Fuzz target: `slimlink size` of one file (an ELF file or an archive), all
// views at once, through the engine: loadSizeFile + computeSize.
// Invariants: no crash or sanitizer report; either a clean UserError, or
// rows that sum exactly to the file's size (every byte in exactly one row).
#include "fuzz_common.h"
#include "passes/size.h"

#include "llvm/Support/FileSystem.h"

#include <fstream>

using namespace slimlink;
using namespace slimlink::fuzz;
namespace fs = llvm::sys::fs;

static llvm::SmallString<128> file;
static void removeFile() { fs::remove(file); }

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  singleThreaded();
  int fd;
  if (fs::createTemporaryFile("slimlink-size-fuzz", "bin", fd, file))
    violated("cannot create a temp file");
  close(fd);
  atexit(removeFile);
  return 0;
}

static void checkSums(const std::vector<SizeRow> &rows, uint64_t vm,
                      uint64_t fileSize, const char *where) {
  uint64_t sv = 0, sf = 0;
  for (const SizeRow &r : rows) {
    sv += r.vm;
    sf += r.file;
    if (!r.children.empty())
      checkSums(r.children, r.vm, r.file, where);
  }
  if (sv != vm || sf != fileSize)
    violated(std::string(where) + ": rows do not sum to their parent");
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::ofstream(std::string(file), std::ios::binary)
      .write(reinterpret_cast<const char *>(data), size);
  static const std::vector<std::vector<SizeView>> viewSets = {
      {SizeView::Sections, SizeView::Symbols},
      {SizeView::Members, SizeView::Crates},
      {SizeView::Segments, SizeView::CompileUnits},
      {SizeView::InputFiles, SizeView::Sections}};
  const auto &views = viewSets[size % viewSets.size()];
  try {
    std::vector<SizeFile> files;
    // No debug files from the machine (/usr/lib/debug, the path a PE
    // file's CodeView record names): what a run reads is the input alone,
    // the same on every machine.
    static const DebugFiles noDebugFiles{{}, "/nonexistent", false};
    files.push_back(loadSizeFile(std::string(file), views, "", noDebugFiles));
    SizeResult r = computeSize(files, views);
    if (r.file != size)
      violated("file total " + std::to_string(r.file) + " != " +
               std::to_string(size) + " bytes");
    checkSums(r.rows, r.vm, r.file, "size");
  } catch (const UserError &) {
  }
  return 0;
}
