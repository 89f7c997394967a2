// The layout of a PE file or a COFF object for `slimlink size`.
#include "formats/coff/coff.h"

namespace slimlink {

std::string coff::readLayout(llvm::StringRef data, LayoutParts parts,
                             Layout &out) {
  return "COFF and PE layouts are not read yet";
}

} // namespace slimlink
