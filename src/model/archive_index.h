// Checks an archive's own symbol index (model/archive_index.cc).
#pragma once

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace slimlink {

// Whether the symbol index at the start of an archive's bytes is sound:
// its counts fit its member and it holds as many names as it says. Returns
// an error message, or "" (also for an archive without an index).
std::string checkArchiveIndex(llvm::StringRef archive);

} // namespace slimlink
