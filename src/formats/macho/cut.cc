// Cutting atoms out of a Mach-O object: the edit LLVM's ObjCopy cannot make.
#include "formats/macho/macho.h"

namespace slimlink {

std::string macho::cutRanges(
    llvm::StringRef object,
    const std::vector<std::pair<uint64_t, uint64_t>> &ranges,
    std::string &out) {
  return "cutting atoms out of Mach-O objects is not written yet";
}

} // namespace slimlink
