// Fills one member's kind, target and global symbols from its bytes, through
// LLVM's format-neutral ObjectFile interface. What one format adds (the
// checks its files pass first, members it reads itself) is its edge's
// (ObjectFormat, formats/format.h).
#include "formats/format.h"
#include "formats/read_library.h"
#include "support/diagnostics.h"

#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Object/ObjectFile.h"

namespace slimlink {

using llvm::object::BasicSymbolRef;

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

// For errors about members of a type slimlink refuses.
static std::string describe(llvm::file_magic magic) {
  using llvm::file_magic;
  switch (magic) {
  case file_magic::coff_import_library:
    return "a COFF short import entry";
  case file_magic::pecoff_executable:
    return "a PE executable or DLL";
  case file_magic::wasm_object:
    return "a WebAssembly module";
  case file_magic::xcoff_object_32:
  case file_magic::xcoff_object_64:
    return "an XCOFF object";
  default:
    return "an object file of another kind (a Mach-O executable or dylib, "
           "...)";
  }
}

std::string readMember(Member &m) {
  llvm::file_magic magic = llvm::identify_magic(m.data);
  if (magic == llvm::file_magic::bitcode) {
    m.kind = MemberKind::Bitcode;
    return {};
  }
  m.kind = MemberKind::Other;
  for (const ObjectFormat *format : everyFormat()) {
    std::string err;
    if (format->readOwnMember(m, err))
      return err;
  }
  // LLVM's archive writer parses every member it thinks has symbols, to
  // build the output's symbol index, and its readers crash on some damaged
  // files (found by fuzz/: a COFF import member, an ELF shared object with a
  // bad symbol table). So every such member is checked here, through the
  // same reader and symbol walk, or refused: nothing slimlink has not read
  // reaches the writer.
  if (!llvm::object::SymbolicFile::isSymbolicFile(magic, nullptr))
    return {}; // text, rmeta, ...: the writer copies the bytes, as we do
  bool relocatable = isRelocatableObject(magic);
  const ObjectFormat *format = formatOfFile(m.data); // set when relocatable
  if (!relocatable && !(format && format->takesLinkedMembers()))
    return "is " + describe(magic) +
           ", which slimlink cannot check (it takes relocatable objects, "
           "bitcode and plain data)";
  if (std::string err = format->checkBytes(m.data); !err.empty())
    return err;
  auto obj = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(m.data, m.name));
  if (!obj)
    return "malformed object: " + takeMessage(obj.takeError());
  if (std::string err = format->checkObject(**obj); !err.empty())
    return err;
  // An ELF executable or shared object is checked, but stays Other: a
  // linker does not take it from an archive.
  if (relocatable) {
    m.kind = MemberKind::Object;
    m.target.format = (*obj)->getTripleObjectFormat();
    m.target.arch = (*obj)->getArch();
  }

  std::vector<bool> mergeable = format->mergeableSymbols(**obj);
  size_t index = 0;
  for (const llvm::object::SymbolRef &sym : (*obj)->symbols()) {
    bool isMergeable = index < mergeable.size() && mergeable[index];
    ++index;
    auto flags = sym.getFlags();
    if (!flags)
      return "bad symbol: " + takeMessage(flags.takeError());
    if (!(*flags & BasicSymbolRef::SF_Global) ||
        (*flags & BasicSymbolRef::SF_FormatSpecific))
      continue;
    auto name = sym.getName();
    if (!name)
      return "bad symbol name: " + takeMessage(name.takeError());
    if (!relocatable)
      continue;
    Symbol s;
    s.name = *name;
    s.defined = !(*flags & BasicSymbolRef::SF_Undefined);
    s.weak = *flags & BasicSymbolRef::SF_Weak;
    s.mergeable = s.defined && isMergeable;
    s.hidden = *flags & BasicSymbolRef::SF_Hidden;
    m.symbols.push_back(s);
  }
  // The symbols point into the member's bytes, which outlive `obj`.
  return {};
}

} // namespace slimlink
