#include "write/link_shared.h"
#include "support/diagnostics.h"
#include "support/input_files.h"
#include "write/write_file.h"
#include "write/pkg_config.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

namespace slimlink {

static bool isMinGW(const Target &t) {
  return t.format == llvm::Triple::COFF && t.arch == llvm::Triple::x86_64;
}

std::string linkerDriver(const std::string &linker, const Target &target) {
  if (!linker.empty())
    return linker;
  if (isMinGW(target))
    return "x86_64-w64-mingw32-gcc";
  if (const char *cc = std::getenv("CC"); cc && *cc)
    return cc;
  return "cc";
}

static std::string joinPath(const std::string &dir, llvm::StringRef name) {
  llvm::SmallString<256> p(dir);
  llvm::sys::path::append(p, name);
  return std::string(p);
}

std::string moduleLinkLine(const std::string &driver, const std::string &slim,
                           const SharedLink &shared, const std::string &dir,
                           const Target &target) {
  std::string module = llvm::sys::path::stem(slim).str();
  if (llvm::StringRef(module).starts_with("lib"))
    module = module.substr(3);
  bool windows = isMinGW(target);
  std::string line = driver + " -shared -o " +
                     joinPath(dir, module + (windows ? ".dll" : ".so")) +
                     " -Wl,--gc-sections -Wl,--whole-archive " + slim +
                     " -Wl,--no-whole-archive ";
  // gcc's driver would take _Unwind_Resume from libgcc_s_seh-1.dll, which
  // does not ship beside the module: what rustc links instead, as a static
  // staticlib's users do.
  if (windows)
    return line + joinPath(dir, shared.importName) + " " +
           nativeStaticLibs(target);
  return line + joinPath(dir, shared.fileName) + " -Wl,-rpath,'$ORIGIN'";
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
    return joinPath(std::string(path), name);
  }

private:
  llvm::SmallString<256> path;
};

// What the linker wrote, read with the project's regular-file reader.
std::string readOutput(const std::string &path, const std::string &driver) {
  std::string why;
  auto b = readRegularFile(path, why);
  if (!b)
    throw UserError("--shared: " + driver + " wrote no " +
                    llvm::sys::path::filename(path).str() + " (" + why + ")");
  return b->getBuffer().str();
}

std::vector<std::string> splitFlags(llvm::StringRef s) {
  llvm::SmallVector<llvm::StringRef, 16> parts;
  s.split(parts, ' ', -1, false);
  return {parts.begin(), parts.end()};
}

// What the exports list is written as: ELF's version script makes the
// rest local; a PE DLL exports what its .def file lists and nothing else.
std::string exportsFile(const SharedLinkRequest &req, const std::string &dll) {
  std::string text;
  if (isMinGW(req.target)) {
    text = "LIBRARY " + dll + "\nEXPORTS\n";
    for (const std::string &e : req.exports)
      text += "  " + e + "\n";
    return text;
  }
  text = "{\n  global:\n";
  for (const std::string &e : req.exports)
    text += "    \"" + e + "\";\n";
  return text + "  local: *;\n};\n";
}
} // namespace

SharedLink linkSharedLibrary(const SharedLinkRequest &req) {
  bool windows = isMinGW(req.target);
  if (req.target.format != llvm::Triple::ELF && !windows)
    throw UserError("--shared links ELF and MinGW (x86_64 COFF) libraries "
                    "only for now; these are " + req.target.str());
  SharedLink out;
  out.fileName = req.common + (windows ? ".dll" : ".so");
  if (windows)
    out.importName = out.fileName + ".a";
  TempDir dir;
  std::string archive = dir.file("libcommon.a"), log = dir.file("link.log"),
              exports = dir.file(windows ? "exports.def" : "exports.map"),
              file = dir.file(out.fileName);
  writeFileAtomically(archive, req.archive);
  writeFileAtomically(exports, exportsFile(req, out.fileName));

  std::string driver = linkerDriver(req.linker, req.target);
  auto program = llvm::sys::findProgramByName(driver);
  if (!program)
    throw UserError("--shared: the linker driver '" + driver +
                    "' is not found (give --linker" +
                    (windows ? ")" : ", or set CC)"));
  std::vector<std::string> args = {*program, "-shared", "-o", file,
                                   "-Wl,--gc-sections"};
  if (windows) {
    args.push_back(exports);
    args.push_back("-Wl,--out-implib," + dir.file(out.importName));
  } else {
    args.push_back("-Wl,-soname," + out.fileName);
    args.push_back("-Wl,--version-script=" + exports);
  }
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
    throw UserError("--shared: " + driver + " could not link " + out.fileName +
                    (error.empty() ? "" : " (" + error + ")") +
                    (said.empty() ? "" : ":\n" + said));
  }
  out.bytes = readOutput(file, driver);
  if (windows)
    out.importBytes = readOutput(dir.file(out.importName), driver);
  return out;
}

} // namespace slimlink
