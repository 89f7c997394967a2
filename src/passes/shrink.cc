// shrink works per distinct member, not per copy: a set of N Rust staticlibs
// is mostly N copies of one std, and each copy needs the same graph, the
// same edit and the same new bytes. What differs between copies is only
// which names their library renames, so a rewrite job is keyed by (content,
// the names it would give), and each job runs once however many libraries
// hold it.
#include "passes/shrink.h"
#include "passes/isolate.h"
#include "passes/strip.h"
#include "support/diagnostics.h"

#include "llvm/ADT/APInt.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Parallel.h"
#include "llvm/Support/xxhash.h"

#include <exception>
#include <map>

namespace slimlink {

static std::string setTag(const InputSet &in) {
  std::string key;
  for (const Library &lib : in.libs)
    for (const Member &m : lib.members)
      key.append(reinterpret_cast<const char *>(&m.fingerprint),
                 sizeof m.fingerprint);
  return "set_" + llvm::utohexstr(llvm::xxh3_64bits(key), true).substr(0, 8);
}

namespace {

// Every name some member of the set defines, numbered once; per content,
// the numbers of the names it defines and of all the names it mentions.
struct DefinedNames {
  llvm::StringMap<uint32_t> id;
  std::vector<llvm::StringRef> names;
  std::vector<std::vector<uint32_t>> defines, mentions; // [content]

  explicit DefinedNames(const InputSet &in) {
    size_t n = in.contents.size();
    defines.resize(n);
    mentions.resize(n);
    for (uint32_t c = 0; c < n; ++c)
      for (const Symbol &s : in.at(in.contents[c]).symbols)
        if (s.defined) {
          auto [it, added] = id.try_emplace(s.name, names.size());
          if (added)
            names.push_back(s.name);
          defines[c].push_back(it->second);
        }
    for (uint32_t c = 0; c < n; ++c)
      for (const Symbol &s : in.at(in.contents[c]).symbols)
        if (auto it = id.find(s.name); it != id.end())
          mentions[c].push_back(it->second);
  }
};

// Which names one library defines, for one library at a time: a stamp per
// name instead of a set per library, so memory does not grow with copies.
struct DefinedHere {
  std::vector<uint32_t> stamp;
  uint32_t current = 0;

  void start(const InputSet &in, const DefinedNames &names, uint32_t lib) {
    stamp.resize(names.names.size());
    current = lib + 1;
    for (const Member &m : in.libs[lib].members)
      for (uint32_t id : names.defines[m.content])
        stamp[id] = current;
  }
  bool contains(uint32_t id) const { return stamp[id] == current; }
};

// Symbols that libraries define strongly with different code need different
// private names per group of libraries, or the set would not link. Libraries
// whose definitions are the same (identical members, or members defining the
// same globals, like the allocator shims) form one group and share a name, so
// a std they share keeps identical bytes. Weak definitions (COMDAT copies
// such as DW.ref.rust_eh_personality) and COFF's selectany ones never
// clash: a linker keeps one.
struct NameGroups {
  // Per name: the libraries in group > 0, in library order (group 0, the
  // plain set name, is everyone else); empty for most names.
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> others;

  NameGroups(const InputSet &in, const DefinedNames &names) {
    // Members whose defined names are the same define "the same thing":
    // one class per distinct sorted list of defined names.
    size_t n = in.contents.size();
    std::vector<uint32_t> classOf(n);
    std::map<std::vector<llvm::StringRef>, uint32_t> classes;
    for (uint32_t c = 0; c < n; ++c) {
      std::vector<llvm::StringRef> defined;
      for (uint32_t id : names.defines[c])
        defined.push_back(names.names[id]);
      llvm::sort(defined);
      classOf[c] = classes.try_emplace(std::move(defined), classes.size())
                       .first->second;
    }
    std::vector<std::vector<uint32_t>> seen(names.names.size()); // classes, in order
    others.resize(names.names.size());
    std::vector<uint32_t> firstIn(names.names.size(), 0); // stamp: lib + 1
    for (uint32_t l = 0; l < in.libs.size(); ++l)
      for (const Member &m : in.libs[l].members)
        for (const Symbol &s : m.symbols) {
          if (!s.defined || s.weak || s.mergeable)
            continue;
          uint32_t id = names.id.find(s.name)->second;
          if (firstIn[id] == l + 1) // the first definition in a library is the one linked
            continue;
          firstIn[id] = l + 1;
          auto &cls = seen[id];
          uint32_t g = llvm::find(cls, classOf[m.content]) - cls.begin();
          if (g == cls.size())
            cls.push_back(classOf[m.content]);
          if (g > 0)
            others[id].push_back({l, g});
        }
  }

