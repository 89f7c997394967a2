#include "passes/prune.h"
#include "support/diagnostics.h"

#include "llvm/Support/Parallel.h"

namespace slimlink {

void readGraphs(const InputSet &in, uint32_t libIndex,
                std::vector<ObjectGraph> &graphs,
                std::vector<const ObjectGraph *> &graphOf) {
  const Library &lib = in.libs[libIndex];
  std::vector<uint32_t> firstOf;
  std::vector<int> slot(in.contents.size(), -1);
  for (uint32_t i = 0; i < lib.members.size(); ++i)
    if (lib.members[i].kind == MemberKind::Object &&
        slot[lib.members[i].content] < 0) {
      slot[lib.members[i].content] = firstOf.size();
      firstOf.push_back(i);
    }
  graphs.resize(firstOf.size());
  std::vector<std::string> errors(firstOf.size());
  llvm::parallelFor(0, firstOf.size(), [&](size_t k) {
    const Member &m = lib.members[firstOf[k]];
    errors[k] = readMemberGraph(m, graphs[k]);
  });
  for (size_t k = 0; k < firstOf.size(); ++k)
    if (!errors[k].empty()) {
      const Member &m = lib.members[firstOf[k]];
      throw InputError(lib.path, m.name, m.offset, errors[k]);
    }
  graphOf.assign(lib.members.size(), nullptr);
  for (uint32_t i = 0; i < lib.members.size(); ++i)
    if (lib.members[i].kind == MemberKind::Object)
      graphOf[i] = &graphs[slot[lib.members[i].content]];
}

SetGraphs readSetGraphs(const InputSet &in) {
  SetGraphs r;
  std::vector<uint32_t> objects; // content ids of object members
  for (uint32_t c = 0; c < in.contents.size(); ++c)
    if (in.at(in.contents[c]).kind == MemberKind::Object)
      objects.push_back(c);
  r.graphs.resize(objects.size());
  std::vector<std::string> errors(objects.size());
  llvm::parallelFor(0, objects.size(), [&](size_t k) {
    const Member &m = in.at(in.contents[objects[k]]);
    errors[k] = readMemberGraph(m, r.graphs[k]);
  });
  for (size_t k = 0; k < objects.size(); ++k)
    if (!errors[k].empty()) {
      MemberRef ref = in.contents[objects[k]];
      const Member &m = in.at(ref);
      throw InputError(in.libs[ref.lib].path, m.name, m.offset, errors[k]);
    }
  r.byContent.assign(in.contents.size(), nullptr);
  for (size_t k = 0; k < objects.size(); ++k)
    r.byContent[objects[k]] = &r.graphs[k];
  return r;
}

PruneLiveness findLive(const InputSet &in, uint32_t libIndex,
                       const PruneOptions &opts, const SetGraphs *shared) {
  const Library &lib = in.libs[libIndex];
  PruneLiveness r;
  if (shared) {
    r.graphOf.assign(lib.members.size(), nullptr);
    for (uint32_t i = 0; i < lib.members.size(); ++i)
      if (lib.members[i].kind == MemberKind::Object)
        r.graphOf[i] = shared->byContent[lib.members[i].content];
  } else {
    readGraphs(in, libIndex, r.graphs, r.graphOf);
  }
  r.formatOf.resize(lib.members.size());
  for (uint32_t i = 0; i < lib.members.size(); ++i)
    if (r.graphOf[i])
      r.formatOf[i] = formatOf(lib.members[i]);

  Link link(r.graphOf, r.formatOf);
  std::vector<llvm::StringRef> roots = apiSymbols(lib, opts.api);
  roots.insert(roots.end(), opts.keep.begin(), opts.keep.end());
  Liveness live = computeLiveness(link, roots);
  for (llvm::StringRef s : live.roots)
    r.roots.push_back(s.str());
  for (const std::string &s : opts.keep)
    if (!link.definer(s))
      r.missingKeep.push_back(s);
  r.live = std::move(live.live);
  r.memberLive = std::move(live.objectLive);
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
    if (live.graphOf[i] && live.memberLive[i]) {
      DropCounts counts;
      plan.edits[i] = live.formatOf[i]->planDrop(*live.graphOf[i], live.live[i], counts);
      plan.sectionsRemoved += counts.removed;
      plan.sectionsEmptied += counts.emptied;
    }
  }
  return plan;
}

} // namespace slimlink
