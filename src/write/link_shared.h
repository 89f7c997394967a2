// --shared: links the common library into a shared library with the
// system's linker, so that N modules (Python extension modules, Node addons,
// plugins) load one copy of what they share.
//
// slimlink does not link programs itself: the C compiler driver does (`cc`,
// $CC, or --linker; MinGW's x86_64-w64-mingw32-gcc for Windows objects;
// clang-19 with ld64.lld for Mach-O off Apple's systems), as it does for
// cargo, with the flags each platform's loader needs. ELF, Mach-O (a dylib
// found through @rpath) and MinGW (PE DLL plus import library) are linked
// here; MSVC not yet.
#pragma once

#include "model/library.h"

#include <string>
#include <vector>

namespace slimlink {

struct SharedLinkRequest {
  std::string archive;              // the common library's bytes (an archive)
  std::string common;               // "libcommon": the file's stem
  std::vector<std::string> exports; // everything else is made local
  Target target;
  bool rust = true;                 // link what Rust's std needs of the system
  bool strip = false;               // -s: no symbol table beyond the dynamic one
  std::string linker;               // the driver; "" for the target's default
};

// What linkSharedLibrary writes: the shared library, and on Windows the
// import library modules link against (libcommon.dll.a).
struct SharedLink {
  std::string fileName, bytes; // "libcommon.so" (.dylib, .dll), its bytes
  std::string importName, importBytes;     // "libcommon.dll.a", or ""
};

// Throws UserError with the linker's own words when it fails, or when the
// target is not one this links (names the target).
SharedLink linkSharedLibrary(const SharedLinkRequest &req);

// The driver linkSharedLibrary runs for `target`, for the report's module
// link lines: `linker`; else, for ELF, $CC or cc; for MinGW,
// x86_64-w64-mingw32-gcc; for Mach-O, "clang-19 --target=ARCH-apple-macos11
// -fuse-ld=lld -nostdlib" (on Apple's systems, $CC or cc). It may carry
// flags of its own: the first word is the program.
std::string linkerDriver(const std::string &linker, const Target &target);

// A module's link line: its slim library whole (what its API reaches is
// what is left in it), then the shared library (ELF, Mach-O) or its import
// library (MinGW); the module goes beside the shared library, where the
// loader finds it ($ORIGIN; @loader_path; a DLL's own directory).
std::string moduleLinkLine(const std::string &driver, const std::string &slim,
                           const SharedLink &shared, const std::string &dir,
                           const Target &target);

// The line's parts, which --pkg-config's files share:
// the module's name, from its slim library's ("libplug_a.a" -> "plug_a");
std::string moduleName(const std::string &slim);
// how a module links `archive` whole (--whole-archive; Mach-O -force_load);
std::string wholeArchiveFlags(const std::string &archive, const Target &t);
// and what it needs after the shared library: how the loader finds it
// ($ORIGIN, quoted for a shell when `forShell`; @loader_path with the host's
// symbols looked up at load time), or MinGW's native libraries.
std::string moduleLoadFlags(const Target &t, bool forShell);

} // namespace slimlink
