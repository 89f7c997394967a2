// Removing sections of a COFF object by index: the edit LLVM's ObjCopy
// cannot make when section names repeat.
#include "formats/coff/coff.h"

namespace slimlink {

std::string coff::removeSections(llvm::StringRef object,
                                 const std::vector<uint32_t> &indices,
                                 std::string &out) {
  return "removing COFF sections by index is not written yet";
}

} // namespace slimlink
