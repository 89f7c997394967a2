#include "passes/prune.h"
#include "formats/formats.h"
#include "support/diagnostics.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Parallel.h"

namespace slimlink {

namespace {

struct SectionId {
  uint32_t member, section;
};

// The reachability walk over (member, section) nodes of one library.
struct Walk {
  const Library &lib;
  const std::vector<const ObjectGraph *> &graphs; // null: not an object
  llvm::StringMap<SectionId> definer; // global symbol -> its first definition
  std::vector<std::vector<bool>> live;
  std::vector<bool> memberLive;
  std::vector<std::vector<std::vector<uint32_t>>> relocsFrom; // [m][s] -> relocs
  std::vector<std::vector<std::vector<uint32_t>>> linkOrderOf; // [m][s] -> sections
  std::vector<SectionId> work;

  Walk(const Library &lib, const std::vector<const ObjectGraph *> &graphs)
      : lib(lib), graphs(graphs) {
    size_t n = graphs.size();
    live.resize(n);
    memberLive.resize(n);
    relocsFrom.resize(n);
    linkOrderOf.resize(n);
    for (uint32_t m = 0; m < n; ++m) {
      const ObjectGraph *L = graphs[m];
      if (!L)
        continue;
      live[m].resize(L->sections.size());
      relocsFrom[m].resize(L->sections.size());
      linkOrderOf[m].resize(L->sections.size());
      for (uint32_t r = 0; r < L->relocs.size(); ++r)
        relocsFrom[m][L->relocs[r].from].push_back(r);
      for (uint32_t s = 0; s < L->sections.size(); ++s)
        if (L->sections[s].linkOrder >= 0)
          linkOrderOf[m][L->sections[s].linkOrder].push_back(s);
      // Like a linker reading the archive index: the first definition wins.
      for (const GraphSymbol &sym : L->symbols)
        if (sym.global && sym.section >= 0 && !sym.sectionSymbol)
          definer.try_emplace(sym.name, SectionId{m, uint32_t(sym.section)});
    }
  }

  void mark(SectionId id) {
    if (live[id.member][id.section])
      return;
    live[id.member][id.section] = true;
    work.push_back(id);
    const ObjectGraph &L = *graphs[id.member];
    const GraphSection &sec = L.sections[id.section];
    if (sec.group >= 0) { // a COMDAT group lives or dies whole
      mark({id.member, uint32_t(sec.group)});
      for (uint32_t g : L.sections[sec.group].groupMembers)
        mark({id.member, g});
    }
    for (uint32_t s : linkOrderOf[id.member][id.section])
      mark({id.member, s});
    if (!memberLive[id.member]) {
      // The linker pulled this object: what it must keep of it, it keeps.
      memberLive[id.member] = true;
      for (uint32_t s = 0; s < L.sections.size(); ++s)
        if (L.sections[s].root || L.sections[s].ehFrame)
          mark({id.member, s});
    }
  }

  bool markSymbol(llvm::StringRef name) {
    auto it = definer.find(name);
    if (it == definer.end())
      return false;
    mark(it->second);
    return true;
  }

  void run() {
    while (!work.empty()) {
      SectionId id = work.back();
      work.pop_back();
      const ObjectGraph &L = *graphs[id.member];
      bool fromEhFrame = L.sections[id.section].ehFrame;
      for (uint32_t r : relocsFrom[id.member][id.section]) {
        const GraphSymbol &sym = L.symbols[L.relocs[r].symbol];
        // A global binds to its first definition in the link, which need
        // not be this object's. This object's own definition stays too: a
        // COMDAT copy (DW.ref.rust_eh_personality) must stay a whole group
        // for the linker to discard it as a duplicate.
        if (sym.global && !sym.sectionSymbol)
          markSymbol(sym.name);
        if (sym.section < 0)
          continue; // defined outside this library
        // Unwind entries keep exception tables and personalities, not code.
        if (fromEhFrame && L.sections[sym.section].exec)
          continue;
        mark({id.member, uint32_t(sym.section)});
      }
    }
  }
};

// Names that occur once in a member can be edited by name; ObjCopy's
// matchers would hit every section or symbol of a shared name.
llvm::StringMap<int> countNames(const ObjectGraph &L, bool sections) {
  llvm::StringMap<int> n;
  if (sections)
    for (const GraphSection &s : L.sections)
      ++n[s.name];
  else
    for (const GraphSymbol &s : L.symbols)
      ++n[s.name];
  return n;
}

// Turns the dead sections of one live member into an ObjCopy edit.
ObjectEdit editFor(const ObjectGraph &L, const std::vector<bool> &live,
                   PrunePlan &plan) {
  ObjectEdit edit;
  edit.removePruned = true;
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
      ++plan.sectionsRemoved;
    } else if (s.fileSize > 0) {
      // Emptied sections keep a header; a short shared name keeps their
      // long mangled names out of the string table.
      edit.emptySections.push_back(s.name.str());
      size_t dot = s.name.find('.', 1);
      edit.renameSections.push_back(
          {s.name.str(), s.name.substr(0, dot).str() + ".pruned"});
      ++plan.sectionsEmptied;
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

} // namespace

PruneLiveness findLive(const InputSet &in, uint32_t libIndex,
                       const PruneOptions &opts) {
  const Library &lib = in.libs[libIndex];
  PruneLiveness r;
  // Layouts of each distinct object content, read in parallel.
  std::vector<uint32_t> firstOf;
  std::vector<int> slot(in.contents.size(), -1);
  for (uint32_t i = 0; i < lib.members.size(); ++i)
    if (lib.members[i].kind == MemberKind::Object &&
        slot[lib.members[i].content] < 0) {
      slot[lib.members[i].content] = firstOf.size();
      firstOf.push_back(i);
    }
  r.graphs.resize(firstOf.size());
  std::vector<std::string> errors(firstOf.size());
  llvm::parallelFor(0, firstOf.size(), [&](size_t k) {
    errors[k] = readElfGraph(lib.members[firstOf[k]], r.graphs[k]);
  });
  for (size_t k = 0; k < firstOf.size(); ++k)
    if (!errors[k].empty()) {
      const Member &m = lib.members[firstOf[k]];
      throw InputError(lib.path, m.name, m.offset, errors[k]);
    }
  r.graphOf.resize(lib.members.size());
  for (uint32_t i = 0; i < lib.members.size(); ++i)
    if (lib.members[i].kind == MemberKind::Object)
      r.graphOf[i] = &r.graphs[slot[lib.members[i].content]];

  Walk walk(lib, r.graphOf);
  for (llvm::StringRef s : apiSymbols(lib, opts.api))
    if (walk.markSymbol(s))
      r.roots.push_back(s);
  for (const std::string &s : opts.keep) {
    if (walk.markSymbol(s))
      r.roots.push_back(walk.definer.find(s)->getKey());
    else
      r.missingKeep.push_back(s);
  }
  walk.run();
  r.live = std::move(walk.live);
  r.memberLive = std::move(walk.memberLive);
  return r;
}

PrunePlan planPrune(const PruneLiveness &live) {
  PrunePlan plan;
  size_t n = live.graphOf.size();
  plan.memberLive.resize(n);
  plan.edits.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    // Members that are not objects are none of prune's business: kept.
    plan.memberLive[i] = !live.graphOf[i] || live.memberLive[i];
    if (live.graphOf[i] && live.memberLive[i])
      plan.edits[i] = editFor(*live.graphOf[i], live.live[i], plan);
  }
  return plan;
}

} // namespace slimlink
