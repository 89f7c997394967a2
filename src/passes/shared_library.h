// --shared: what a set shares, as one shared library its modules link
// against, instead of one static common library.
//
// dedup's plan says which members are shared (and which fallback copies the
// shared part needs of the slim ones); this pass says what the shared
// library must export: the symbols the slim libraries import from it, and
// nothing else, so that the linker can drop the rest and no module binds to
// a symbol it did not ask for. Pure data; write/link_shared.h links it.
#pragma once

#include "model/library.h"
#include "passes/dedup.h"

#include <map>
#include <string>
#include <vector>

namespace slimlink {

struct SharedLibraryPlan {
  // Sorted and unique: each a symbol some slim library references, does not
  // define itself, and a common member defines.
  std::vector<std::string> exports;
  // Members, by content id, that hold an export as hidden (defined or
  // referenced), with those names, sorted: their edit makes them visible,
  // or the shared library could not export them and the modules' hidden
  // references would have to be defined in the module itself.
  std::map<uint32_t, std::vector<std::string>> madeVisible;
};

SharedLibraryPlan planSharedLibrary(const InputSet &in, const DedupPlan &plan);

// Why the libraries of `in` cannot share one std as a shared library, or ""
// if they can: a Rust std is tied to the rustc that built it, and two
// libraries whose std members differ were built by two toolchains (or with
// different std settings). Names both libraries and the two std members.
std::string sharedStdMismatch(const InputSet &in);

} // namespace slimlink
