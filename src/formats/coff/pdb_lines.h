// The inlines view's source lines from a PDB (formats/coff/pdb.cc reads
// them with the symbols): each module's C13 line tables give a procedure's
// own lines (inlined code charged to the call's line), its inline sites'
// binary annotations the lines of the code inlined into it, each byte going
// to the innermost. What is format-neutral leaves here as LayoutLines.
// pdb_line_rows.cc: the annotations, the nesting and the names;
// pdb_lines.cc: reading them from the PDB.
#pragma once

#include "model/layout.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>
#include <string>
#include <vector>

namespace llvm::pdb {
class DbiStream;
class PDBFile;
} // namespace llvm::pdb

namespace slimlink::coff {

// A range of code with its line, `depth` inline sites deep (0: the
// procedure's own line table).
struct NestedLine {
  uint64_t start = 0, end = 0;
  uint32_t depth = 0;
  uint32_t line = 0; // index into LayoutLines::names
};
// Appends to `out` each byte's innermost range (ties: the later one), in
// address order, neighbours of one name merged.
void innermostLines(std::vector<NestedLine> ranges,
                    std::vector<LayoutLineRange> &out);

// One row of an inline site's line table: code offsets from the start of
// the procedure it is in, the file as its checksum entry's offset.
struct SiteLine {
  uint64_t start = 0, end = 0;
  uint32_t file = 0, line = 0;
};
// An inline site's binary annotations decoded, from the inlinee's first
// file and line (its module's inlinee lines). Each code offset change
// starts a row that runs to the next one, or for its code length; rows
// reaching past `codeSize` (the procedure's) are cut there. Annotations
// this does not know stop the decoding (the rows before them stand).
std::vector<SiteLine> inlineSiteLines(llvm::ArrayRef<uint8_t> annotations,
                                      uint32_t file, uint32_t line,
                                      uint64_t codeSize);

// A source file as the inlines view names it, the shape the DWARF reader
// gives: relative to the compile directory `cwd` (the module's build info)
// when under it, "." steps removed ("/src/./util.h" in "/src": "util.h");
// Windows paths ("C:\src\util.h") compared without case.
std::string sourceFileName(llvm::StringRef path, llvm::StringRef cwd);

// Where section:offset (and `size` bytes after it) lies in the image, as
// pdb.cc places every address the PDB gives.
using RvaOf = llvm::function_ref<std::optional<uint64_t>(
    uint16_t segment, uint64_t offset, uint64_t size)>;

// Fills `out` from the PDB's modules. A module stream that cannot be read,
// or whose symbol records are malformed, is an error (as for the symbols);
// a damaged line table, checksum or inlinee table only leaves its lines
// out, as a damaged DWARF line table does. out.read: some module had a
// line table that could be read.
std::string readPdbLines(llvm::pdb::PDBFile &file, llvm::pdb::DbiStream &dbi,
                         RvaOf rvaOf, LayoutLines &out);

} // namespace slimlink::coff
