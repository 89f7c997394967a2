// Fills one member's kind, target and global symbols from its bytes, through
// LLVM's format-neutral ObjectFile interface. Format quirks stay in formats/.
#include "formats/formats.h"
#include "model/library.h"
#include "support/diagnostics.h"

#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Object/ObjectFile.h"

namespace slimlink {

using llvm::object::BasicSymbolRef;

std::string Target::str() const {
  const char *fmt = format == llvm::Triple::ELF     ? "ELF"
                    : format == llvm::Triple::MachO ? "Mach-O"
                    : format == llvm::Triple::COFF  ? "COFF"
                                                    : "unknown format";
  return std::string(fmt) + " " + llvm::Triple::getArchTypeName(arch).str();
}

static bool isRelocatableObject(llvm::file_magic magic) {
  switch (magic) {
  case llvm::file_magic::elf_relocatable:
  case llvm::file_magic::macho_object:
  case llvm::file_magic::coff_object:
    return true;
  default:
    return false;
  }
}

std::string readMember(Member &m) {
  llvm::file_magic magic = llvm::identify_magic(m.data);
  if (magic == llvm::file_magic::bitcode) {
    m.kind = MemberKind::Bitcode;
    return {};
  }
  if (!isRelocatableObject(magic)) {
    m.kind = MemberKind::Other;
    return {};
  }
  if (magic == llvm::file_magic::elf_relocatable)
    if (std::string err = checkElfExtents(m.data); !err.empty())
      return err;

  auto obj = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(m.data, m.name));
  if (!obj)
    return "malformed object: " + takeMessage(obj.takeError());
  m.kind = MemberKind::Object;
  m.target.format = (*obj)->getTripleObjectFormat();
  m.target.arch = (*obj)->getArch();

  for (const llvm::object::SymbolRef &sym : (*obj)->symbols()) {
    auto flags = sym.getFlags();
    if (!flags)
      return "bad symbol: " + takeMessage(flags.takeError());
    if (!(*flags & BasicSymbolRef::SF_Global) ||
        (*flags & BasicSymbolRef::SF_FormatSpecific))
      continue;
    auto name = sym.getName();
    if (!name)
      return "bad symbol name: " + takeMessage(name.takeError());
    Symbol s;
    s.name = *name;
    s.defined = !(*flags & BasicSymbolRef::SF_Undefined);
    s.weak = *flags & BasicSymbolRef::SF_Weak;
    m.symbols.push_back(s);
  }
  // The symbols point into the member's bytes, which outlive `obj`.
  return {};
}

} // namespace slimlink
