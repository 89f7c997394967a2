// dedup: share identical members across N libraries.
//
// Two members are the same when their bytes are the same (hash, then a full
// compare); names are never trusted, since LTO and crate features reuse names
// for different contents. The plan is pure data: which members go to the
// common library, which stay in each slim library. The CLI writes it.
#pragma once

#include "model/library.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <vector>

namespace slimlink {

struct MemberRef {
  uint32_t lib = 0, index = 0;
  bool operator==(const MemberRef &) const = default;
};

// Content classes: members with identical bytes share a class id. Classes are
// numbered in order of first appearance (input order, then member order).
struct ContentClasses {
  std::vector<std::vector<uint32_t>> of; // [lib][member] -> class id
  std::vector<MemberRef> first;          // class id -> first member with it
};
ContentClasses classifyContents(const std::vector<Library> &libs);

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
DedupPlan planDedup(const std::vector<Library> &libs, const DedupOptions &opts);

// One archive with one copy of each distinct member, in order of first
// appearance.
std::vector<MemberRef> planMerge(const std::vector<Library> &libs,
                                 const DedupOptions &opts);

inline const Member &memberAt(const std::vector<Library> &libs, MemberRef r) {
  return libs[r.lib].members[r.index];
}

} // namespace slimlink
