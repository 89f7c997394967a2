// The ELF edge's parts (formats/elf/), behind ObjectFormat (formats/format.h).
// Nothing outside formats/elf/ includes this file.
#pragma once

#include "formats/format.h"

namespace slimlink::elf {

// checks.cc: that an ELF file's header, section header table and section
// contents lie inside `data`, before LLVM parses it (its ELF reader checks
// offsets lazily, when a section is read). "" when the extents are sound.
std::string checkExtents(llvm::StringRef data);

// graph.cc: sections, symbols and relocations of an ELF object.
std::string readGraph(const Member &m, ObjectGraph &out);

// layout.cc: an ELF file's (or object's) layout for `slimlink size`.
std::string readLayout(llvm::StringRef data, LayoutParts parts, Layout &out);

// debug_file.cc: where a stripped file's debug file may be, and whether a
// file is it (ObjectFormat's debugFilePaths and debugFileMismatch).
std::vector<std::string> debugFilePaths(llvm::StringRef data,
                                        const std::string &path,
                                        const std::string &root);
std::string debugFileMismatch(llvm::StringRef data, llvm::StringRef debug);

// drop.cc: prune's dead sections as an ObjCopy edit.
ObjectEdit planDrop(const ObjectGraph &graph, const std::vector<bool> &live,
                    DropCounts &counts);

// unwind.cc: rewrites an ELF64 little-endian object (as ObjCopy left it
// after planDrop's edit) without the unwind entries and debug relocations
// that name emptied sections, so that a second pass can remove them. `out`
// gets the new object (or a copy when there is nothing to drop).
std::string dropEmptiedReferences(llvm::StringRef object, std::string &out);

// short_names.cc: shrink's last step on an object ObjCopy wrote: section
// names PREFIX.SYMBOL become PREFIX, local symbols lose their names, and
// (stripUnneeded) local symbols no relocation names go. `renamed`: the
// names ObjCopy gave (old -> new), so sections named after the old ones
// are found.
std::string shortenNames(llvm::StringRef object, bool stripUnneeded,
                         const llvm::StringMap<std::string> *renamed,
                         std::string &out);

// The name planDrop gives an emptied section (a short shared name keeps the
// long mangled ones out of the string table), and the test for it.
std::string emptiedName(llvm::StringRef section);
bool isEmptiedName(llvm::StringRef section);

} // namespace slimlink::elf
