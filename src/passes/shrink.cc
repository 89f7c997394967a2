#include "passes/shrink.h"
#include "passes/isolate.h"
#include "passes/prune.h"
#include "passes/strip.h"
#include "support/diagnostics.h"
#include "write/rewrite_object.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Parallel.h"
#include "llvm/Support/xxhash.h"

#include <map>
#include <optional>

namespace slimlink {

static std::string setTag(const InputSet &in) {
  std::string key;
  for (const Library &lib : in.libs)
    for (const Member &m : lib.members)
      key.append(reinterpret_cast<const char *>(&m.fingerprint),
                 sizeof m.fingerprint);
  return "set_" + llvm::utohexstr(llvm::xxh3_64bits(key), true).substr(0, 8);
}

// Each library's liveness, with members shared between libraries widened to
// the union of what every library needs from them.
static std::vector<PruneLiveness> unionLiveness(const InputSet &in,
                                                const ApiSpec &api) {
  std::vector<PruneLiveness> live;
  for (uint32_t l = 0; l < in.libs.size(); ++l) {
    live.push_back(findLive(in, l, {.api = api, .keep = {}}));
    if (live.back().roots.empty())
      throw UserError(in.libs[l].path + ": no API symbol found; name it with "
                                        "--api or --api-regex");
  }
  std::map<uint32_t, std::pair<std::vector<bool>, bool>> byContent;
  for (uint32_t l = 0; l < in.libs.size(); ++l)
    for (uint32_t i = 0; i < in.libs[l].members.size(); ++i) {
      if (!live[l].graphOf[i])
        continue;
      auto &[sections, memberLive] = byContent[in.libs[l].members[i].content];
      sections.resize(live[l].live[i].size());
      for (size_t s = 0; s < sections.size(); ++s)
        sections[s] = sections[s] || live[l].live[i][s];
      memberLive = memberLive || live[l].memberLive[i];
    }
  for (uint32_t l = 0; l < in.libs.size(); ++l)
    for (uint32_t i = 0; i < in.libs[l].members.size(); ++i)
      if (live[l].graphOf[i]) {
        auto &u = byContent[in.libs[l].members[i].content];
        live[l].live[i] = u.first;
        live[l].memberLive[i] = u.second;
      }
  return live;
}

// Symbols that libraries define strongly with different code need different
// private names per group of libraries, or the set would not link. Libraries
// whose definitions are the same (identical members, or members defining the
// same globals, like the allocator shims) form one group and share a name, so
// a std they share keeps identical bytes. Weak definitions (COMDAT copies
// such as DW.ref.rust_eh_personality) and COFF's selectany ones never
// clash: a linker keeps one.
// Returns symbol -> per-library group number (0: the plain set name).
static llvm::StringMap<std::vector<int>> nameGroups(const InputSet &in) {
  struct Def {
    uint32_t content;
    std::vector<llvm::StringRef> neighbours;
  };
  size_t n = in.libs.size();
  llvm::StringMap<std::vector<std::optional<Def>>> defs; // [symbol][lib]
  for (uint32_t l = 0; l < n; ++l)
    for (const Member &m : in.libs[l].members) {
      std::vector<llvm::StringRef> names;
      for (const Symbol &s : m.symbols)
        if (s.defined)
          names.push_back(s.name);
      llvm::sort(names);
      for (const Symbol &s : m.symbols)
        if (s.defined && !s.weak && !s.mergeable) {
          auto &perLib = defs[s.name];
          perLib.resize(n);
          if (!perLib[l]) // the first definition in a library is the one linked
            perLib[l] = Def{m.content, names};
        }
    }
  llvm::StringMap<std::vector<int>> out;
  for (const auto &kv : defs) {
    std::vector<const Def *> reps; // one definition per group
    std::vector<int> group(n, 0);
    for (uint32_t l = 0; l < n; ++l) {
      const auto &d = kv.second[l];
      if (!d)
        continue;
      size_t g = 0;
      while (g < reps.size() && reps[g]->content != d->content &&
             reps[g]->neighbours != d->neighbours)
        ++g;
      if (g == reps.size())
        reps.push_back(&*d);
      group[l] = g;
    }
    if (reps.size() > 1)
      out[kv.getKey()] = std::move(group);
  }
  return out;
}

ShrinkResult planShrink(const InputSet &in, const ShrinkOptions &opts) {
  ShrinkResult r;
  r.tag = opts.tag.empty() ? setTag(in) : opts.tag;
  std::vector<PruneLiveness> live = unionLiveness(in, opts.api);

  // Private names: one tag for the set, one per group of libraries where
  // definitions differ.
  llvm::StringSet<> api;
  llvm::StringMap<std::vector<int>> groups = nameGroups(in);
  for (const Library &lib : in.libs)
    for (llvm::StringRef s : apiSymbols(lib, opts.api))
      api.insert(s);
  r.apiSymbols = api.size();
  r.renames.resize(in.libs.size());
  std::vector<std::vector<std::string>> weaken(in.libs.size());
  for (uint32_t l = 0; l < in.libs.size(); ++l) {
    weaken[l] = sharedRoutines(in.libs[l]);
    llvm::StringSet<> kept;
    for (const std::string &s : weaken[l])
      kept.insert(s);
    for (const auto &kv : fixedNames(in.libs[l]))
      kept.insert(kv.getKey());
    for (const Member &m : in.libs[l].members)
      for (const Symbol &s : m.symbols)
        if (s.defined && !api.contains(s.name) && !kept.contains(s.name)) {
          std::string name = (s.name + ".slimlink." + r.tag).str();
          auto g = groups.find(s.name);
          if (g != groups.end() && g->second[l] > 0)
            name += "." + std::to_string(g->second[l]);
          r.renames[l].try_emplace(s.name, name);
        }
  }
  for (const auto &kv : groups)
    r.perLibrarySymbols += !api.contains(kv.getKey());

  // Per member: prune's edit + strip's + the library's names.
  ObjectEdit strip = planStrip({.keepDebug = opts.keepDebug});
  std::vector<PrunePlan> prune;
  std::vector<RewriteJob> jobs;
  std::vector<std::vector<int>> jobOf(in.libs.size());
  for (uint32_t l = 0; l < in.libs.size(); ++l)
    prune.push_back(planPrune(live[l]));
  for (uint32_t l = 0; l < in.libs.size(); ++l) {
    const auto &members = in.libs[l].members;
    jobOf[l].assign(members.size(), -1);
    for (uint32_t i = 0; i < members.size(); ++i) {
      if (!prune[l].memberLive[i] || members[i].kind != MemberKind::Object)
        continue;
      ObjectEdit &e = prune[l].edits[i];
      e.stripDebug = strip.stripDebug;
      e.stripBitcode = strip.stripBitcode;
      e.stripComments = strip.stripComments;
      // ObjCopy matches removals against the new names, localizations
      // against the old: name both.
      for (auto *list : {&e.removeSymbols, &e.localizeSymbols}) {
        size_t n = list->size();
        for (size_t k = 0; k < n; ++k)
          if (auto it = r.renames[l].find((*list)[k]); it != r.renames[l].end())
            list->push_back(it->second);
      }
      e.renames = &r.renames[l];
      e.weakenSymbols = weaken[l];
      jobOf[l][i] = jobs.size();
      jobs.push_back({{l, i}, &e});
    }
  }
  r.bytes = rewriteObjects(in, jobs);

  // The rewritten libraries, read back into the model, then dedup.
  for (uint32_t l = 0; l < in.libs.size(); ++l) {
    Library lib;
    lib.path = in.libs[l].path;
    lib.kind = in.libs[l].kind;
    lib.fileSize = in.libs[l].fileSize;
    for (uint32_t i = 0; i < in.libs[l].members.size(); ++i) {
      if (!prune[l].memberLive[i])
        continue;
      Member m;
      const Member &old = in.libs[l].members[i];
      m.name = old.name;
      m.offset = old.offset;
      m.data = jobOf[l][i] >= 0 ? llvm::StringRef(r.bytes[jobOf[l][i]]) : old.data;
      lib.members.push_back(std::move(m));
    }
    r.out.libs.push_back(std::move(lib));
  }
  std::vector<Member *> all;
  for (Library &lib : r.out.libs)
    for (Member &m : lib.members)
      all.push_back(&m);
  std::vector<std::string> errors(all.size());
  llvm::parallelFor(0, all.size(), [&](size_t k) { errors[k] = readMember(*all[k]); });
  for (size_t k = 0; k < all.size(); ++k)
    if (!errors[k].empty())
      throw UserError("internal error: rewritten member '" + all[k]->name +
                      "' does not read back: " + errors[k]);
  assignContents(r.out);
  r.dedup = planDedup(r.out, {});
  for (const auto &m : r.renames)
    r.privateSymbols += m.size();
  return r;
}

} // namespace slimlink
