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
  const llvm::StringMap<std::string> *renames = nullptr; // symbol -> new name

  bool empty() const {
    return !stripDebug && removeSections.empty() &&
           (!renames || renames->empty());
  }
};

struct RewriteJob {
  MemberRef member;
  const ObjectEdit *edit;
};

// Runs the jobs in parallel. Returns the new bytes of each job, in order.
// Throws InputError naming the first failing member (in job order).
std::vector<std::string> rewriteObjects(const InputSet &in,
                                        const std::vector<RewriteJob> &jobs);

} // namespace slimlink
