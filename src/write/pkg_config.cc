#include "write/pkg_config.h"
#include "support/version.h"
#include "write/link_shared.h"
#include "write/write_file.h"

#include "llvm/Support/Path.h"

namespace slimlink {

// What `rustc --print native-static-libs` prints for a std staticlib on
// these targets (rustc 1.95, x86_64-unknown-linux-gnu; Debian's 1.63 for
// x86_64-pc-windows-gnu, with the libraries gcc's driver adds; -lbcrypt for
// std's HashMap seeds, BCryptGenRandom).
const char *nativeStaticLibs(const Target &t) {
  if (t.format == llvm::Triple::COFF)
    return "-lkernel32 -ladvapi32 -lntdll -luserenv -lws2_32 -ldbghelp "
           "-lgcc_eh -l:libpthread.a -lmsvcrt -lmingwex -lmingw32 -lgcc "
           "-lmsvcrt -luser32 -lkernel32 -lbcrypt";
  return "-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc";
}

// Every file's first lines: prefix relative to the file, so the directory
// can move.
static std::string header(const std::string &what, const std::string &name,
                          const std::string &description) {
  return "# Written by slimlink " + std::string(kVersion) + ": " + what +
         ".\nprefix=${pcfiledir}\nlibdir=${prefix}\n\nName: " + name +
         "\nDescription: " + description + "\nVersion: " +
         std::string(kVersion) + "\n";
}

std::string pkgConfigText(const std::string &name,
                          const std::vector<std::string> &libraries,
                          const Target &target, bool rust) {
  std::string libs;
  for (const std::string &path : libraries) {
    llvm::StringRef file = llvm::sys::path::filename(path);
    // -lfoo finds libfoo.a; any other name goes by its path.
    if (file.starts_with("lib") && file.ends_with(".a"))
      libs += " -l" + file.drop_front(3).drop_back(2).str();
    else
      libs += " ${libdir}/" + file.str();
  }
  std::string pc = header("the libraries beside this file, in link order",
                          name, name + ", slimmed by slimlink");
  pc += "Libs: -L${libdir}" + libs + "\n";
  if (rust)
    pc += "Libs.private: " + std::string(nativeStaticLibs(target)) + "\n";
  return pc;
}

std::vector<std::pair<std::string, std::string>>
sharedPkgConfigFiles(const std::string &dir, const std::string &name,
                     const std::vector<std::string> &slimLibraries,
                     const std::string &linked, const Target &target) {
  // -lcommon finds libcommon.so (.dylib; .dll.a): what a linker searches
  // for first by that name.
  llvm::StringRef file(linked), stem = file;
  for (llvm::StringRef suffix : {".dll.a", ".dylib", ".so"})
    if (stem.consume_back(suffix))
      break;
  std::string lib = stem.starts_with("lib") && stem != file
                        ? "-L${libdir} -l" + stem.drop_front(3).str()
                        : "${libdir}/" + linked;
  std::vector<std::pair<std::string, std::string>> files;
  files.emplace_back(
      joinPath(dir, name + ".pc"),
      header("the shared library beside this file (shrink/dedup --shared); "
             "each module's " + name + "-MODULE.pc links it",
             name, "the shared library of " + name + " (" + linked + ")") +
          "Libs: " + lib + "\n");
  for (const std::string &slim : slimLibraries) {
    std::string module = moduleName(slim);
    std::string libs = wholeArchiveFlags(
        "${libdir}/" + llvm::sys::path::filename(slim).str(), target);
    if (std::string load = moduleLoadFlags(target, false); !load.empty())
      libs += " " + load;
    files.emplace_back(
        joinPath(dir, name + "-" + module + ".pc"),
        header("module " + module + ": its slim library beside this file, "
               "whole, and the shared library of " + name,
               name + "-" + module,
               module + ", a module on " + name + ", slimmed by slimlink") +
            "Requires: " + name + "\nLibs: " + libs + "\n");
  }
  return files;
}

} // namespace slimlink
