// dedup: share identical members across N libraries.
//
// Two members are the same when their bytes are the same; names are never
// trusted, since LTO and crate features reuse names for different contents; the model's content ids say which are the same.
// The plan is pure data: which members go to the
// common library, which stay in each slim library. The CLI writes it.
#pragma once

#include "model/library.h"

#include "llvm/ADT/StringRef.h"

#include <vector>

namespace slimlink {

// A symbol a common member needs that only slim libraries defined. GNU ld
// reads archives once, left to right, and the common library comes last, so
// without help that reference would stay undefined (e.g. std calling the
// per-crate allocator shim's __rust_alloc).
struct BackReference {
  llvm::StringRef symbol;
  MemberRef user;    // the common member that references it
  MemberRef definer; // the slim member a copy of which now sits in common
};

struct DedupOptions {
  bool dropNonObjects = false; // drop members that are neither object nor bitcode
};

struct DedupPlan {
  // One copy of each member found in two or more inputs, in order of first
  // appearance, followed by the fallback copies that resolve back-references.
  std::vector<MemberRef> common;
  size_t sharedCount = 0; // common[0, sharedCount) are the shared members
  std::vector<std::vector<MemberRef>> slim; // per input, original order
  std::vector<std::vector<bool>> moved;     // [lib][member]: now in common
  std::vector<BackReference> backrefs;
  uint64_t dropped = 0; // non-object members dropped on request
};
DedupPlan planDedup(const InputSet &in, const DedupOptions &opts);

// One archive with one copy of each distinct member, in order of first
// appearance.
std::vector<MemberRef> planMerge(const InputSet &in, const DedupOptions &opts);

// Late plugins: in.libs[0, baseCount) are libraries already shipped (a
// common library, say), never written; every later library keeps only the
// members no base holds byte for byte.
struct BasePlan {
  size_t baseCount = 0;
  std::vector<std::vector<MemberRef>> slim; // per library after the bases
  std::vector<std::vector<bool>> inBase;    // [lib][member], every library
  // Symbols a base member needs that no base defines, only a slim library:
  // GNU ld then needs that slim library again after the bases.
  std::vector<BackReference> backrefs;
};
BasePlan planAgainstBase(const InputSet &in, size_t baseCount,
                         const DedupOptions &opts);

} // namespace slimlink
