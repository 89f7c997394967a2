// A PDB's modules (one per object linked), each with the debug info of its
// own stream: what the symbols (pdb.cc) and the source lines (pdb_lines.cc)
// both walk.
#pragma once

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/DebugInfo/CodeView/CodeView.h"

#include <string>

namespace llvm::pdb {
class DbiStream;
class ModuleDebugStreamRef;
class PDBFile;
} // namespace llvm::pdb

namespace slimlink::coff {

// Calls `each` with every module that has a debug stream, that stream read
// and checked. What is wrong with a stream, or what `each` says is, comes
// back naming the module ("PDB module 3 (main.obj): ..."), and the walk
// stops there; "" if nothing was.
std::string forEachPdbModule(
    llvm::pdb::PDBFile &file, llvm::pdb::DbiStream &dbi,
    llvm::function_ref<std::string(llvm::pdb::ModuleDebugStreamRef &)> each);

// A procedure's record: S_GPROC32, S_LPROC32, their _ID forms and the DPC
// ones, all read as llvm::codeview::ProcSym.
bool isProcedure(llvm::codeview::SymbolKind kind);

} // namespace slimlink::coff
