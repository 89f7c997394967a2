// The shared back half of the verbs that turn libraries into others: rewrite
// each member as planned, write the archive atomically, and fill the report.
// Keeps the verb files down to options + plan.
#pragma once

#include "report/transform_report.h"
#include "write/rewrite_object.h"
#include "write/universal_writer.h"

namespace slimlink {

struct MemberPlan {
  bool keep = true;
  const ObjectEdit *edit = nullptr; // null or empty: the bytes as they are
};

// The bytes of every member of in.libs[l] as plans[l] says: rewritten where
// it has an edit, as they are otherwise (dropped members too: callers skip
// them). Members with the same bytes and the same edit are rewritten once,
// however many libraries hold them.
struct RewrittenMembers {
  std::vector<std::string> bytes;                 // one per distinct rewrite
  std::vector<std::vector<llvm::StringRef>> data; // [library][member]
};
RewrittenMembers rewriteMembers(const InputSet &in,
                                const std::vector<std::vector<MemberPlan>> &plans);

// Writes in.libs[0] to `outPath` with every member as `plans` says (one plan
// per member) where `sink` says, and adds the library's rows to `report`.
void rewriteLibrary(const InputSet &in, const std::vector<MemberPlan> &plans,
                    const std::string &outPath, const OutputSink &sink,
                    TransformReport &report);

// The same edit for every member.
std::vector<MemberPlan> sameEditForAll(const Library &lib, const ObjectEdit &edit);

} // namespace slimlink
