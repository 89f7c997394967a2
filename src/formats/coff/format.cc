// The COFF edge: ObjectFormat for COFF objects and PE files.
#include "formats/coff/coff.h"
#include "support/diagnostics.h"
#include "formats/objcopy.h"

#include "llvm/Object/COFF.h"

namespace slimlink {

// What LLVM 19's ObjCopy (lib/ObjCopy/COFF: COFFReader, COFFWriter) trusts
// in a COFF object. Its reader checks symbols' section numbers, associative
// COMDAT targets, weak externals' and relocations' symbol indices itself
// (an error, no crash); they are checked here too, so the refusal names the
// member as every input error does. What it trusts unchecked:
//   - each relocation table: COFFObjectFile::getRelocations returns the
//     count with a null pointer when the table lies outside the file
//     (finding 15), and section contents are copied from where they claim;
//   - aux records: getSymbolAuxData takes NumberOfAuxSymbols records after
//     a symbol without a bounds check (only under !NDEBUG), so a last
//     symbol claiming 255 of them is read 4,590 bytes past the table;
//   - a PE file's headers and data directories (slimlink takes objects only).
std::string coff::checkObjcopyInput(llvm::StringRef bytes) {
  auto parsed = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(bytes, "object"));
  if (!parsed)
    return "malformed object: " + takeMessage(parsed.takeError());
  const auto *coff = llvm::dyn_cast<llvm::object::COFFObjectFile>(parsed->get());
  if (!coff)
    return "not a COFF object";
  if (coff->getDOSHeader())
    return "is a PE file, not a COFF object";
  if (std::string err = coff::checkExtents(*coff); !err.empty())
    return err;
  const uint32_t nsyms = coff->getNumberOfSymbols();
  const int64_t nsects = coff->getNumberOfSections();
  // Which raw symbol table slots hold a symbol (not an aux record).
  std::vector<bool> isSymbol(nsyms, false);
  for (uint32_t i = 0; i < nsyms;) {
    auto sym = coff->getSymbol(i);
    if (!sym)
      return "COFF symbol " + std::to_string(i) + ": " +
             takeMessage(sym.takeError());
    isSymbol[i] = true;
    uint32_t naux = sym->getNumberOfAuxSymbols();
    if (naux > nsyms - i - 1)
      return "COFF symbol " + std::to_string(i) + " has " +
             std::to_string(naux) + " aux records, past the end of the " +
             std::to_string(nsyms) + "-entry symbol table";
    auto name = coff->getSymbolName(*sym);
    if (!name)
      return "COFF symbol " + std::to_string(i) + ": " +
             takeMessage(name.takeError());
    // ObjCopy writes an empty name as eight zero bytes, which readers take
    // for offset 0 of a string table it leaves empty (found by
    // fuzz/edit_object). Compilers write no empty names.
    if (name->empty())
      return "COFF symbol " + std::to_string(i) + " has an empty name";
    int32_t sect = sym->getSectionNumber();
    if (sect > nsects)
      return "COFF symbol " + std::to_string(i) + " is in section " +
             std::to_string(sect) + ", which does not exist";
    if (const auto *def = sym->getSectionDefinition())
      if (def->Selection == llvm::COFF::IMAGE_COMDAT_SELECT_ASSOCIATIVE) {
        int64_t target = def->getNumber(sym->isBigObj());
        if (target <= 0 || target > nsects)
          return "COFF symbol " + std::to_string(i) +
                 " makes its section associative to section " +
                 std::to_string(target) + ", which does not exist";
      }
    i += 1 + naux;
  }
  auto names = [&](uint64_t index) { return index < nsyms && isSymbol[index]; };
  for (uint32_t i = 0; i < nsyms;) {
    llvm::object::COFFSymbolRef sym = *coff->getSymbol(i);
    if (const auto *weak = sym.getWeakExternal())
      if (!names(weak->TagIndex))
        return "COFF weak external " + std::to_string(i) + " names symbol " +
               std::to_string(weak->TagIndex) + ", which does not exist";
    i += 1 + sym.getNumberOfAuxSymbols();
  }
  for (const llvm::object::SectionRef &ref : coff->sections()) {
    const llvm::object::coff_section *sec = coff->getCOFFSection(ref);
    for (const llvm::object::coff_relocation &rel : coff->getRelocations(sec))
      if (!names(rel.SymbolTableIndex))
        return "COFF section " + std::to_string(ref.getIndex() + 1) +
               ": a relocation names symbol " +
               std::to_string(uint32_t(rel.SymbolTableIndex)) +
               ", which does not exist";
  }
  return {};
}

