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

// What rustc's --print native-static-libs says a std staticlib of `t`
// needs of the system: "-lgcc_s -lutil ... -lc" on Linux.
const char *nativeStaticLibs(const Target &t);

} // namespace slimlink
