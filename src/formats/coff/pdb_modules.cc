#include "formats/coff/pdb_modules.h"
#include "support/diagnostics.h"

#include "llvm/DebugInfo/MSF/MappedBlockStream.h"
#include "llvm/DebugInfo/PDB/Native/DbiModuleDescriptor.h"
#include "llvm/DebugInfo/PDB/Native/DbiModuleList.h"
#include "llvm/DebugInfo/PDB/Native/DbiStream.h"
#include "llvm/DebugInfo/PDB/Native/ModuleDebugStream.h"
#include "llvm/DebugInfo/PDB/Native/PDBFile.h"
#include "llvm/DebugInfo/PDB/Native/RawConstants.h"

namespace slimlink::coff {

using namespace llvm::pdb;

std::string
forEachPdbModule(PDBFile &file, DbiStream &dbi,
                 llvm::function_ref<std::string(ModuleDebugStreamRef &)> each) {
  const DbiModuleList &modules = dbi.modules();
  for (uint32_t i = 0; i < modules.getModuleCount(); ++i) {
    DbiModuleDescriptor desc = modules.getModuleDescriptor(i);
    uint16_t index = desc.getModuleStreamIndex();
    if (index == kInvalidStreamIndex)
      continue; // a module without debug info
    auto where = [&] {
      return "PDB module " + std::to_string(i) + " (" +
             desc.getModuleName().str() + "): ";
    };
    auto stream = file.safelyCreateIndexedStream(index);
    if (!stream)
      return where() + takeMessage(stream.takeError());
    ModuleDebugStreamRef mod(desc, std::move(*stream));
    if (llvm::Error e = mod.reload())
      return where() + takeMessage(std::move(e));
    if (std::string err = each(mod); !err.empty())
      return where() + err;
  }
  return {};
}

bool isProcedure(llvm::codeview::SymbolKind kind) {
  using namespace llvm::codeview;
  switch (kind) {
  case S_GPROC32:
  case S_LPROC32:
  case S_GPROC32_ID:
  case S_LPROC32_ID:
  case S_LPROC32_DPC:
  case S_LPROC32_DPC_ID:
    return true;
  default:
    return false;
  }
}

} // namespace slimlink::coff
