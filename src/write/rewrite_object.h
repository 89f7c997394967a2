// Rewrites object members through LLVM's ObjCopy: drop sections, rename
// symbols. Used by strip, isolate (and later prune); the result of each job
// is a new byte string the caller keeps alive until the archive is written.
#pragma once

#include "model/library.h"

#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace slimlink {

struct ObjectEdit {
  bool stripDebug = false;                 // .debug_* and their relocations
  std::vector<std::string> removeSections; // wildcard patterns, e.g. ".llvmbc"
  std::vector<std::string> emptySections;  // exact names: made SHT_NOBITS
  std::vector<std::pair<std::string, std::string>> renameSections; // exact
  // After the edit: drop what still names "*.pruned" sections (unwind
  // entries, debug relocations) and then the sections themselves.
  bool removePruned = false;
  std::vector<std::string> removeSymbols;  // exact names
  std::vector<std::string> localizeSymbols; // exact names
  const llvm::StringMap<std::string> *renames = nullptr; // symbol -> new name

  bool empty() const {
    return !stripDebug && removeSections.empty() && emptySections.empty() &&
           renameSections.empty() &&
           removeSymbols.empty() && localizeSymbols.empty() &&
           (!renames || renames->empty());
  }
};

struct RewriteJob {
  MemberRef member;
  const ObjectEdit *edit;
};

// Runs the jobs (object members, non-empty edits) in parallel. Returns the new bytes of each job, in order.
// Throws InputError naming the first failing member (in job order).
std::vector<std::string> rewriteObjects(const InputSet &in,
                                        const std::vector<RewriteJob> &jobs);

} // namespace slimlink
