// Which edge serves a member's format.
//
// COFF has no edge of its own yet: it gets ObjCopy alone (strip and rename,
// with ELF's section names for strip's requests, which match COFF's bitcode
// sections), and no graph or layout, so prune and size refuse it with a
// clear error.
#include "formats/format.h"
#include "formats/elf/elf.h"
#include "write/objcopy.h"

#include "llvm/BinaryFormat/Magic.h"

namespace slimlink {

const ObjectFormat &elfFormat();   // formats/elf/format.cc
const ObjectFormat &machoFormat(); // formats/macho/format.cc

namespace {

class ObjcopyOnlyFormat final : public ObjectFormat {
public:
  const char *name() const override { return "object"; }
  bool hasGraph() const override { return false; }
  bool hasLayout() const override { return false; }

  std::string readGraph(const Member &, ObjectGraph &) const override {
    return "not an ELF object";
  }

  std::string readLayout(llvm::StringRef, LayoutParts, Layout &) const override {
    return "not an ELF object";
  }

  ObjectEdit planDrop(const ObjectGraph &, const std::vector<bool> &,
                      DropCounts &) const override {
    return {};
  }

  std::string rewrite(const Member &m, const ObjectEdit &edit,
                      std::string &out) const override {
    return runObjcopy(m.data, m.name, edit, elf::stripRemovals(edit), out);
  }
};

} // namespace

const ObjectFormat *formatOf(llvm::Triple::ObjectFormatType format) {
  static const ObjcopyOnlyFormat objcopyOnly;
  switch (format) {
  case llvm::Triple::ELF:
    return &elfFormat();
  case llvm::Triple::MachO:
    return &machoFormat();
  case llvm::Triple::COFF:
    return &objcopyOnly;
  default:
    return nullptr;
  }
}

const ObjectFormat *formatOf(const Member &m) { return formatOf(m.target.format); }

const ObjectFormat *formatOfFile(llvm::StringRef data) {
  if (data.starts_with("\x7f" "ELF"))
    return &elfFormat();
  switch (llvm::identify_magic(data)) {
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
