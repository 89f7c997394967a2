// Format quirks that the format-neutral model needs help with. One file per
// object format; nothing outside formats/ looks at raw format structures.
#pragma once

#include "model/layout.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Object/ObjectFile.h"

#include <string>

namespace slimlink {

// Checks that an ELF file's header, section header table and section
// contents lie inside `data` before LLVM parses it. Returns an error message,
// or "" when the extents are sound.
std::string checkElfExtents(llvm::StringRef data);

// Checks what LLVM's Mach-O reader and ObjCopy trust: that sections lie
// inside their segments, that the string table ends with a NUL and that
// every symbol's name lies inside it. "" for sound files and non-Mach-O ones.
std::string checkMachOTables(const llvm::object::ObjectFile &obj);

// Checks that a COFF object's section contents and relocation tables lie
// inside the file; LLVM's COFF reader hides that error from ObjCopy.
// "" for sound files and non-COFF ones.
std::string checkCoffExtents(const llvm::object::ObjectFile &obj);

} // namespace slimlink

#include "model/link_graph.h"

namespace slimlink {

// Rewrites an ELF64 little-endian object (as ObjCopy left it after prune's
// edits) without the unwind entries and debug relocations that name sections
// called "*.pruned", so that a second pass can remove those sections. `out`
// gets the new object (or a copy when there is nothing to drop).
std::string dropPrunedReferences(llvm::StringRef object, std::string &out);

// Reads an ELF object member's link graph (sections, symbols, relocations).
// Returns an error message or "".
std::string readElfGraph(const Member &m, ObjectGraph &out);
// Reads an ELF file's (or object's) layout for `slimlink size`: sections,
// loaded segments, headers and, as asked, sized symbols and DWARF compile
// units. Returns an error message, or "" on success. Symbol names in `out`
// point into `data`.
std::string readElfLayout(llvm::StringRef data, LayoutParts parts, Layout &out);

} // namespace slimlink
