// The COFF edge: ObjectFormat for COFF objects and PE files.
#include "formats/coff/coff.h"
#include "formats/formats.h"
#include "support/diagnostics.h"
#include "write/objcopy.h"

#include "llvm/Object/COFF.h"

namespace slimlink {

// strip's requests, in COFF section names. .llvmbc/.llvmcmd: embedded
// bitcode (rustc, clang -fembed-bitcode). .comment: compiler version
// strings (MinGW GCC writes them to .rdata$zzz, which code may read: kept).
// Debug info (.debug$S/$T/$P, and MinGW's DWARF .debug_*) is ObjCopy's
// StripDebug.
std::vector<std::string> coff::stripRemovals(const ObjectEdit &edit) {
  std::vector<std::string> out;
  if (edit.stripBitcode)
    out.insert(out.end(), {".llvmbc", ".llvmcmd"});
  if (edit.stripComments)
    out.push_back(".comment");
  return out;
}

namespace {

// Whether an object's uninitialized-data sections have bytes in the file:
// LLVM 19's ObjCopy writes SizeOfRawData zeros for each (a 16 KB .bss
// arena made a 9 KB object 20 KB), where compilers write none.
bool hasBssBytes(llvm::StringRef object) {
  auto obj = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(object, "object"));
  if (!obj) {
    llvm::consumeError(obj.takeError());
    return false;
  }
  const auto *coff = llvm::dyn_cast<llvm::object::COFFObjectFile>(obj->get());
  if (!coff)
    return false;
  for (const llvm::object::SectionRef &ref : coff->sections()) {
    const llvm::object::coff_section *s = coff->getCOFFSection(ref);
    if ((s->Characteristics & llvm::COFF::IMAGE_SCN_CNT_UNINITIALIZED_DATA) &&
        s->PointerToRawData != 0)
      return true;
  }
  return false;
}

// What ObjCopy (or our own writer) produced must pass the checks every
// input passes, or it is refused rather than written.
std::string checked(std::string &out) {
  auto obj = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(out, "output"));
  if (!obj)
    return "unusual object: rewriting it would damage it (" +
           takeMessage(obj.takeError()) + ")";
  if (std::string err = checkCoffExtents(**obj); !err.empty())
    return "unusual object: rewriting it would damage it (" + err + ")";
  return {};
}

class CoffFormat final : public ObjectFormat {
public:
  const char *name() const override { return "COFF"; }

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

  ObjectEdit planDrop(const ObjectGraph &graph, const std::vector<bool> &live,
                      DropCounts &counts) const override {
    return coff::planDrop(graph, live, counts);
  }

  std::vector<std::string> directiveSymbols(const Member &m) const override {
    return coff::directiveSymbols(m);
  }

  // Sections by index first (our writer), then what ObjCopy can do.
  std::string rewrite(const Member &m, const ObjectEdit &edit,
                      std::string &out) const override {
    llvm::StringRef bytes = m.data;
    std::string removed;
    if (!edit.removeSectionIndices.empty()) {
      if (std::string err =
              coff::removeSections(bytes, edit.removeSectionIndices, removed);
          !err.empty())
        return err;
      bytes = removed;
    }
    if (std::string err = runObjcopy(bytes, m.name, edit,
                                     coff::stripRemovals(edit), out);
        !err.empty())
      return err;
    if (!hasBssBytes(bytes) && hasBssBytes(out)) {
      std::string compact; // our writer lays the sections out again
      if (std::string err = coff::removeSections(out, {}, compact); !err.empty())
        return err;
      out = std::move(compact);
    }
    return checked(out);
  }
};

} // namespace

const ObjectFormat &coffFormat() {
  static const CoffFormat format;
  return format;
}

} // namespace slimlink
