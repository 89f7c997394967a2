// prune's dead sections, written as an ObjCopy edit for an ELF object.
//
// ObjCopy edits sections and symbols by name, so only names that occur once
// in the object can go. A dead section that something kept still names (an
// .eh_frame entry, debug info) cannot vanish without rewriting those tables,
// so it is emptied instead: made SHT_NOBITS under a short shared name, its
// bytes and relocations gone; rewrite() then drops what names it (unwind.cc)
// and removes it for good.
#include "formats/elf/elf.h"

#include "llvm/ADT/StringMap.h"

namespace slimlink {

// Names that occur once in a member can be edited by name; ObjCopy's
// matchers would hit every section or symbol of a shared name.
static llvm::StringMap<int> countNames(const ObjectGraph &L, bool sections) {
  llvm::StringMap<int> n;
  if (sections)
    for (const GraphSection &s : L.sections)
      ++n[s.name];
  else
    for (const GraphSymbol &s : L.symbols)
      ++n[s.name];
  return n;
}

ObjectEdit elf::planDrop(const ObjectGraph &L, const std::vector<bool> &live,
                         DropCounts &counts) {
  ObjectEdit edit;
  edit.dropEmptied = true;
  // A COMDAT group lives or dies whole, as in a linker: a dead group takes
  // its non-loaded members (debug info of the discarded code) with it. A
  // group of only non-loaded sections (GCC's .debug_macro) is never dead.
  auto deadGroup = [&](int32_t g) {
    if (g < 0 || live[g])
      return false;
    for (uint32_t m : L.sections[g].groupMembers)
      if (L.sections[m].alloc)
        return true;
    return false;
  };
  auto keptSection = [&](const GraphSection &s, uint32_t i) {
    return live[i] || (!s.alloc && !deadGroup(s.group));
  };
  // Symbols and sections that kept bytes still refer to.
  std::vector<bool> symbolUsed(L.symbols.size()), sectionUsed(L.sections.size());
  for (const GraphReloc &r : L.relocs)
    if (keptSection(L.sections[r.from], r.from)) {
      symbolUsed[r.symbol] = true;
      if (L.symbols[r.symbol].section >= 0)
        sectionUsed[L.symbols[r.symbol].section] = true;
    }
  auto sectionNames = countNames(L, true);
  auto symbolNames = countNames(L, false);

  std::vector<bool> gone(L.sections.size()); // removed or emptied
  for (uint32_t i = 0; i < L.sections.size(); ++i) {
    const GraphSection &s = L.sections[i];
    if (keptSection(s, i) || s.isReloc || !s.groupMembers.empty() ||
        sectionNames[s.name] != 1)
      continue;
    gone[i] = true;
    if (!sectionUsed[i]) {
      edit.removeSections.push_back(s.name.str());
      ++counts.removed;
    } else if (s.fileSize > 0) {
      // Emptied sections keep a header; a short shared name keeps their
      // long mangled names out of the string table.
      edit.emptySections.push_back(s.name.str());
      edit.renameSections.push_back({s.name.str(), emptiedName(s.name)});
      ++counts.emptied;
    }
  }
  // Relocation sections of emptied sections go (removed ones' go by themselves).
  for (uint32_t i = 0; i < L.sections.size(); ++i) {
    const GraphSection &s = L.sections[i];
    if (s.isReloc && s.relocates >= 0 && gone[s.relocates] &&
        sectionUsed[s.relocates] && sectionNames[s.name] == 1)
      edit.removeSections.push_back(s.name.str());
  }
  // A whole dead COMDAT group: its group section goes too. A group that
  // stays keeps its signature symbol, or ObjCopy would write a stale index.
  auto removed = [&](uint32_t i) {
    const GraphSection &s = L.sections[i];
    if (s.isReloc) // goes with its section, by itself or by the loop above
      return s.relocates >= 0 && gone[s.relocates];
    return gone[i] && !sectionUsed[i];
  };
  for (uint32_t i = 0; i < L.sections.size(); ++i) {
    const GraphSection &s = L.sections[i];
    if (s.groupMembers.empty())
      continue;
    if (!live[i] && sectionNames[s.name] == 1 &&
        llvm::all_of(s.groupMembers, removed))
      edit.removeSections.push_back(s.name.str());
    else if (s.signature >= 0 && size_t(s.signature) < L.symbols.size())
      symbolUsed[s.signature] = true;
  }
  for (uint32_t i = 1; i < L.symbols.size(); ++i) {
    const GraphSymbol &sym = L.symbols[i];
    if (sym.sectionSymbol || sym.name.empty() || symbolNames[sym.name] != 1)
      continue;
    if (!sym.global) { // a local in dead code nothing kept refers to
      if (sym.section >= 0 && gone[sym.section] && !symbolUsed[i])
        edit.removeSymbols.push_back(sym.name.str());
      continue;
    }
    if (sym.section < 0) { // an undefined reference only dead code made
      if (!symbolUsed[i])
        edit.removeSymbols.push_back(sym.name.str());
    } else if (gone[sym.section]) { // defined in dead code: not offered
      if (symbolUsed[i])
        edit.localizeSymbols.push_back(sym.name.str());
      else
        edit.removeSymbols.push_back(sym.name.str());
    }
  }
  return edit;
}


} // namespace slimlink
