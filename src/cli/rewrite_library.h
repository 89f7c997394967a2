// The shared back half of the verbs that turn one library into another:
// rewrite each object member with an edit, write the archive atomically, and
// fill the report. Keeps the verb files down to options + plan.
#pragma once

#include "report/transform_report.h"
#include "write/rewrite_object.h"

namespace slimlink {

// Rewrites every object member of in.libs[0] with `edit` (each distinct
// content once; other members are copied as they are) into `outPath`, and
// adds the library's rows to `report`.
void rewriteLibrary(const InputSet &in, const ObjectEdit &edit,
                    const std::string &outPath, TransformReport &report);

} // namespace slimlink
