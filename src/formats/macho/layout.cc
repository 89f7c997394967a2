// The layout of a Mach-O file for `slimlink size`.
#include "formats/macho/macho.h"

namespace slimlink {

std::string macho::readLayout(llvm::StringRef data, LayoutParts parts,
                              Layout &out) {
  return "Mach-O layout is not read yet";
}

} // namespace slimlink
