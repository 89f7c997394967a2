// Which edge serves a member's format.
//
// Mach-O and COFF have no edge of their own yet: they get ObjCopy alone
// (strip and rename, with ELF's section names for strip's requests, which
// match their bitcode sections only on COFF), and no graph or layout, so
// prune and size refuse them with a clear error.
#include "formats/format.h"
#include "formats/elf/elf.h"
#include "write/objcopy.h"

namespace slimlink {

const ObjectFormat &elfFormat(); // formats/elf/format.cc

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
  return nullptr;
}

} // namespace slimlink
