#include "passes/liveness.h"

#include "llvm/ADT/StringSet.h"

#include <functional>
#include <map>

namespace slimlink {

Link::Link(std::vector<const ObjectGraph *> objs,
           std::vector<const ObjectFormat *> formats)
    : objects(std::move(objs)), edges(std::move(formats)) {
  // One index per distinct graph: identical members share theirs.
  llvm::DenseMap<const ObjectGraph *, uint32_t> slot;
  for (const ObjectGraph *g : objects)
    if (g && slot.try_emplace(g, slot.size()).second)
      indices.emplace_back();
  for (const auto &[g, k] : slot) {
    Index &ix = indices[k];
    size_t n = g->sections.size();
    ix.relocStart.assign(n + 1, 0);
    for (const GraphReloc &r : g->relocs)
      ++ix.relocStart[r.from + 1];
    for (size_t s = 0; s < n; ++s)
      ix.relocStart[s + 1] += ix.relocStart[s];
    ix.relocs.resize(g->relocs.size());
    std::vector<uint32_t> next(ix.relocStart.begin(), ix.relocStart.end() - 1);
    for (uint32_t r = 0; r < g->relocs.size(); ++r)
      ix.relocs[next[g->relocs[r].from]++] = r;
    ix.orderStart.assign(n + 1, 0);
    for (const GraphSection &s : g->sections)
      if (s.linkOrder >= 0)
        ++ix.orderStart[s.linkOrder + 1];
    for (size_t s = 0; s < n; ++s)
      ix.orderStart[s + 1] += ix.orderStart[s];
    ix.ordered.resize(ix.orderStart[n]);
    next.assign(ix.orderStart.begin(), ix.orderStart.end() - 1);
    for (uint32_t s = 0; s < n; ++s)
      if (g->sections[s].linkOrder >= 0)
        ix.ordered[next[g->sections[s].linkOrder]++] = s;
  }
  // The sections whose bounds undefined symbols stand for (ELF's __start_).
  llvm::StringSet<> boundedNames;
  for (uint32_t o = 0; o < objects.size(); ++o)
    if (objects[o] && edge(o))
      for (const GraphSymbol &sym : objects[o]->symbols)
        if (sym.section < 0)
          if (llvm::StringRef sec = edge(o)->boundedSection(sym.name); !sec.empty())
            boundedNames.insert(sec);
  indexOf.resize(objects.size());
  for (uint32_t o = 0; o < objects.size(); ++o) {
    const ObjectGraph *g = objects[o];
    if (!g)
      continue;
    indexOf[o] = &indices[slot[g]];
    // Like a linker reading the archive index: the first definition wins.
    for (const GraphSymbol &sym : g->symbols)
      if (sym.global && sym.section >= 0 && !sym.sectionSymbol)
        definers.try_emplace(sym.name, LiveNode{o, uint32_t(sym.section)});
    for (uint32_t s = 0; s < g->sections.size(); ++s)
      if (!g->sections[s].isReloc && boundedNames.contains(g->sections[s].name))
        bounded[g->sections[s].name].push_back({o, s});
  }
}

const LiveNode *Link::definer(llvm::StringRef symbol) const {
  auto it = definers.find(symbol);
  return it == definers.end() ? nullptr : &it->second;
}

void Link::forEachSuccessor(
    LiveNode n, llvm::function_ref<void(LiveNode, const LiveReason &)> f) const {
  const ObjectGraph &g = *objects[n.object];
  if (isObjectNode(n)) {
    // The linker pulled this object: what it must keep of it, it keeps.
    LiveReason why{LiveBecause::KeptByObject, n};
    for (uint32_t s = 0; s < g.sections.size(); ++s)
      if (g.sections[s].root || g.sections[s].ehFrame)
        f({n.object, s}, why);
    return;
  }
  const GraphSection &sec = g.sections[n.section];
  const Index &ix = *indexOf[n.object];
  f(objectNode(n.object), {LiveBecause::Pulled, n});
  if (sec.group >= 0) { // a COMDAT group lives or dies whole
    LiveReason why{LiveBecause::Group, n};
    f({n.object, uint32_t(sec.group)}, why);
    for (uint32_t m : g.sections[sec.group].groupMembers)
      f({n.object, m}, why);
  }
  for (uint32_t k = ix.orderStart[n.section]; k < ix.orderStart[n.section + 1]; ++k)
    f({n.object, ix.ordered[k]}, {LiveBecause::LinkOrder, n});
  for (uint32_t k = ix.relocStart[n.section]; k < ix.relocStart[n.section + 1]; ++k) {
    uint32_t r = ix.relocs[k];
    const GraphSymbol &sym = g.symbols[g.relocs[r].symbol];
    LiveReason why{LiveBecause::Reference, n, g.relocs[r].symbol, r};
    // A global binds to its first definition in the link, which need not be
    // this object's. This object's own definition stays too: a COMDAT copy
    // (DW.ref.rust_eh_personality) must stay a whole group for the linker
    // to discard it as a duplicate.
    const LiveNode *d = nullptr;
    if (sym.global && !sym.sectionSymbol)
      if ((d = definer(sym.name)))
        f(*d, why);
    if (sym.section < 0) { // defined outside this object
      if (!d && !bounded.empty() && edge(n.object))
        if (llvm::StringRef sec = edge(n.object)->boundedSection(sym.name); !sec.empty())
          if (auto it = bounded.find(sec); it != bounded.end()) {
            LiveReason table{LiveBecause::StartStop, n, g.relocs[r].symbol, r};
            for (LiveNode t : it->second)
              f(t, table);
          }
      continue;
    }
    // Unwind entries keep exception tables and personalities, not code.
    if (sec.ehFrame && g.sections[sym.section].exec)
      continue;
    f({n.object, uint32_t(sym.section)}, why);
  }
}

Liveness computeLiveness(const Link &link, llvm::ArrayRef<llvm::StringRef> roots,
                         bool recordReasons) {
  Liveness r;
  size_t n = link.objectCount();
  r.live.resize(n);
  r.objectLive.resize(n);
  if (recordReasons) {
    r.reason.resize(n);
    r.objectReason.resize(n);
  }
  for (uint32_t o = 0; o < n; ++o)
    if (const ObjectGraph *g = link.graph(o)) {
      r.live[o].resize(g->sections.size());
      if (recordReasons)
        r.reason[o].resize(g->sections.size());
    }

  std::vector<LiveNode> work;
  // StartStop successors in objects not pulled (yet), per object.
  std::vector<std::vector<std::pair<LiveNode, LiveReason>>> waiting(n);
  // Unwind references waiting for the code they describe, by that code.
  std::map<std::pair<uint32_t, uint32_t>, std::vector<std::pair<LiveNode, LiveReason>>>
      waitingForCode;
  std::function<void(LiveNode, const LiveReason &)> mark =
      [&](LiveNode node, const LiveReason &why) {
    bool object = link.isObjectNode(node);
    if (why.because == LiveBecause::Reference) {
      int32_t code = link.graph(why.from.object)->relocs[why.reloc].onlyWith;
      if (code >= 0 && !r.live[why.from.object][code]) {
        waitingForCode[{why.from.object, uint32_t(code)}].push_back({node, why});
        return;
      }
    }
    if (why.because == LiveBecause::StartStop && !r.objectLive[node.object]) {
      waiting[node.object].push_back({node, why});
      return;
    }
    std::vector<bool>::reference bit =
        object ? r.objectLive[node.object] : r.live[node.object][node.section];
    if (bit)
      return;
    bit = true;
    if (recordReasons)
      (object ? r.objectReason[node.object] : r.reason[node.object][node.section]) = why;
    work.push_back(node);
    if (object)
      for (auto &[t, w] : std::exchange(waiting[node.object], {}))
        mark(t, w);
    else if (auto it = waitingForCode.find({node.object, node.section});
             it != waitingForCode.end())
      for (auto &[t, w] : std::exchange(it->second, {}))
        mark(t, w);
  };
  for (llvm::StringRef s : roots) {
    const LiveNode *d = link.definer(s);
    if (!d) {
      r.missing.push_back(s);
      continue;
    }
    mark(*d, {LiveBecause::Root, {}, uint32_t(r.roots.size())});
    r.roots.push_back(s);
    r.rootNodes.push_back(*d);
  }
  // Breadth first: each item's first reason then lies on a shortest chain
  // from a root, the one `why` prints.
  for (size_t next = 0; next < work.size(); ++next)
    link.forEachSuccessor(work[next], mark);
  return r;
}

} // namespace slimlink
