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

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

namespace slimlink {

struct IsolateOptions {
  ApiSpec api;
  std::string tag; // empty: "<crate>_<8 hex of the library's contents>"
};

struct IsolatePlan {
  std::string tag;
  std::vector<llvm::StringRef> api;
  llvm::StringMap<std::string> renames; // internal symbol -> private name
  // Kept names, made weak: routines the format caps (sharedRoutines).
  std::vector<std::string> weaken;
};

// What one member holds of the two kinds below, before they meet the
// library's definitions: the routines its format caps, and the names its
// directives or (an import member) its symbols fix. shrink reads it once
// per distinct member.
struct MemberFixedNames {
  std::vector<std::string> capped, fixed;
};
MemberFixedNames fixedNamesOf(const Member &m);

// The names isolate and shrink leave as they are in `lib`, besides its API.
// `namesOf(i)` is fixedNamesOf(lib.members[i]).
struct LibraryFixedNames {
  // The routines that `lib` defines and its format lets one linked image
  // name only a few of (Mach-O: personality routines; formats/format.h).
  // Making each library's copy private would need one per library, so they
  // keep their names and become weak: the linker keeps one copy. Sorted.
  std::vector<std::string> weaken;
  // Those, what lib's import objects define (a DLL's symbols) and what its
  // objects' own linker directives name (formats/format.h: directiveSymbols).
  llvm::StringSet<> kept;
};
LibraryFixedNames fixedNamesIn(
    const Library &lib,
    llvm::function_ref<const MemberFixedNames &(uint32_t member)> namesOf);

// What makes a name private to a library (isolate) or a set (shrink
// --keep-names): NAME + privateSuffix(TAG) is NAME.slimlink.TAG.
std::string privateSuffix(llvm::StringRef tag);

IsolatePlan planIsolate(const Library &lib, const IsolateOptions &opts);

} // namespace slimlink
