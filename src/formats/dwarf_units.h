// One DWARF compile-unit reader for every format's layout (bloaty's shape:
// each format finds its debug sections, one reader walks the units). What
// differs by format is what the format hands in: where .debug_info lies in
// the file, the base its addresses are taken from, and (ELF's split DWARF)
// how a unit is named.
#pragma once

#include "model/layout.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/DebugInfo/DWARF/DWARFContext.h"

#include <memory>
#include <optional>

namespace llvm {
class DWARFUnit;
namespace object {
class ObjectFile;
}
} // namespace llvm

namespace slimlink {

// The object's DWARF, its parse errors ignored (size reports what it can
// read). `relocations`: whether DWARF's relocations are applied; in an
// object, even DW_AT_name's string offset into .debug_str is one.
std::unique_ptr<llvm::DWARFContext>
openDwarf(const llvm::object::ObjectFile &obj,
          llvm::DWARFContext::ProcessDebugRelocations relocations =
              llvm::DWARFContext::ProcessDebugRelocations::Process);

// Fills l.units (a linked file: each unit's code and debug info) or, in a
// relocatable object, l.wholeUnit: an object is (almost always) one compile
// unit, and its addresses would need relocating, so its first unit gets all
// of it. What the format hands in besides its DWARF:
//   debugInfoOffset  the file offset of .debug_info, where its bytes lie in
//                    the file as they are (not compressed): each unit's own
//                    debug info is its part of them;
//   imageBase        DWARF's addresses less this are the layout's (PE:
//                    ImageBase, for RVAs);
//   name             a unit's name, where the format knows more than
//                    DW_AT_name (ELF's split DWARF); "" for none.
void readCompileUnits(
    llvm::DWARFContext &dwarf, std::optional<uint64_t> debugInfoOffset,
    Layout &l, uint64_t imageBase = 0,
    llvm::function_ref<std::string(llvm::DWARFUnit &)> name = {});

// Fills l.lines from the line tables of `dwarf`'s compile units: each
// row's code, from its address to the next row's, is charged to the row's
// "file:line" (the file as the table names it, joined to its include
// directory but not to the compile directory), neighbours of one name
// merged. Not for a relocatable object (its addresses would need
// relocating; bloaty refuses those too). Addresses less `imageBase`.
void readSourceLines(llvm::DWARFContext &dwarf, Layout &l,
                     uint64_t imageBase = 0);

// The line ranges of one sequence of a line table: rows (address, name id)
// in address order, the last the end of the sequence. Appended to `out`,
// each row running to the next row's address, rows that cover no bytes
// left out and neighbours of one name merged.
struct LineRow {
  uint64_t address;
  uint32_t name;
};
void addLineRanges(llvm::ArrayRef<LineRow> sequence,
                   std::vector<LayoutLineRange> &out);

} // namespace slimlink
