// Mach-O checks. LLVM 19's MachOObjectFile::getSymbolName checks that a
// symbol's name offset lies inside the string table, then takes the name
// with strlen: a string table without a final NUL is read past its end
// (found by fuzz/: heap-buffer-overflow). We refuse such tables up front,
// and symbols whose names lie outside them.
#include "formats/formats.h"

#include "llvm/Object/MachO.h"

namespace slimlink {

std::string checkMachOStrings(const llvm::object::ObjectFile &obj) {
  const auto *macho = llvm::dyn_cast<llvm::object::MachOObjectFile>(&obj);
  if (!macho || !macho->getSymtabLoadCommand().cmd)
    return {};
  llvm::MachO::symtab_command st = macho->getSymtabLoadCommand();
  llvm::StringRef data = obj.getData();
  // LLVM has checked that the table lies inside the file.
  if (st.strsize == 0 || uint64_t(st.stroff) + st.strsize > data.size())
    return {};
  if (data[st.stroff + st.strsize - 1] != '\0')
    return "Mach-O string table (offset " + std::to_string(st.stroff) +
           ", size " + std::to_string(st.strsize) +
           ") does not end with a NUL";
  // ObjCopy's Mach-O reader takes every symbol's name at its n_strx
  // without a bounds check (found by fuzz/rewrite: SEGV in strlen).
  uint32_t index = 0;
  for (const llvm::object::SymbolRef &sym : macho->symbols()) {
    llvm::object::DataRefImpl ref = sym.getRawDataRefImpl();
    uint32_t strx = macho->is64Bit() ? macho->getSymbol64TableEntry(ref).n_strx
                                     : macho->getSymbolTableEntry(ref).n_strx;
    if (strx >= st.strsize)
      return "Mach-O symbol " + std::to_string(index) + " has its name at " +
             std::to_string(strx) + ", past the string table (" +
             std::to_string(st.strsize) + " bytes)";
    ++index;
  }
  return {};
}

} // namespace slimlink
