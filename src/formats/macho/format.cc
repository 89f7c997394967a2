// The Mach-O edge: ObjectFormat for Mach-O objects and files.
#include "formats/formats.h"
#include "formats/macho/macho.h"
#include "support/diagnostics.h"
#include "write/objcopy.h"

#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Object/MachO.h"

namespace slimlink {

// strip's requests, in Mach-O section names. __LLVM,__bitcode and
// __LLVM,__cmdline: -fembed-bitcode's copy of the module, which no linker
// reads once the code is built. Mach-O has no .comment. Debug info
// (__DWARF,*) is ObjCopy's StripDebug.
std::vector<std::string> macho::stripRemovals(const ObjectEdit &edit) {
  std::vector<std::string> out;
  if (edit.stripBitcode)
    out.insert(out.end(), {"__LLVM,__bitcode", "__LLVM,__cmdline",
                           "__LLVM,__asm", "__LLVM,__swift_modhash"});
  return out;
}

namespace {

// An object ObjCopy (or our own writer) produced must pass the checks every
// input passes, or it is refused rather than written.
std::string checked(std::string &out) {
  auto obj = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(out, "output"));
  if (!obj)
    return "unusual object: rewriting it would damage it (" +
           takeMessage(obj.takeError()) + ")";
  if (std::string err = checkMachOTables(**obj); !err.empty())
    return "unusual object: rewriting it would damage it (" + err + ")";
  return {};
}

class MachOFormat final : public ObjectFormat {
public:
  const char *name() const override { return "Mach-O"; }

  std::string readGraph(const Member &m, ObjectGraph &out) const override {
    return macho::readGraph(m, out);
  }

  std::string relocationName(const ObjectGraph &graph,
                             uint32_t type) const override {
    return macho::relocationName(graph.machine, type);
  }

  std::string readLayout(llvm::StringRef data, LayoutParts parts,
                         Layout &out) const override {
    return macho::readLayout(data, parts, out);
  }

  ObjectEdit planDrop(const ObjectGraph &graph, const std::vector<bool> &live,
                      DropCounts &counts) const override {
    return macho::planDrop(graph, live, counts);
  }

  std::vector<std::string> cappedRoutines(const Member &m) const override {
    return macho::personalities(m);
  }

  // Atoms first (our writer), then what ObjCopy can do (sections, renames,
  // strip), then the symbol flags ObjCopy has no option for on Mach-O.
  std::string rewrite(const Member &m, const ObjectEdit &edit,
                      std::string &out) const override {
    llvm::StringRef bytes = m.data;
    std::string cut;
    if (!edit.removeRanges.empty()) {
      if (std::string err = macho::cutRanges(bytes, edit.removeRanges, cut);
          !err.empty())
        return err;
      bytes = cut;
    }
    if (std::string err = runObjcopy(bytes, m.name, edit,
                                     macho::stripRemovals(edit), out);
        !err.empty())
      return err;
    if (!edit.weakenSymbols.empty())
      if (std::string err = macho::weakenDefinitions(out, edit.weakenSymbols);
          !err.empty())
        return err;
    return checked(out);
  }
};

} // namespace

const ObjectFormat &machoFormat() {
  static const MachOFormat format;
  return format;
}

} // namespace slimlink
