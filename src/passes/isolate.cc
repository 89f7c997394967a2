#include "passes/isolate.h"
#include "formats/format.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/xxhash.h"

namespace slimlink {

// Deterministic and different for different libraries: the crate name, for
// people reading symbol tables, and a hash of the members' fingerprints, so
// two builds of one crate (say, two profiles) still get different names.
static std::string defaultTag(const Library &lib) {
  std::string key;
  for (const Member &m : lib.members)
    key.append(reinterpret_cast<const char *>(&m.fingerprint),
               sizeof m.fingerprint);
  uint64_t h = llvm::xxh3_64bits(key);
  std::string crate;
  for (char c : ownCrateOf(lib))
    crate += llvm::isAlnum(c) ? c : '_';
  return crate + "_" + llvm::utohexstr(h, /*LowerCase=*/true).substr(0, 8);
}

MemberFixedNames fixedNamesOf(const Member &m) {
  MemberFixedNames out;
  // A DLL's symbols: the import objects that define them stay as they are.
  if (m.kind == MemberKind::Import)
    for (const Symbol &s : m.symbols)
      out.fixed.push_back(s.name.str());
  if (m.kind == MemberKind::Object)
    if (const ObjectFormat *f = formatOf(m)) {
      out.capped = f->cappedRoutines(m);
      out.fixed = f->directiveSymbols(m);
    }
  return out;
}

std::vector<std::string> sharedRoutines(const Library &lib,
                                        const std::vector<MemberFixedNames> &names) {
  llvm::StringSet<> named, defined;
  for (size_t i = 0; i < lib.members.size(); ++i) {
    const Member &m = lib.members[i];
    if (m.kind != MemberKind::Object)
      continue;
    for (const Symbol &s : m.symbols)
      if (s.defined)
        defined.insert(s.name);
    for (const std::string &name : names[i].capped)
      named.insert(name);
  }
  std::vector<std::string> out;
  for (const auto &kv : named)
    if (defined.contains(kv.getKey()))
      out.push_back(kv.getKey().str());
  llvm::sort(out); // StringSet's order is a hash's
  return out;
}

llvm::StringSet<> fixedNames(const std::vector<MemberFixedNames> &names) {
  llvm::StringSet<> out;
  for (const MemberFixedNames &n : names)
    for (const std::string &name : n.fixed)
      out.insert(name);
  return out;
}

IsolatePlan planIsolate(const Library &lib, const IsolateOptions &opts) {
  IsolatePlan plan;
  plan.tag = opts.tag.empty() ? defaultTag(lib) : opts.tag;
  plan.api = apiSymbols(lib, opts.api);
  llvm::StringSet<> api;
  for (llvm::StringRef s : plan.api)
    api.insert(s);
  // Each member read once for both kinds of fixed names.
  std::vector<MemberFixedNames> names;
  for (const Member &m : lib.members)
    names.push_back(fixedNamesOf(m));
  plan.weaken = sharedRoutines(lib, names);
  for (const std::string &s : plan.weaken)
    api.insert(s);
  for (const auto &kv : fixedNames(names))
    api.insert(kv.getKey());
  std::string suffix = ".slimlink." + plan.tag;
  for (const Member &m : lib.members)
    for (const Symbol &s : m.symbols)
      if (s.defined && !api.contains(s.name))
        plan.renames.try_emplace(s.name, (s.name + suffix).str());
  return plan;
}

} // namespace slimlink
