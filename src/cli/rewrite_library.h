// The shared back half of the verbs that turn one library into another:
// rewrite each member as planned, write the archive atomically, and fill the
// report. Keeps the verb files down to options + plan.
#pragma once

#include "report/transform_report.h"
#include "write/rewrite_object.h"

namespace slimlink {

struct MemberPlan {
  bool keep = true;
  const ObjectEdit *edit = nullptr; // null or empty: the bytes as they are
};

// Writes in.libs[0] to `outPath` with every member as `plans` says (one plan
// per member; members with the same bytes and the same edit are rewritten
// once), and adds the library's rows to `report`.
void rewriteLibrary(const InputSet &in, const std::vector<MemberPlan> &plans,
                    const std::string &outPath, TransformReport &report);

// The same edit for every member.
std::vector<MemberPlan> sameEditForAll(const Library &lib, const ObjectEdit &edit);

} // namespace slimlink