  uint32_t groupOf(uint32_t id, uint32_t lib) const {
    const auto &o = others[id];
    auto it = llvm::lower_bound(o, std::make_pair(lib, 0u));
    return it != o.end() && it->first == lib ? it->second : 0;
  }
};

// What each distinct member holds of the names isolate's rules keep
// (passes/isolate.h), read once: [content].
static std::vector<MemberFixedNames> fixedNamesByContent(const InputSet &in) {
  std::vector<MemberFixedNames> out(in.contents.size());
  llvm::parallelFor(0, out.size(), [&](size_t c) {
    out[c] = fixedNamesOf(in.at(in.contents[c]));
  });
  return out;
}

} // namespace

// What stays of each distinct member after prune (and strip): what each
// library's API reaches, with members shared between libraries widened to
// the union of what every library needs from them.
struct SetLiveness {
  const SetGraphs &graphs;
  std::vector<std::vector<bool>> sections; // [content][section]
  std::vector<bool> members;               // [content]
  bool keepDebug = false;                  // and debug info stays
};

// Adds library `l`'s liveness to the set's (sections and members any
// library keeps).
static void addLive(const InputSet &in, uint32_t l, const PruneLiveness &one,
                    SetLiveness &live) {
  if (one.roots.empty())
    throw UserError(in.libs[l].path + ": no API symbol found; name it with "
                                      "--api or --api-regex");
  for (uint32_t i = 0; i < in.libs[l].members.size(); ++i) {
    if (!one.graphOf[i])
      continue;
    uint32_t c = in.libs[l].members[i].content;
    auto &sections = live.sections[c];
    sections.resize(one.live[i].size());
    for (size_t s = 0; s < sections.size(); ++s)
      sections[s] = sections[s] || one.live[i][s];
    live.members[c] = live.members[c] || one.memberLive[i];
  }
}

static SetLiveness unionLiveness(const InputSet &in, const ApiSpec &api,
                                 const SetGraphs &graphs, bool keepDebug) {
  SetLiveness live{.graphs = graphs,
                   .sections = std::vector<std::vector<bool>>(in.contents.size()),
                   .members = std::vector<bool>(in.contents.size()),
                   .keepDebug = keepDebug};
  // Each library's link is walked on its own, a few at a time in parallel
  // (a batch bounds the memory their results hold); the union is taken in
  // input order, so the first library without an API is the one named.
  const uint32_t batch = 8;
  std::vector<PruneLiveness> ones(batch);
  std::vector<std::exception_ptr> errors(batch);
  for (uint32_t first = 0; first < in.libs.size(); first += batch) {
    uint32_t n = std::min<uint32_t>(batch, in.libs.size() - first);
    llvm::parallelFor(0, n, [&](size_t k) {
      try {
        ones[k] = findLive(in, first + k, {.api = api, .keep = {}}, &graphs);
      } catch (...) {
        errors[k] = std::current_exception();
      }
    });
    for (uint32_t k = 0; k < n; ++k) {
      if (errors[k])
        std::rethrow_exception(errors[k]);
      addLive(in, first + k, ones[k], live);
    }
  }
  return live;
}

// Private symbols that can become local: a strong definition in one
// distinct member, which nothing that stays in the set names otherwise (a
// reference from code prune drops does not count). Nothing outside that
// member can bind to it, so the linker needs neither the name nor an index
// entry. Not where some member's references are unknown (bare bitcode), nor
// for names that stay fixed, nor in formats whose edge cannot localize.
static std::vector<bool> localizable(const InputSet &in, const DefinedNames &names,
                                     const std::vector<bool> &isApi,
                                     const std::vector<MemberFixedNames> &fixed,
                                     const SetLiveness &live) {
  size_t n = names.names.size();
  std::vector<bool> out(n);
  for (const Library &lib : in.libs)
    for (const Member &m : lib.members)
      if (m.kind == MemberKind::Bitcode)
        return out;
  std::vector<uint8_t> definers(n); // distinct members that define it strongly, up to 2
  std::vector<bool> named(n), fixedName(n);
  auto name = [&](llvm::StringRef s) -> int64_t {
    auto it = names.id.find(s);
    return it == names.id.end() ? int64_t(-1) : int64_t(it->second);
  };
  for (uint32_t c = 0; c < in.contents.size(); ++c) {
    const Member &m = in.at(in.contents[c]);
    const ObjectFormat *f = m.kind == MemberKind::Object ? formatOf(m) : nullptr;
    bool canLocalize = f && f->canLocalize();
    for (const Symbol &s : m.symbols)
      if (int64_t id = name(s.name); id >= 0 && s.defined) {
        if (s.weak || s.mergeable || !canLocalize)
          named[id] = true; // stays global
        else
          definers[id] = std::min(definers[id] + 1, 2);
      } else if (id >= 0 && !live.graphs.byContent[c]) {
        named[id] = true; // not an object we can read: count every reference
      }
    for (const auto *list : {&fixed[c].capped, &fixed[c].fixed})
      for (const std::string &s : *list)
        if (int64_t id = name(s); id >= 0)
          fixedName[id] = true;
    // References that stay: relocations in sections prune keeps (and in
    // debug info when it stays too).
    const ObjectGraph *g = live.graphs.byContent[c];
    if (!g || !live.members[c])
      continue;
    for (const GraphReloc &r : g->relocs) {
      const GraphSymbol &sym = g->symbols[r.symbol];
      if (sym.section >= 0 || sym.sectionSymbol)
        continue;
      bool stays = live.sections[c][r.from] || (live.keepDebug && !g->sections[r.from].alloc);
      if (int64_t id = name(sym.name); stays && id >= 0)
        named[id] = true;
    }
  }
  for (uint32_t id = 0; id < n; ++id)
    out[id] = definers[id] == 1 && !named[id] && !isApi[id] && !fixedName[id];
  return out;
}

ShrinkPlan planShrink(const InputSet &in, const SetGraphs &graphs,
                      const ShrinkOptions &opts) {
  ShrinkPlan r;
  r.tag = opts.tag.empty() ? setTag(in) : opts.tag;
  SetLiveness live = unionLiveness(in, opts.api, graphs, opts.keepDebug);

  // Prune's edit per distinct object, plus strip's.
  ObjectEdit strip = planStrip({.keepDebug = opts.keepDebug});
  std::vector<ObjectEdit> pruneEdit(in.contents.size());
  llvm::parallelFor(0, in.contents.size(), [&](size_t c) {
    if (!graphs.byContent[c] || !live.members[c])
      return;
    DropCounts counts;
    const ObjectFormat *format = formatOf(in.at(in.contents[c]));
    ObjectEdit &e = pruneEdit[c] =
        format->planDrop(*graphs.byContent[c], live.sections[c], counts);
    e.stripDebug = strip.stripDebug;
    e.stripBitcode = strip.stripBitcode;
    e.stripComments = strip.stripComments;
  });

  // Private names: one tag for the set, one per group of libraries where
  // definitions differ.
  llvm::StringSet<> api;
  for (const Library &lib : in.libs)
    for (llvm::StringRef s : apiSymbols(lib, opts.api))
      api.insert(s);
  r.apiSymbols = api.size();
  DefinedNames names(in);
  NameGroups groups(in, names);
  std::vector<MemberFixedNames> fixed = fixedNamesByContent(in);
  std::vector<bool> isApi(names.names.size());
  for (uint32_t id = 0; id < names.names.size(); ++id)
    isApi[id] = api.contains(names.names[id]);
  std::vector<bool> local = localizable(in, names, isApi, fixed, live);
  for (uint32_t id = 0; id < names.names.size(); ++id)
    r.perLibrarySymbols += !groups.others[id].empty() && !isApi[id];

  // Rewrites: one per (content, the names its library gives it, what it
  // weakens).
  std::map<std::string, uint32_t> rewriteOfKey;
  DefinedHere here;
  // NAME.slimlink.TAG[.GROUP], or TAG_<name number>[_GROUP] in base 36.
  auto privateName = [&](uint32_t id, uint32_t group) {
    if (opts.keepNames)
      return names.names[id].str() +
             privateSuffix(group ? r.tag + "." + std::to_string(group) : r.tag);
    std::string name = r.tag + "_" + llvm::toString(llvm::APInt(32, id), 36, false);
    if (group)
      name += "_" + std::to_string(group);
    return name;
  };
  for (uint32_t l = 0; l < in.libs.size(); ++l) {
    const auto &members = in.libs[l].members;
    here.start(in, names, l);
    LibraryFixedNames fixedHere = fixedNamesIn(
        in.libs[l], [&](uint32_t i) -> const MemberFixedNames & {
          return fixed[members[i].content];
        });
    const std::vector<std::string> &weaken = fixedHere.weaken;
    const llvm::StringSet<> &kept = fixedHere.kept;
    // The name library l gives name `id`: 0 keeps it, else 1 + its group.
    auto nameIn = [&](uint32_t id) -> uint32_t {
      if (!here.contains(id) || isApi[id] || local[id] ||
          (!kept.empty() && kept.contains(names.names[id])))
        return 0;
      return 1 + groups.groupOf(id, l);
    };
    for (uint32_t id = 0; id < names.names.size(); ++id)
      r.privateSymbols += here.contains(id) && nameIn(id);
    std::vector<ShrinkMember> &plans = r.members.emplace_back(members.size());
    for (uint32_t i = 0; i < members.size(); ++i) {
      uint32_t c = members[i].content;
      // Members that are not objects are none of prune's business: kept.
      if (members[i].kind != MemberKind::Object)
        continue;
      plans[i].keep = live.members[c];
      if (!plans[i].keep)
        continue;
      std::string key(reinterpret_cast<const char *>(&c), sizeof c);
      for (uint32_t id : names.mentions[c]) {
        uint32_t v = nameIn(id);
        key.append(reinterpret_cast<const char *>(&v), sizeof v);
      }
      for (const std::string &w : weaken)
        key += '\0' + w;
      auto [it, added] = rewriteOfKey.try_emplace(std::move(key), r.rewrites.size());
      plans[i].rewrite = it->second;
      ++r.objectCopies;
      if (!added)
        continue;
      ShrinkRewrite &job = r.rewrites.emplace_back();
      for (uint32_t id : names.mentions[c])
        if (uint32_t v = nameIn(id))
          job.renames.try_emplace(names.names[id], privateName(id, v - 1));
      ObjectEdit &e = job.edit = pruneEdit[c];
      for (uint32_t id : names.defines[c])
        if (local[id] && !kept.contains(names.names[id]))
          e.localizeSymbols.push_back(names.names[id].str());
      e.shortNames = !opts.keepNames;
      // ObjCopy matches removals against the new names, localizations
      // against the old: name both.
      for (auto *list : {&e.removeSymbols, &e.localizeSymbols}) {
        size_t n = list->size();
        for (size_t k = 0; k < n; ++k)
          if (auto it = job.renames.find((*list)[k]); it != job.renames.end())
            list->push_back(it->second);
      }
      e.weakenSymbols = weaken;
    }
  }
  for (uint32_t id = 0; id < names.names.size(); ++id)
    r.localizedSymbols += local[id];
  if (!opts.keepNames) {
    std::map<std::string, llvm::StringRef> byShort;
    for (const ShrinkRewrite &job : r.rewrites)
      for (const auto &kv : job.renames)
        byShort.try_emplace(kv.getValue(), kv.getKey());
    for (const auto &[to, from] : byShort)
      r.shortNames.push_back({to, from.str()});
  }

  return r;
}

} // namespace slimlink
