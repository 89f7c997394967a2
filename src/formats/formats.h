// Format quirks that the format-neutral model needs help with. One file per
// object format; nothing outside formats/ looks at raw format structures.
#pragma once

#include "model/layout.h"

#include "llvm/ADT/StringRef.h"

#include <string>

namespace slimlink {

// Checks that an ELF file's header, section header table and section
// contents lie inside `data` before LLVM parses it. Returns an error message,
// or "" when the extents are sound.
std::string checkElfExtents(llvm::StringRef data);

// Reads an ELF file's (or object's) layout for `slimlink size`: sections,
// loaded segments, headers and, as asked, sized symbols and DWARF compile
// units. Returns an error message, or "" on success. Symbol names in `out`
// point into `data`.
std::string readElfLayout(llvm::StringRef data, LayoutParts parts, Layout &out);

} // namespace slimlink
