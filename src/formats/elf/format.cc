// The ELF edge: ObjectFormat for ELF objects and files.
#include "formats/elf/elf.h"
#include "formats/formats.h"
#include "formats/objcopy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Object/ELF.h"

namespace slimlink {

// strip's requests, in ELF section names. .llvmbc/.llvmcmd: rustc's embedded
// bitcode, read only by rustc's own LTO from rlibs, never by a linker.
// .comment: compiler version strings. Debug info is ObjCopy's StripDebug.
std::vector<std::string> elf::stripRemovals(const ObjectEdit &edit) {
  std::vector<std::string> out;
  if (edit.stripBitcode)
    out.insert(out.end(), {".llvmbc", ".llvmcmd"});
  if (edit.stripComments)
    out.push_back(".comment");
  return out;
}

static bool isCIdentifier(llvm::StringRef s) {
  if (s.empty() || llvm::isDigit(s[0]))
    return false;
  return llvm::all_of(s, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

// "__start_SEC" / "__stop_SEC" -> "SEC" when SEC is a C identifier.
static llvm::StringRef startStopSection(llvm::StringRef symbol) {
  llvm::StringRef sec;
  if (symbol.starts_with("__start_"))
    sec = symbol.drop_front(8);
  else if (symbol.starts_with("__stop_"))
    sec = symbol.drop_front(7);
  return isCIdentifier(sec) ? sec : llvm::StringRef();
}

namespace {

// ObjCopy trusts odd inputs further than the reader's checks reach (a group
// signed by a symbol in a removed section comes out naming a symbol that is
// gone; found by fuzz/rewrite). Its output must pass the same checks as any
// input, or the member is refused rather than written.
std::string objcopyChecked(llvm::StringRef bytes, llvm::StringRef name,
                           const ObjectEdit &edit,
                           llvm::ArrayRef<std::string> removals,
                           std::string &out) {
  // Emptying a section is making it SHT_NOBITS; only this edge plans it.
  auto emptied = [&](llvm::objcopy::CommonConfig &cfg) {
    for (const std::string &section : edit.emptySections)
      cfg.SetSectionType[section] = llvm::ELF::SHT_NOBITS;
  };
  if (std::string err = runObjcopy(bytes, name, edit, removals, out, emptied);
      !err.empty())
    return err;
  if (llvm::identify_magic(out) == llvm::file_magic::elf_relocatable)
    if (std::string err = checkElfExtents(out); !err.empty())
      return "unusual object: rewriting it would damage it (" + err + ")";
  return {};
}

// The second step of prune's edit: emptied sections leave for good once
// nothing names them. If anything still does (an .eh_frame this code does
// not understand), the emptied sections simply stay: still correct.
void removeEmptied(const Member &m, std::string &out) {
  std::string unnamed, compact;
  if (!elf::dropEmptiedReferences(out, unnamed).empty())
    return;
  ObjectEdit second;
  second.removeSections = {"*.pruned"};
  if (objcopyChecked(unnamed, m.name, second, {}, compact).empty())
    out = std::move(compact);
}

class ElfFormat final : public ObjectFormat {
public:
  const char *name() const override { return "ELF"; }
  bool canLocalize() const override { return true; }

  std::string readGraph(const Member &m, ObjectGraph &out) const override {
    return elf::readGraph(m, out);
  }

  llvm::StringRef boundedSection(llvm::StringRef symbol) const override {
    return startStopSection(symbol);
  }

  std::string relocationName(const ObjectGraph &graph,
                             uint32_t type) const override {
    return llvm::object::getELFRelocationTypeName(graph.machine, type).str();
  }

  std::string readLayout(llvm::StringRef data, LayoutParts parts,
                         Layout &out) const override {
    return elf::readLayout(data, parts, out);
  }

  ObjectEdit planDrop(const ObjectGraph &graph, const std::vector<bool> &live,
                      DropCounts &counts) const override {
    return elf::planDrop(graph, live, counts);
  }

  std::string rewrite(const Member &m, const ObjectEdit &edit,
                      std::string &out) const override {
    if (std::string err =
            objcopyChecked(m.data, m.name, edit, elf::stripRemovals(edit), out);
        !err.empty())
      return err;
    // unwind.cc reads ELF64 little-endian x86_64 .eh_frame only.
    if (edit.dropEmptied && !edit.emptySections.empty() &&
        m.target.arch == llvm::Triple::x86_64)
      removeEmptied(m, out);
    if (edit.shortNames) {
      std::string shorter;
      if (std::string err = elf::shortenNames(out, edit.stripDebug, edit.renames, shorter); !err.empty())
        return err;
      if (std::string err = checkElfExtents(shorter); !err.empty())
        return "unusual object: rewriting it would damage it (" + err + ")";
      out = std::move(shorter);
    }
    return {};
  }
};

} // namespace

const ObjectFormat &elfFormat() {
  static const ElfFormat format;
  return format;
}

} // namespace slimlink
