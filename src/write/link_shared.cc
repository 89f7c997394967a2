#include "write/link_shared.h"
#include "support/diagnostics.h"
#include "write/pkg_config.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

namespace slimlink {

std::string sharedLibraryFileName(const std::string &common, const Target &t) {
  (void)t; // ELF only for now: see linkSharedLibrary.
  return common + ".so";
}

std::string linkerDriver(const std::string &linker) {
  if (!linker.empty())
    return linker;
  if (const char *cc = std::getenv("CC"); cc && *cc)
    return cc;
  return "cc";
}

namespace {
// A directory of the system's temporary directory, removed with what is in it.
class TempDir {
public:
  TempDir() {
    if (std::error_code ec =
            llvm::sys::fs::createUniqueDirectory("slimlink-shared", path))
      throw UserError("cannot make a temporary directory: " + ec.message());
  }
  ~TempDir() { llvm::sys::fs::remove_directories(path); }
  std::string file(llvm::StringRef name) const {
    llvm::SmallString<256> p(path);
    llvm::sys::path::append(p, name);
    return std::string(p);
  }

private:
  llvm::SmallString<256> path;
};

void writeBytes(const std::string &path, llvm::StringRef bytes) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (!ec) {
    os << bytes;
    os.close();
    ec = os.error();
  }
  if (ec)
    throw UserError("cannot write " + path + ": " + ec.message());
}

std::vector<std::string> splitFlags(llvm::StringRef s) {
  llvm::SmallVector<llvm::StringRef, 16> parts;
  s.split(parts, ' ', -1, false);
  return {parts.begin(), parts.end()};
}
} // namespace

std::string linkSharedLibrary(const SharedLinkRequest &req) {
  if (req.target.format != llvm::Triple::ELF)
    throw UserError("--shared links ELF libraries only for now; these are " +
                    req.target.str());
  TempDir dir;
  std::string archive = dir.file("libcommon.a"), script = dir.file("exports.map"),
              out = dir.file(req.soname), log = dir.file("link.log");
  writeBytes(archive, req.archive);
  // A version script: the exports global, everything else local, so that
  // no module binds to what it did not ask for and --gc-sections can drop
  // what no export reaches.
  std::string text = "{\n  global:\n";
  for (const std::string &e : req.exports)
    text += "    \"" + e + "\";\n";
  text += "  local: *;\n};\n";
  writeBytes(script, text);

  std::string driver = linkerDriver(req.linker);
  auto program = llvm::sys::findProgramByName(driver);
  if (!program)
    throw UserError("--shared: the linker driver '" + driver +
                    "' is not found (give --linker, or set CC)");
  std::vector<std::string> args = {*program, "-shared", "-o", out,
                                   "-Wl,-soname," + req.soname,
                                   "-Wl,--version-script=" + script,
                                   "-Wl,--gc-sections"};
  if (req.strip)
    args.push_back("-s");
  // Each export pulls its member out of the archive; nothing else does.
  for (const std::string &e : req.exports)
    args.push_back("-Wl,--undefined=" + e);
  args.push_back(archive);
  if (req.rust)
    for (std::string &flag : splitFlags(nativeStaticLibs(req.target)))
      args.push_back(std::move(flag));
  std::vector<llvm::StringRef> refs(args.begin(), args.end());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, llvm::StringRef(log),
                                                llvm::StringRef(log)};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(*program, refs, std::nullopt, redirects, 0,
                                     0, &error);
  if (rc != 0) {
    std::string said;
    if (auto b = llvm::MemoryBuffer::getFile(log))
      said = (*b)->getBuffer().take_front(2000).rtrim().str();
    throw UserError("--shared: " + driver + " could not link " + req.soname +
                    (error.empty() ? "" : " (" + error + ")") +
                    (said.empty() ? "" : ":\n" + said));
  }
  auto bytes = llvm::MemoryBuffer::getFile(out, false, false);
  if (!bytes)
    throw UserError("--shared: " + driver + " wrote no " + req.soname);
  return (*bytes)->getBuffer().str();
}

} // namespace slimlink
