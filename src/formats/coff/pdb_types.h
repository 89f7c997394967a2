// The sizes of a PDB's types (its TPI stream), for the data symbols whose
// records give a type, not a size (formats/coff/pdb.cc).
#pragma once

#include "llvm/ADT/StringMap.h"
#include "llvm/DebugInfo/CodeView/CVRecord.h"
#include "llvm/DebugInfo/CodeView/TypeIndex.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm::msf {
class MappedBlockStream;
}
namespace llvm::pdb {
class PDBFile;
}

namespace slimlink::coff {

class PdbTypeSizes {
public:
  PdbTypeSizes();
  ~PdbTypeSizes();
  // Reads the TPI stream's records (none for a PDB without one). Returns
  // what is wrong with them, or "".
  std::string read(llvm::pdb::PDBFile &file);
  // The size in bytes of a value of `type`: built-in types, pointers,
  // arrays, enums, structures, classes and unions (a forward reference by
  // its definition's name), through const/volatile; 0 where unknown.
  uint64_t of(llvm::codeview::TypeIndex type) const { return of(type, 0); }

private:
  uint64_t of(llvm::codeview::TypeIndex type, int depth) const;
  std::unique_ptr<llvm::msf::MappedBlockStream> stream; // what `types` read
  uint32_t begin = llvm::codeview::TypeIndex::FirstNonSimpleIndex;
  std::vector<llvm::codeview::CVType> types; // by index - begin
  llvm::StringMap<uint64_t> definitions;      // aggregates by unique name
};

} // namespace slimlink::coff
