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

static bool isMachO(const Target &t) { return t.format == llvm::Triple::MachO; }

// Apple's name for the architecture, as clang's -arch and lipo spell it.
static std::string appleArch(const Target &t) {
  return t.arch == llvm::Triple::aarch64 ? "arm64"
                                         : llvm::Triple::getArchTypeName(t.arch).str();
}

std::string linkerDriver(const std::string &linker, const Target &target) {
  if (!linker.empty())
    return linker;
  if (isMinGW(target))
    return "x86_64-w64-mingw32-gcc";
#ifndef __APPLE__
  // Elsewhere, LLVM's cross driver and ld64.lld; no Apple SDK, so no
  // libSystem to link: what it provides is looked up at load time
  // (-undefined dynamic_lookup, on every Mach-O line).
  if (isMachO(target))
    return "clang-19 --target=" + appleArch(target) +
           "-apple-macos11 -fuse-ld=lld -nostdlib";
#endif
  if (const char *cc = std::getenv("CC"); cc && *cc)
    return cc;
  return "cc";
}

static const char *sharedSuffix(const Target &t) {
  return isMinGW(t) ? ".dll" : isMachO(t) ? ".dylib" : ".so";
}

std::string moduleName(const std::string &slim) {
  std::string module = llvm::sys::path::stem(slim).str();
  if (llvm::StringRef(module).starts_with("lib"))
    module = module.substr(3);
  return module;
}

std::string wholeArchiveFlags(const std::string &archive, const Target &t) {
  if (isMachO(t))
    return "-Wl,-force_load," + archive;
  return "-Wl,--whole-archive " + archive + " -Wl,--no-whole-archive";
}

std::string moduleLoadFlags(const Target &t, bool forShell) {
  // The module's host symbols (Python's C API...) are found at load time,
  // as a cdylib's are; @loader_path: libcommon.dylib beside the module.
  if (isMachO(t))
    return "-Wl,-rpath,@loader_path -Wl,-undefined,dynamic_lookup";
  // gcc's driver would take _Unwind_Resume from libgcc_s_seh-1.dll, which
  // does not ship beside the module: what rustc links instead, as a static
  // staticlib's users do. The DLL is found beside the module anyway.
  if (isMinGW(t))
    return nativeStaticLibs(t);
  return forShell ? "-Wl,-rpath,'$ORIGIN'" : "-Wl,-rpath,$ORIGIN";
}

std::string moduleLinkLine(const std::string &driver, const std::string &slim,
                           const SharedLink &shared, const std::string &dir,
                           const Target &target) {
  bool macho = isMachO(target);
  std::string linked = shared.importName.empty() ? shared.fileName
                                                 : shared.importName;
  std::string module = moduleName(slim) + sharedSuffix(target);
  // A dylib's install name is its -o path unless told otherwise: rustc's
  // for a cdylib, @rpath/NAME, names no directory of the build machine.
  return driver + (macho ? " -dynamiclib" : " -shared") + " -o " +
         joinPath(dir, module) +
         (macho ? " -Wl,-install_name,@rpath/" + module : "") +
         (macho ? " -Wl,-dead_strip " : " -Wl,--gc-sections ") +
         wholeArchiveFlags(slim, target) + " " + joinPath(dir, linked) + " " +
         moduleLoadFlags(target, true);
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
// rest local; a PE DLL exports what its .def file lists and nothing else;
// ld64's exported-symbols list, one name a line, does the same for a dylib
// (names are taken as globs where they hold *, ? or [, which no Rust or
// C++ symbol does).
std::string exportsFile(const SharedLinkRequest &req, const std::string &dll) {
  std::string text;
  if (isMachO(req.target)) {
    for (const std::string &e : req.exports)
      text += e + "\n";
    return text;
  }
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

// The Mach-O dylib's flags: found through the modules' rpath
// (@rpath/NAME), exporting the list alone, dead code stripped; what
// libSystem provides is looked up at load time, as the modules' host
// symbols are (see linkerDriver). -x and -S: no local symbols, no debug
// notes (ld64 has no -s).
static void machoArgs(const SharedLinkRequest &req, const SharedLink &out,
                      const std::string &exports,
                      std::vector<std::string> &args) {
  args.insert(args.end(),
              {"-dynamiclib", "-Wl,-install_name,@rpath/" + out.fileName,
               "-Wl,-exported_symbols_list," + exports, "-Wl,-dead_strip",
               "-Wl,-undefined,dynamic_lookup"});
  if (req.strip)
    args.insert(args.end(), {"-Wl,-x", "-Wl,-S"});
  for (const std::string &e : req.exports)
    args.push_back("-Wl,-u," + e);
}

SharedLink linkSharedLibrary(const SharedLinkRequest &req) {
  bool windows = isMinGW(req.target), macho = isMachO(req.target);
  if (req.target.format != llvm::Triple::ELF && !windows && !macho)
    throw UserError("--shared links ELF, Mach-O and MinGW (x86_64 COFF) "
                    "libraries only for now; these are " + req.target.str());
  SharedLink out;
  out.fileName = req.common + sharedSuffix(req.target);
  if (windows)
    out.importName = out.fileName + ".a";
  TempDir dir;
  std::string archive = dir.file("libcommon.a"), log = dir.file("link.log"),
              exports = dir.file(windows ? "exports.def"
                                 : macho ? "exports.txt"
                                         : "exports.map"),
              file = dir.file(out.fileName);
  writeFileAtomically(archive, req.archive);
  writeFileAtomically(exports, exportsFile(req, out.fileName));

  // The driver may carry its own flags ("clang-19 --target=... -fuse-ld=lld").
  std::string driver = linkerDriver(req.linker, req.target);
  std::vector<std::string> args = splitFlags(driver);
  auto program = args.empty() ? llvm::ErrorOr<std::string>(
                                     std::errc::no_such_file_or_directory)
                               : llvm::sys::findProgramByName(args[0]);
  if (!program)
    throw UserError("--shared: the linker driver '" + driver +
                    "' is not found (give --linker" +
                    (windows || macho ? ")" : ", or set CC)"));
  args[0] = *program;
  args.insert(args.end(), {"-o", file});
  if (macho) {
    machoArgs(req, out, exports, args);
  } else {
    args.insert(args.end(), {"-shared", "-Wl,--gc-sections"});
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
  }
  args.push_back(archive);
  // Mach-O: libSystem, all a Rust std needs of the system, is the driver's
  // to link (Apple's cc does; the cross driver looks it up at load time).
  if (req.rust && !macho)
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
