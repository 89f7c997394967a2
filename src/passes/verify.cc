#include "passes/verify.h"
#include "formats/format.h"
#include "passes/liveness.h"

#include "llvm/Support/Parallel.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <set>

namespace slimlink {

const char *kindName(VerifyProblem::Kind k) {
  switch (k) {
  case VerifyProblem::MissingApi:
    return "missing-api";
  case VerifyProblem::NewUndefined:
    return "new-undefined";
  case VerifyProblem::DuplicateStrong:
    return "duplicate-strong";
  case VerifyProblem::MissingStartStopSection:
    return "missing-start-stop-section";
  }
  return "?";
}

static llvm::StringSet<> definedIn(const InputSet &set) {
  llvm::StringSet<> defined;
  for (const Library &lib : set.libs)
    for (const Member &m : lib.members)
      for (const Symbol &s : m.symbols)
        if (s.defined)
          defined.insert(s.name);
  return defined;
}

// Strong references that nothing in the set defines, with who makes them.
static llvm::StringMap<std::set<std::string>> unresolved(const InputSet &set) {
  llvm::StringSet<> defined = definedIn(set);
  llvm::StringMap<std::set<std::string>> out;
  for (const Library &lib : set.libs)
    for (const Member &m : lib.members)
      for (const Symbol &s : m.symbols)
        if (!s.defined && !s.weak && !defined.contains(s.name))
          out[s.name].insert(lib.path);
  return out;
}

// __start_SEC/__stop_SEC references nothing in the set defines, with who
// makes them: the linker must make them, from sections named SEC.
static llvm::StringMap<std::set<std::string>> startStopRefs(const InputSet &set) {
  llvm::StringSet<> defined = definedIn(set);
  llvm::StringMap<std::set<std::string>> out;
  for (const Library &lib : set.libs)
    for (const Member &m : lib.members)
      for (const Symbol &s : m.symbols)
        if (!s.defined && !defined.contains(s.name) &&
            !startStopSection(s.name).empty())
          out[s.name].insert(lib.path);
  return out;
}

// Which of `wanted` some object of the set has a section of that name.
static llvm::StringSet<> sectionsPresent(const InputSet &set,
                                         const llvm::StringSet<> &wanted) {
  std::vector<llvm::StringSet<>> found(set.contents.size());
  llvm::parallelFor(0, set.contents.size(), [&](size_t c) {
    const Member &m = set.at(set.contents[c]);
    const ObjectFormat *format =
        m.kind == MemberKind::Object ? formatOf(m) : nullptr;
    ObjectGraph g;
    if (!format || !format->hasGraph() || !format->readGraph(m, g).empty())
      return; // what cannot be read has none (reading it is prune's check)
    for (const GraphSection &sec : g.sections)
      if (wanted.contains(sec.name))
        found[c].insert(sec.name);
  });
  llvm::StringSet<> all;
  for (const auto &f : found)
    for (const auto &kv : f)
      all.insert(kv.getKey());
  return all;
}

VerifyResult verifyLibraries(const InputSet &before, const InputSet &after,
                             const ApiSpec &spec) {
  VerifyResult r;
  llvm::StringSet<> afterDefined = definedIn(after);
  for (const Library &lib : before.libs)
    for (llvm::StringRef s : apiSymbols(lib, spec)) {
      ++r.apiSymbols;
      if (!afterDefined.contains(s))
        r.problems.push_back({VerifyProblem::MissingApi, s.str(), {lib.path}});
    }

  auto was = unresolved(before);
  for (const auto &kv : unresolved(after))
    if (!was.contains(kv.getKey()))
      r.problems.push_back({VerifyProblem::NewUndefined, kv.getKey().str(),
                            {kv.second.begin(), kv.second.end()}});

  // A strong global defined in two libraries is harmless when both defining
  // members define exactly the same globals: whichever the linker pulls first
  // satisfies every reference the other could, so the other is never pulled.
  // That covers identical members (dedup's fallback copies) and Rust's
  // per-crate allocator shims. Anything else can end in "multiple definition".
  std::vector<std::vector<std::vector<llvm::StringRef>>> defs(after.libs.size());
  for (uint32_t l = 0; l < after.libs.size(); ++l)
    for (const Member &m : after.libs[l].members) {
      std::vector<llvm::StringRef> names;
      for (const Symbol &s : m.symbols)
        if (s.defined)
          names.push_back(s.name);
      llvm::sort(names);
      defs[l].push_back(std::move(names));
    }
  // symbol -> (library, member) of each strong definition
  llvm::StringMap<std::vector<std::pair<uint32_t, uint32_t>>> strong;
  for (uint32_t l = 0; l < after.libs.size(); ++l)
    for (uint32_t i = 0; i < after.libs[l].members.size(); ++i)
      for (const Symbol &s : after.libs[l].members[i].symbols)
        if (s.defined && !s.weak)
          strong[s.name].push_back({l, i});
  for (const auto &kv : strong) {
    const auto &where = kv.second;
    const auto &first = defs[where[0].first][where[0].second];
    bool otherLib = false, otherSet = false;
    for (const auto &[l, i] : where) {
      otherLib |= l != where[0].first;
      otherSet |= defs[l][i] != first;
    }
    if (otherLib && otherSet) {
      std::set<std::string> libs;
      for (const auto &d : where)
        libs.insert(after.libs[d.first].path);
      r.problems.push_back({VerifyProblem::DuplicateStrong, kv.getKey().str(),
                            {libs.begin(), libs.end()}});
    }
  }
  // Registries: a reference the linker answers from sections that are gone
  // links with GNU ld and lld only as an error, or (weak) as an empty table.
  auto refs = startStopRefs(after);
  if (!refs.empty()) {
    llvm::StringSet<> names;
    for (const auto &kv : refs)
      names.insert(startStopSection(kv.getKey()));
    llvm::StringSet<> had = sectionsPresent(before, names);
    llvm::StringSet<> has = sectionsPresent(after, names);
    for (const auto &kv : refs) {
      llvm::StringRef sec = startStopSection(kv.getKey());
      if (had.contains(sec) && !has.contains(sec))
        r.problems.push_back({VerifyProblem::MissingStartStopSection,
                              kv.getKey().str(),
                              {kv.second.begin(), kv.second.end()}});
    }
  }
  std::sort(r.problems.begin(), r.problems.end(), [](auto &a, auto &b) {
    return std::tie(a.kind, a.symbol) < std::tie(b.kind, b.symbol);
  });
  return r;
}

} // namespace slimlink
