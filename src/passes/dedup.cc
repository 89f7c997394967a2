#include "passes/dedup.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

namespace slimlink {

static bool dropped(const Member &m, const DedupOptions &opts) {
  return opts.dropNonObjects && m.kind == MemberKind::Other;
}

// COFF import objects stay in the library they came from, even when several
// libraries hold the same one: a few dozen bytes each, and each library
// stays self-contained (a common member that needs one still gets a
// fallback copy, as for any other back-reference).
static bool shareable(const Member &m) { return m.kind != MemberKind::Import; }

// Adds to `plan.common` a copy of each slim member that defines a symbol some
// common member references but no common member defines, until closed.
static void resolveBackReferences(const InputSet &in, DedupPlan &plan) {
  llvm::DenseSet<llvm::StringRef> definedInCommon;
  auto addDefined = [&](const Member &m) {
    for (const Symbol &s : m.symbols)
      if (s.defined)
        definedInCommon.insert(s.name);
  };
  for (MemberRef r : plan.common)
    addDefined(in.at(r));

  // The first slim member, in input order, that defines each symbol: that is
  // the copy a link against the original libraries in this order would use.
  llvm::DenseMap<llvm::StringRef, MemberRef> slimDefiner;
  for (const auto &slim : plan.slim)
    for (MemberRef r : slim)
      for (const Symbol &s : in.at(r).symbols)
        if (s.defined)
          slimDefiner.try_emplace(s.name, r);

  // plan.common grows while we walk it: fallback copies have references too.
  for (size_t k = 0; k < plan.common.size(); ++k) {
    MemberRef user = plan.common[k];
    for (const Symbol &s : in.at(user).symbols) {
      // Weak references never pull a member out of an archive.
      if (s.defined || s.weak || definedInCommon.contains(s.name))
        continue;
      auto it = slimDefiner.find(s.name);
      if (it == slimDefiner.end())
        continue; // defined outside these libraries (libc, the host, ...)
      MemberRef definer = it->second;
      plan.backrefs.push_back({s.name, user, definer});
      plan.common.push_back(definer);
      addDefined(in.at(definer));
    }
  }
}

DedupPlan planDedup(const InputSet &in, const DedupOptions &opts) {
  // How many distinct inputs hold each content.
  size_t n = in.contents.size();
  std::vector<uint32_t> inputs(n, 0), lastLib(n, UINT32_MAX);
  for (uint32_t l = 0; l < in.libs.size(); ++l)
    for (const Member &m : in.libs[l].members)
      if (lastLib[m.content] != l) {
        lastLib[m.content] = l;
        ++inputs[m.content];
      }

  DedupPlan plan;
  plan.slim.resize(in.libs.size());
  plan.moved.resize(in.libs.size());
  for (uint32_t c = 0; c < n; ++c)
    if (inputs[c] >= 2 && !dropped(in.at(in.contents[c]), opts) &&
        shareable(in.at(in.contents[c])))
      plan.common.push_back(in.contents[c]);
  plan.sharedCount = plan.common.size();

  for (uint32_t l = 0; l < in.libs.size(); ++l) {
    const auto &members = in.libs[l].members;
    plan.moved[l].resize(members.size());
    for (uint32_t i = 0; i < members.size(); ++i) {
      if (dropped(members[i], opts))
        ++plan.dropped;
      else if (inputs[members[i].content] >= 2 && shareable(members[i]))
        plan.moved[l][i] = true;
      else
        plan.slim[l].push_back({l, i});
    }
  }
  resolveBackReferences(in, plan);
  return plan;
}

std::vector<MemberRef> planMerge(const InputSet &in, const DedupOptions &opts) {
  std::vector<MemberRef> out;
  for (MemberRef r : in.contents)
    if (!dropped(in.at(r), opts))
      out.push_back(r);
  return out;
}

BasePlan planAgainstBase(const InputSet &in, size_t baseCount,
                         const DedupOptions &opts) {
  BasePlan p;
  p.baseCount = baseCount;
  std::vector<bool> inBase(in.contents.size());
  llvm::StringSet<> baseDefines;
  for (uint32_t l = 0; l < baseCount; ++l)
    for (const Member &m : in.libs[l].members) {
      inBase[m.content] = true;
      for (const Symbol &s : m.symbols)
        if (s.defined)
          baseDefines.insert(s.name);
    }
  p.inBase.resize(in.libs.size());
  llvm::StringMap<MemberRef> slimDefiner; // first definition after the bases
  for (uint32_t l = 0; l < in.libs.size(); ++l) {
    const auto &members = in.libs[l].members;
    p.inBase[l].resize(members.size());
    if (l >= baseCount)
      p.slim.emplace_back();
    for (uint32_t i = 0; i < members.size(); ++i) {
      const Member &m = members[i];
      p.inBase[l][i] = inBase[m.content];
      if (l < baseCount || (inBase[m.content] && shareable(m)))
        continue;
      if (dropped(m, opts))
        continue;
      p.slim.back().push_back({l, i});
      for (const Symbol &s : m.symbols)
        if (s.defined)
          slimDefiner.try_emplace(s.name, MemberRef{l, i});
    }
  }
  for (uint32_t l = 0; l < baseCount; ++l)
    for (uint32_t i = 0; i < in.libs[l].members.size(); ++i)
      for (const Symbol &s : in.libs[l].members[i].symbols)
        if (!s.defined && !s.weak && !baseDefines.contains(s.name))
          if (auto it = slimDefiner.find(s.name); it != slimDefiner.end())
            p.backrefs.push_back({s.name, {l, i}, it->second});
  return p;
}

} // namespace slimlink
