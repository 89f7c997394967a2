// COFF checks. LLVM 19's COFFObjectFile::getRelocations returns the
// relocation count with a null pointer when the table lies outside the file
// (it swallows the error), and ObjCopy's COFF reader then reads through it
// (found by fuzz/rewrite: SEGV in COFFReader::readSections). Section
// contents are checked too, since ObjCopy copies them.
#include "formats/coff/coff.h"

#include "llvm/Object/COFF.h"

#include <cstring>

namespace slimlink {

std::string coff::checkExtents(const llvm::object::ObjectFile &obj) {
  const auto *coff = llvm::dyn_cast<llvm::object::COFFObjectFile>(&obj);
  if (!coff)
    return {};
  uint64_t fileSize = obj.getData().size();
  // LLVM 19 checks the symbol table's extent with NumberOfSymbols * 18 in
  // 32 bits: 0x80000028 symbols pass as 40, and every reader then walks
  // two billion of them (found by the bit-flip sweep of
  // e2e.coff_bad_input: bad_alloc in the COFF graph reader).
  uint64_t nsyms = coff->getNumberOfSymbols();
  uint64_t symoff = coff->getPointerToSymbolTable();
  uint64_t symSize = coff->getSymbolTableEntrySize();
  if (nsyms && (symoff > fileSize || nsyms > (fileSize - symoff) / symSize))
    return "COFF symbol table (" + std::to_string(nsyms) + " symbols at " +
           std::to_string(symoff) + ") runs past the end of the object (" +
           std::to_string(fileSize) + " bytes)";
  for (const llvm::object::SectionRef &ref : coff->sections()) {
    const llvm::object::coff_section *sec = coff->getCOFFSection(ref);
    std::string what = "COFF section " + std::to_string(ref.getIndex() + 1);
    llvm::ArrayRef<uint8_t> contents;
    if (llvm::Error e = coff->getSectionContents(sec, contents)) {
      llvm::consumeError(std::move(e));
      return what + " (" + std::to_string(uint32_t(sec->PointerToRawData)) +
             ", size " + std::to_string(uint32_t(sec->SizeOfRawData)) +
             ") runs past the end of the object";
    }
    uint64_t off = sec->PointerToRelocations;
    uint64_t count = sec->NumberOfRelocations;
    constexpr uint64_t relSize = sizeof(llvm::object::coff_relocation);
    if (count == 0 && !sec->hasExtendedRelocations())
      continue;
    // With IMAGE_SCN_LNK_NRELOC_OVFL the real count is in the first
    // relocation's address field, and that entry itself is not one.
    if (sec->hasExtendedRelocations()) {
      if (off > fileSize || fileSize - off < relSize)
        return what + ": relocation table at " + std::to_string(off) +
               " lies past the end of the object";
      llvm::object::coff_relocation first;
      memcpy(&first, obj.getData().data() + off, sizeof(first));
      count = first.VirtualAddress;
      // The count includes that entry: 0 is no count at all, and LLVM 19
      // takes it for 0 - 1, four billion relocations at a null pointer
      // (found by fuzz/edit_object: SEGV in the COFF graph reader).
      if (count == 0)
        return what + ": an extended relocation count of 0 (it counts "
                      "its own entry)";
    }
    if (off > fileSize || count > (fileSize - off) / relSize)
      return what + ": " + std::to_string(count) + " relocations at " +
             std::to_string(off) + " run past the end of the object (" +
             std::to_string(fileSize) + " bytes)";
  }
  return {};
}

} // namespace slimlink

namespace slimlink {

std::vector<bool> coff::mergeableSymbols(const llvm::object::ObjectFile &obj) {
  const auto *coff = llvm::dyn_cast<llvm::object::COFFObjectFile>(&obj);
  if (!coff)
    return {};
  // Each COMDAT section's selection, from its section-definition record.
  std::vector<uint8_t> selection(coff->getNumberOfSections() + 1, 0);
  for (const llvm::object::SymbolRef &ref : coff->symbols()) {
    llvm::object::COFFSymbolRef sym = coff->getCOFFSymbol(ref);
    if (const auto *def = sym.getSectionDefinition())
      if (sym.getSectionNumber() > 0 &&
          uint32_t(sym.getSectionNumber()) < selection.size())
        selection[sym.getSectionNumber()] = def->Selection;
  }
  std::vector<bool> out;
  for (const llvm::object::SymbolRef &ref : coff->symbols()) {
    llvm::object::COFFSymbolRef sym = coff->getCOFFSymbol(ref);
    int32_t sec = sym.getSectionNumber();
    uint8_t sel = sec > 0 && uint32_t(sec) < selection.size() ? selection[sec] : 0;
    out.push_back(sym.isExternal() &&
                  (sel == llvm::COFF::IMAGE_COMDAT_SELECT_ANY ||
                   sel == llvm::COFF::IMAGE_COMDAT_SELECT_SAME_SIZE ||
                   sel == llvm::COFF::IMAGE_COMDAT_SELECT_EXACT_MATCH ||
                   sel == llvm::COFF::IMAGE_COMDAT_SELECT_LARGEST));
  }
  return out;
}

} // namespace slimlink
