// Rewrites object members in parallel, each through its format's edge
// (formats/format.h): strip, isolate, prune and shrink all end here. The
// result of each job is a new byte string the caller keeps alive until the
// archive is written.
#pragma once

#include "model/library.h"
#include "formats/object_edit.h"

#include <string>
#include <vector>

namespace slimlink {

struct RewriteJob {
  MemberRef member;
  const ObjectEdit *edit;
};

// Runs the jobs (object members, non-empty edits) in parallel. Returns the new bytes of each job, in order.
// Throws InputError naming the first failing member (in job order).
std::vector<std::string> rewriteObjects(const InputSet &in,
                                        const std::vector<RewriteJob> &jobs);

} // namespace slimlink
