// --shared: links the common library into a shared library with the
// system's linker, so that N modules (Python extension modules, Node addons,
// plugins) load one copy of what they share.
//
// slimlink does not link programs itself: the C compiler driver does (`cc`,
// $CC, or --linker), as it does for cargo, with the flags each platform's
// loader needs. Only ELF is linked here for now.
#pragma once

#include "model/library.h"

#include <string>
#include <vector>

namespace slimlink {

struct SharedLinkRequest {
  std::string archive;              // the common library's bytes (an archive)
  std::string soname;               // "libcommon.so": DT_SONAME
  std::vector<std::string> exports; // everything else is made local
  Target target;
  bool rust = true;                 // link what Rust's std needs of the system
  bool strip = false;               // -s: no symbol table beyond the dynamic one
  std::string linker;               // the driver; "" for $CC or cc
};

// The file name the platform gives a shared library named `common`
// ("libcommon" -> "libcommon.so").
std::string sharedLibraryFileName(const std::string &common, const Target &t);

// The shared library's bytes. Throws UserError with the linker's own words
// when it fails, or when the target is not one this links.
std::string linkSharedLibrary(const SharedLinkRequest &req);

// The linker driver linkSharedLibrary runs, for the report's link lines:
// `linker`, else $CC, else "cc".
std::string linkerDriver(const std::string &linker);

} // namespace slimlink
