// Fuzz target: --api FILE, in every form it takes (plain lists, GNU version
// scripts, Windows .def files, Apple exported-symbols lists; passes/
// api_file.cc tells them apart from the text).
// Invariants: no crash or sanitizer report; either a clean UserError (which
// names the file and a line), or a spec whose names are non-empty words
// and whose globs match without trouble.
#include "fuzz_common.h"
#include "passes/api.h"

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
  if (fs::createTemporaryFile("slimlink-api-fuzz", "txt", fd, file))
    violated("cannot create a temp file");
  close(fd);
  atexit(removeFile);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::ofstream(std::string(file), std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char *>(data), size);
  ApiSpec spec;
  try {
    readApiFile(std::string(file), spec);
  } catch (const UserError &e) {
    if (!llvm::StringRef(e.what()).contains(file.str()))
      violated(std::string("error does not name the file: ") + e.what());
    return 0;
  }
  for (const std::string &n : spec.names)
    if (n.empty() || n.find_first_of(" \t\n") != std::string::npos)
      violated("a name with blanks: '" + n + "'");
  for (const auto &g : spec.globs) {
    if (g->text.empty())
      violated("an empty glob");
    // The pattern points into its text: match something with it.
    (void)g->pattern.match(g->text);
    (void)g->pattern.match("_ZN4core9panicking5panic17h0123456789abcdefE");
  }
  return 0;
}
