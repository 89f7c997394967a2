// Which edge serves a member's (or a file's) format: formats/elf/,
// formats/macho/, formats/coff/.
#include "formats/format.h"

#include "llvm/BinaryFormat/Magic.h"

namespace slimlink {

const ObjectFormat &elfFormat();   // formats/elf/format.cc
const ObjectFormat &machoFormat(); // formats/macho/format.cc
const ObjectFormat &coffFormat();  // formats/coff/format.cc

const ObjectFormat *formatOf(llvm::Triple::ObjectFormatType format) {
  switch (format) {
  case llvm::Triple::ELF:
    return &elfFormat();
  case llvm::Triple::MachO:
    return &machoFormat();
  case llvm::Triple::COFF:
    return &coffFormat();
  default:
    return nullptr;
  }
}

llvm::ArrayRef<const ObjectFormat *> everyFormat() {
  static const ObjectFormat *const formats[] = {&elfFormat(), &machoFormat(),
                                                &coffFormat()};
  return formats;
}

const ObjectFormat *formatOf(const Member &m) { return formatOf(m.target.format); }

std::string readMemberGraph(const Member &m, ObjectGraph &out) {
  const ObjectFormat *format = formatOf(m);
  return format ? format->readGraph(m, out) : "not an object";
}

const ObjectFormat *formatOfFile(llvm::StringRef data) {
  if (data.starts_with("\x7f" "ELF"))
    return &elfFormat();
  switch (llvm::identify_magic(data)) {
  case llvm::file_magic::coff_object:
  case llvm::file_magic::pecoff_executable:
    return &coffFormat();
  case llvm::file_magic::macho_object:
  case llvm::file_magic::macho_executable:
  case llvm::file_magic::macho_dynamically_linked_shared_lib:
  case llvm::file_magic::macho_dynamically_linked_shared_lib_stub:
  case llvm::file_magic::macho_bundle:
  case llvm::file_magic::macho_dynamic_linker:
  case llvm::file_magic::macho_preload_executable:
  case llvm::file_magic::macho_core:
  case llvm::file_magic::macho_kext_bundle:
  case llvm::file_magic::macho_dsym_companion:
  case llvm::file_magic::macho_file_set:
  case llvm::file_magic::macho_fixed_virtual_memory_shared_lib:
    return &machoFormat();
  default:
    return nullptr;
  }
}

} // namespace slimlink
