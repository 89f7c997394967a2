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

LibraryFixedNames fixedNamesIn(
    const Library &lib,
    llvm::function_ref<const MemberFixedNames &(uint32_t member)> namesOf) {
  LibraryFixedNames out;
  llvm::StringSet<> capped;
  for (uint32_t i = 0; i < lib.members.size(); ++i) {
    const MemberFixedNames &names = namesOf(i);
    for (const std::string &name : names.fixed)
      out.kept.insert(name);
    for (const std::string &name : names.capped)
      capped.insert(name);
  }
  if (capped.empty()) // most libraries: no need to list what they define
    return out;
  llvm::StringSet<> defined;
  for (const Member &m : lib.members)
    if (m.kind == MemberKind::Object)
      for (const Symbol &s : m.symbols)
        if (s.defined)
          defined.insert(s.name);
  for (const auto &kv : capped)
    if (defined.contains(kv.getKey()))
      out.weaken.push_back(kv.getKey().str());
  llvm::sort(out.weaken); // StringSet's order is a hash's
  for (const std::string &name : out.weaken)
    out.kept.insert(name);
  return out;
}

std::string privateSuffix(llvm::StringRef tag) { return (".slimlink." + tag).str(); }

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
  LibraryFixedNames fixed = fixedNamesIn(
      lib, [&](uint32_t i) -> const MemberFixedNames & { return names[i]; });
  plan.weaken = std::move(fixed.weaken);
  for (const auto &kv : fixed.kept)
    api.insert(kv.getKey());
  std::string suffix = privateSuffix(plan.tag);
  for (const Member &m : lib.members)
    for (const Symbol &s : m.symbols)
      if (s.defined && !api.contains(s.name))
        plan.renames.try_emplace(s.name, (s.name + suffix).str());
  return plan;
}

} // namespace slimlink
