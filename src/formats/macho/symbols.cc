// Symbol-table edits of Mach-O objects that LLVM's ObjCopy does not offer
// for Mach-O (--weaken-symbol is ELF only).
#include "formats/macho/macho.h"
#include "support/diagnostics.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Object/MachO.h"
#include "llvm/Support/Endian.h"

namespace slimlink {

using namespace llvm::MachO;

std::string macho::weakenDefinitions(std::string &object,
                                     const std::vector<std::string> &names) {
  auto obj = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(object, "object"));
  if (!obj)
    return "malformed object: " + takeMessage(obj.takeError());
  const auto *macho = llvm::dyn_cast<llvm::object::MachOObjectFile>(obj->get());
  if (!macho || !macho->isLittleEndian())
    return "not a little-endian Mach-O object";
  llvm::StringSet<> wanted;
  for (const std::string &n : names)
    wanted.insert(n);
  // n_desc lies at the same offset in both layouts (after strx, type, sect).
  constexpr size_t descOffset = 6;
  for (const llvm::object::SymbolRef &sym : macho->symbols()) {
    llvm::object::DataRefImpl ref = sym.getRawDataRefImpl();
    uint8_t type = macho->is64Bit() ? macho->getSymbol64TableEntry(ref).n_type
                                    : macho->getSymbolTableEntry(ref).n_type;
    if ((type & N_STAB) || !(type & N_EXT) || (type & N_TYPE) != N_SECT)
      continue;
    auto name = sym.getName();
    if (!name) {
      llvm::consumeError(name.takeError());
      continue;
    }
    if (!wanted.contains(*name))
      continue;
    // LLVM's symbol reference is the address of its nlist entry, which
    // lies in `object`'s bytes.
    char *desc = object.data() + (ref.p - uintptr_t(object.data())) + descOffset;
    uint16_t v = llvm::support::endian::read16le(desc);
    llvm::support::endian::write16le(desc, v | N_WEAK_DEF);
  }
  return {};
}

} // namespace slimlink