namespace {

class CoffFormat final : public ObjectFormat {
public:
  const char *name() const override { return "COFF"; }

  std::string checkObject(const llvm::object::ObjectFile &obj) const override {
    return coff::checkExtents(obj);
  }
  std::vector<bool> mergeableSymbols(
      const llvm::object::ObjectFile &obj) const override {
    return coff::mergeableSymbols(obj);
  }
  bool readOwnMember(Member &m, std::string &err) const override {
    if (!coff::isImport(m.data))
      return false;
    err = coff::readImportMember(m);
    return true;
  }

  std::string readGraph(const Member &m, ObjectGraph &out) const override {
    return coff::readGraph(m, out);
  }

  std::string relocationName(const ObjectGraph &graph,
                             uint32_t type) const override {
    return coff::relocationName(graph.machine, type);
  }

  std::string readLayout(llvm::StringRef data, LayoutParts parts,
                         Layout &out) const override {
    return coff::readLayout(data, parts, out);
  }

  // A PE image's debug info kept apart is its PDB (coff/debug_file.cc,
  // coff/pdb.cc).
  std::vector<std::string> debugFilePaths(llvm::StringRef data,
                                          const std::string &path,
                                          const std::string &) const override {
    return coff::debugFilePaths(data, path);
  }

  std::string debugFileMismatch(llvm::StringRef data,
                                llvm::StringRef debug) const override {
    return coff::debugFileMismatch(data, debug);
  }

  std::string readDebugLayout(llvm::StringRef data, llvm::StringRef debug,
                              LayoutParts parts, Layout &out) const override {
    return coff::readPdbLayout(data, debug, parts, out);
  }

  ObjectEdit planDrop(const ObjectGraph &graph, const std::vector<bool> &live,
                      DropCounts &counts) const override {
    return coff::planDrop(graph, live, counts);
  }

  std::vector<std::string> directiveSymbols(const Member &m) const override {
    return coff::directiveSymbols(m);
  }

protected:
  // Sections by index first (our writer), then uninitialized data's sizes
  // moved where ObjCopy does not write zeros for them (coff/bss.cc).
  std::string writeBeforeObjcopy(llvm::StringRef object, const ObjectEdit &edit,
                                 std::string &out) const override {
    std::string removed;
    if (!edit.removeSectionIndices.empty())
      if (std::string err = coff::removeSections(
              object, edit.removeSectionIndices, removed);
          !err.empty())
        return err;
    std::string hidden;
    if (std::string err = coff::hideBssSizes(
            removed.empty() ? object : llvm::StringRef(removed), hidden);
        !err.empty())
      return err;
    out = hidden.empty() ? std::move(removed) : std::move(hidden);
    return {};
  }

  std::string checkObjcopyInput(llvm::StringRef object) const override {
    return coff::checkObjcopyInput(object);
  }

  std::string writeAfterObjcopy(const Member &, llvm::StringRef objcopyInput,
                                const ObjectEdit &,
                                std::string &out) const override {
    coff::restoreBssSizes(objcopyInput, out);
    return {};
  }
};

} // namespace

const ObjectFormat &coffFormat() {
  static const CoffFormat format;
  return format;
}

} // namespace slimlink
