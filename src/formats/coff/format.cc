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
    return checked(out);
  }
};

} // namespace

const ObjectFormat &coffFormat() {
  static const CoffFormat format;
  return format;
}

} // namespace slimlink
