#include "write/pkg_config.h"
#include "support/version.h"

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
  std::string pc = "# Written by slimlink " + std::string(kVersion) +
                   ": the libraries beside this file, in link order.\n"
                   "prefix=${pcfiledir}\nlibdir=${prefix}\n\n";
  pc += "Name: " + name + "\n";
  pc += "Description: " + name + ", slimmed by slimlink\n";
  pc += "Version: " + std::string(kVersion) + "\n";
  pc += "Libs: -L${libdir}" + libs + "\n";
  if (rust)
    pc += "Libs.private: " + std::string(nativeStaticLibs(target)) + "\n";
  return pc;
}

} // namespace slimlink
