#include "passes/dedup.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/Parallel.h"

#include <cstring>
#include <map>

namespace slimlink {

static bool sameBytes(const Member &a, const Member &b) {
  return a.data.size() == b.data.size() &&
         (a.data.data() == b.data.data() ||
          memcmp(a.data.data(), b.data.data(), a.data.size()) == 0);
}

ContentClasses classifyContents(const std::vector<Library> &libs) {
  ContentClasses cc;
  cc.of.resize(libs.size());
  // (size, hash) -> classes with that key; more than one only on a collision.
  std::map<std::pair<uint64_t, uint64_t>, std::vector<uint32_t>> byKey;
  std::vector<MemberRef> toVerify;

  // Pass 1, sequential and cheap: assign by key, so numbering is stable.
  for (uint32_t l = 0; l < libs.size(); ++l) {
    cc.of[l].resize(libs[l].members.size());
    for (uint32_t i = 0; i < libs[l].members.size(); ++i) {
      const Member &m = libs[l].members[i];
      auto &candidates = byKey[{m.size(), m.hash}];
      if (candidates.empty()) {
        candidates.push_back(cc.first.size());
        cc.first.push_back({l, i});
      } else {
        toVerify.push_back({l, i});
      }
      cc.of[l][i] = candidates.front();
    }
  }

  // Pass 2, parallel: a full byte compare against the class's first member.
  std::vector<char> mismatch(toVerify.size());
  llvm::parallelFor(0, toVerify.size(), [&](size_t k) {
    MemberRef r = toVerify[k];
    const Member &rep = memberAt(libs, cc.first[cc.of[r.lib][r.index]]);
    mismatch[k] = !sameBytes(memberAt(libs, r), rep);
  });

  // Pass 3, sequential: hash collisions (in practice never) get their own
  // class, or join an earlier colliding class with the same bytes.
  for (size_t k = 0; k < toVerify.size(); ++k) {
    if (!mismatch[k])
      continue;
    MemberRef r = toVerify[k];
    const Member &m = memberAt(libs, r);
    auto &candidates = byKey[{m.size(), m.hash}];
    uint32_t id = UINT32_MAX;
    for (uint32_t c : candidates)
      if (sameBytes(m, memberAt(libs, cc.first[c])))
        id = c;
    if (id == UINT32_MAX) {
      id = cc.first.size();
      candidates.push_back(id);
      cc.first.push_back(r);
    }
    cc.of[r.lib][r.index] = id;
  }
  return cc;
}

static bool dropped(const Member &m, const DedupOptions &opts) {
  return opts.dropNonObjects && m.kind == MemberKind::Other;
}

// Adds to `plan.common` a copy of each slim member that defines a symbol some
// common member references but no common member defines, until closed.
static void resolveBackReferences(const std::vector<Library> &libs,
                                  DedupPlan &plan) {
  llvm::DenseSet<llvm::StringRef> definedInCommon;
  auto addDefined = [&](const Member &m) {
    for (const Symbol &s : m.symbols)
      if (s.defined)
        definedInCommon.insert(s.name);
  };
  for (MemberRef r : plan.common)
    addDefined(memberAt(libs, r));

  // The first slim member, in input order, that defines each symbol: that is
  // the copy a link against the original libraries in this order would use.
  llvm::DenseMap<llvm::StringRef, MemberRef> slimDefiner;
  for (const auto &slim : plan.slim)
    for (MemberRef r : slim)
      for (const Symbol &s : memberAt(libs, r).symbols)
        if (s.defined)
          slimDefiner.try_emplace(s.name, r);

  // plan.common grows while we walk it: fallback copies have references too.
  for (size_t k = 0; k < plan.common.size(); ++k) {
    MemberRef user = plan.common[k];
    for (const Symbol &s : memberAt(libs, user).symbols) {
      // Weak references never pull a member out of an archive.
      if (s.defined || s.weak || definedInCommon.contains(s.name))
        continue;
      auto it = slimDefiner.find(s.name);
      if (it == slimDefiner.end())
        continue; // defined outside these libraries (libc, the host, ...)
      MemberRef definer = it->second;
      plan.backrefs.push_back({s.name, user, definer});
      plan.common.push_back(definer);
      addDefined(memberAt(libs, definer));
    }
  }
}

DedupPlan planDedup(const std::vector<Library> &libs,
                    const DedupOptions &opts) {
  ContentClasses cc = classifyContents(libs);

  // How many distinct inputs hold each class.
  std::vector<uint32_t> inputs(cc.first.size(), 0), lastLib(cc.first.size(),
                                                            UINT32_MAX);
  for (uint32_t l = 0; l < libs.size(); ++l)
    for (uint32_t c : cc.of[l])
      if (lastLib[c] != l) {
        lastLib[c] = l;
        ++inputs[c];
      }

  DedupPlan plan;
  plan.slim.resize(libs.size());
  plan.moved.resize(libs.size());
  for (uint32_t c = 0; c < cc.first.size(); ++c)
    if (inputs[c] >= 2 && !dropped(memberAt(libs, cc.first[c]), opts))
      plan.common.push_back(cc.first[c]);
  plan.sharedCount = plan.common.size();

  for (uint32_t l = 0; l < libs.size(); ++l) {
    plan.moved[l].resize(libs[l].members.size());
    for (uint32_t i = 0; i < libs[l].members.size(); ++i) {
      if (dropped(libs[l].members[i], opts)) {
        ++plan.dropped;
        continue;
      }
      if (inputs[cc.of[l][i]] >= 2)
        plan.moved[l][i] = true;
      else
        plan.slim[l].push_back({l, i});
    }
  }
  resolveBackReferences(libs, plan);
  return plan;
}

std::vector<MemberRef> planMerge(const std::vector<Library> &libs,
                                 const DedupOptions &opts) {
  ContentClasses cc = classifyContents(libs);
  std::vector<MemberRef> out;
  for (MemberRef r : cc.first)
    if (!dropped(memberAt(libs, r), opts))
      out.push_back(r);
  return out;
}

} // namespace slimlink
