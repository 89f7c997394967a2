// The pieces of graph.cc's reader that live in their own files.
#pragma once

#include "formats/format.h"

namespace slimlink::macho {

// GraphReloc::type of a reference __eh_frame makes without a relocation.
constexpr uint32_t kImplicitPointer = 0x100;

// graph_whole.cc: an object the atom cutter cannot rewrite, read through
// LLVM with every loaded section a root: kept whole whenever it is linked.
std::string readWholeGraph(const Member &m, ObjectGraph &out);

} // namespace slimlink::macho
