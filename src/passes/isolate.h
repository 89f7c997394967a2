// isolate: make every global a library defines private to it, except its API,
// so any number of isolated staticlibs (LTO or not, any rustc) link into one
// program with no duplicate symbols and no cross-library mix-ups.
//
// Mechanism: renaming. Each non-API symbol the library defines gets a suffix
// unique to the library (".slimlink.<tag>"), in every member that defines or
// references it, through LLVM ObjCopy. Why not `ld -r` + localize (the usual
// recipe)? It needs a partial linker, and COFF has none we may rely on;
// renaming works the same on ELF, Mach-O and COFF, keeps members separate (so
// dedup and prune still work per member), and keeps relocations untouched,
// since they refer to symbols by index, not name.
#pragma once

#include "passes/api.h"

#include "llvm/ADT/StringMap.h"

namespace slimlink {

struct IsolateOptions {
  ApiSpec api;
  std::string tag; // empty: "<crate>_<8 hex of the library's contents>"
};

struct IsolatePlan {
  std::string tag;
  std::vector<llvm::StringRef> api;
  llvm::StringMap<std::string> renames; // internal symbol -> private name
};

IsolatePlan planIsolate(const Library &lib, const IsolateOptions &opts);

} // namespace slimlink
