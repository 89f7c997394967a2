// A pkg-config file for the libraries a verb wrote, so that a build finds
// them the way it finds any library: `pkg-config --libs --static NAME`.
#pragma once

#include "model/library.h"

#include <string>
#include <vector>

namespace slimlink {

// The .pc text: prefix relative to the file (${pcfiledir}), Libs in link
// order (`libraries`, archive paths beside the .pc file), Libs.private with
// the native libraries a Rust staticlib of `target` needs (rustc's
// native-static-libs for Linux and MinGW; none for C/C++ libraries).
std::string pkgConfigText(const std::string &name,
                          const std::vector<std::string> &libraries,
                          const Target &target, bool rust);

// --shared: one .pc file for the shared library and one per module, each
// (path, text). DIR/NAME.pc: the shared library, `-L${libdir} -lcommon`
// (`linked`: the file modules link, libcommon.so, libcommon.dylib or
// MinGW's import library libcommon.dll.a; a name without "lib" goes by its
// path). DIR/NAME-MODULE.pc for each slim library: `Requires: NAME`, Libs
// its slim library whole and what the module's loader needs to find the
// shared library beside it (-Wl,-rpath,$ORIGIN; @loader_path), as the
// report's link line has them. `pkg-config --libs NAME-MODULE` gives the
// line without -shared, -o and --gc-sections.
std::vector<std::pair<std::string, std::string>>
sharedPkgConfigFiles(const std::string &dir, const std::string &name,
                     const std::vector<std::string> &slimLibraries,
                     const std::string &linked, const Target &target);

// What rustc's --print native-static-libs says a std staticlib of `t`
// needs of the system: "-lgcc_s -lutil ... -lc" on Linux.
const char *nativeStaticLibs(const Target &t);

} // namespace slimlink
