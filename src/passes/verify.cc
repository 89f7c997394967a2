#include "passes/verify.h"
#include "formats/format.h"
#include "passes/set_link.h"

#include "llvm/Support/Parallel.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <map>
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
  case VerifyProblem::TooManyPersonalities:
    return "too-many-personalities";
  }
  return "?";
}

// The capped routines (formats/format.h) a set's objects name, and the
// libraries that name each. A routine is a name: copies that keep one name
// are one routine once linked.
static std::map<std::string, std::set<std::string>>
cappedRoutinesOf(const InputSet &set) {
  std::map<std::string, std::set<std::string>> out;
  for (const Library &lib : set.libs)
    for (const Member &m : lib.members)
      if (m.kind == MemberKind::Object)
        if (const ObjectFormat *f = formatOf(m))
          for (std::string &name : f->cappedRoutines(m))
            out[name].insert(lib.path);
  return out;
}

// Compact unwind's personality index has 2 bits, 0 meaning none.
constexpr size_t kMaxPersonalities = 3;

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
struct StartStopRef {
  llvm::StringRef section; // SEC
  std::set<std::string> libs;
};
static llvm::StringMap<StartStopRef> startStopRefs(const InputSet &set) {
  llvm::StringSet<> defined = definedIn(set);
  llvm::StringMap<StartStopRef> out;
  for (const Library &lib : set.libs)
    for (const Member &m : lib.members) {
      const ObjectFormat *format = formatOf(m);
      if (!format)
        continue;
      for (const Symbol &s : m.symbols)
        if (!s.defined && !defined.contains(s.name))
          if (llvm::StringRef sec = format->boundedSection(s.name); !sec.empty()) {
            StartStopRef &ref = out[s.name];
            ref.section = sec;
            ref.libs.insert(lib.path);
          }
    }
  return out;
}

// Bytes of the sections named each of `tables` that a program calling
// `roots` links from the set: what the linker puts between __start_SEC and
// __stop_SEC.
static llvm::StringMap<uint64_t> linkedTables(const InputSet &set,
                                              llvm::ArrayRef<llvm::StringRef> roots,
                                              const llvm::StringSet<> &tables) {
  SetLink s = readSetLink(set);
  Liveness live = computeLiveness(*s.link, roots);
  llvm::StringMap<uint64_t> bytes;
  for (uint32_t o = 0; o < s.link->objectCount(); ++o)
    for (uint32_t k = 0; k < live.live[o].size(); ++k) {
      const GraphSection &sec = s.link->graph(o)->sections[k];
      if (live.live[o][k] && tables.contains(sec.name))
        bytes[sec.name] += std::max(sec.fileSize, sec.vmSize);
    }
  return bytes;
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
        if (s.defined && !s.weak && !s.mergeable)
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
  // Registries: the table a program calling the API links must hold what
  // it held with the inputs. A table whose sections are all gone fails to
  // link (or, weak, comes out empty); one that lost some entries links and
  // quietly misses them.
  auto refs = startStopRefs(after);
  if (!refs.empty()) {
    llvm::StringSet<> names;
    for (const auto &kv : refs)
      names.insert(kv.second.section);
    std::vector<llvm::StringRef> roots = apiRoots(before, spec);
    llvm::StringMap<uint64_t> had = linkedTables(before, roots, names);
    llvm::StringMap<uint64_t> has = linkedTables(after, roots, names);
    for (const auto &kv : refs) {
      llvm::StringRef sec = kv.second.section;
      if (had.lookup(sec) > has.lookup(sec))
        r.problems.push_back({VerifyProblem::MissingStartStopSection,
                              kv.getKey().str(),
                              {kv.second.libs.begin(), kv.second.libs.end()}});
    }
  }
  auto hadCapped = cappedRoutinesOf(before), hasCapped = cappedRoutinesOf(after);
  if (hasCapped.size() > kMaxPersonalities && hasCapped.size() > hadCapped.size())
    for (const auto &[name, libs] : hasCapped)
      if (!hadCapped.count(name))
        r.problems.push_back({VerifyProblem::TooManyPersonalities, name,
                              {libs.begin(), libs.end()}});
  std::sort(r.problems.begin(), r.problems.end(), [](auto &a, auto &b) {
    return std::tie(a.kind, a.symbol) < std::tie(b.kind, b.symbol);
  });
  return r;
}

} // namespace slimlink
