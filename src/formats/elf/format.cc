// The ELF edge: ObjectFormat for ELF objects and files.
#include "formats/elf/elf.h"
#include "formats/objcopy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Object/ELF.h"

namespace slimlink {

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

class ElfFormat final : public ObjectFormat {
public:
  const char *name() const override { return "ELF"; }
  bool canLocalize() const override { return true; }

  std::string checkBytes(llvm::StringRef data) const override {
    return elf::checkExtents(data);
  }
  bool takesLinkedMembers() const override { return true; }

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

  std::vector<std::string> debugFilePaths(llvm::StringRef data,
                                          const std::string &path,
                                          const std::string &root) const override {
    return elf::debugFilePaths(data, path, root);
  }

  std::string debugFileMismatch(llvm::StringRef data,
                                llvm::StringRef debug) const override {
    return elf::debugFileMismatch(data, debug);
  }

  ObjectEdit planDrop(const ObjectGraph &graph, const std::vector<bool> &live,
                      DropCounts &counts) const override {
    return elf::planDrop(graph, live, counts);
  }

protected:
  // Emptying a section is making it SHT_NOBITS; only this edge plans it.
  // Visibility is ELF's alone too.
  void configureObjcopy(const ObjectEdit &edit,
                        llvm::objcopy::ConfigManager &cfg) const override {
    for (const std::string &section : edit.emptySections)
      cfg.Common.SetSectionType[section] = llvm::ELF::SHT_NOBITS;
    for (const std::string &name : edit.defaultVisibility) {
      llvm::objcopy::NameMatcher literal;
      // A literal name is no pattern: nothing to fail on.
      llvm::cantFail(literal.addMatcher(llvm::objcopy::NameOrPattern::create(
          name, llvm::objcopy::MatchStyle::Literal,
          [](llvm::Error e) { return e; })));
      cfg.ELF.SymbolsToSetVisibility.emplace_back(std::move(literal),
                                                  uint8_t(llvm::ELF::STV_DEFAULT));
    }
  }

  std::string writeAfterObjcopy(const Member &m, llvm::StringRef,
                                const ObjectEdit &edit,
                                std::string &out) const override {
    // ObjCopy trusts odd inputs further than the reader's checks reach (a
    // group signed by a symbol in a removed section comes out naming a
    // symbol that is gone; found by fuzz/rewrite): our steps read only
    // what passes the checks.
    if (std::string err = checkRewritten(out); !err.empty())
      return err;
    // unwind.cc reads ELF64 little-endian x86_64 .eh_frame only.
    if (edit.dropEmptied && !edit.emptySections.empty() &&
        m.target.arch == llvm::Triple::x86_64)
      removeEmptied(m, out);
    if (edit.shortNames) {
      std::string shorter;
      if (std::string err = elf::shortenNames(out, edit.stripDebug, edit.renames, shorter); !err.empty())
        return err;
      out = std::move(shorter);
    }
    return {};
  }

private:
  // The second step of prune's edit: emptied sections leave for good once
  // nothing names them. If anything still does (an .eh_frame this code does
  // not understand), the emptied sections simply stay: still correct.
  void removeEmptied(const Member &m, std::string &out) const {
    std::string unnamed, compact;
    if (!elf::dropEmptiedReferences(out, unnamed).empty())
      return;
    std::string pruned[] = {"*.pruned"};
    if (runObjcopy(unnamed, m.name, CommonEdit(), pruned, compact).empty() &&
        checkBytes(compact).empty())
      out = std::move(compact);
  }
};

} // namespace

const ObjectFormat &elfFormat() {
  static const ElfFormat format;
  return format;
}

} // namespace slimlink
