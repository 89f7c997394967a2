#include "passes/shared_library.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringRef.h"

#include <algorithm>

namespace slimlink {

SharedLibraryPlan planSharedLibrary(const InputSet &in, const DedupPlan &plan) {
  llvm::DenseSet<llvm::StringRef> common;
  for (MemberRef r : plan.common)
    for (const Symbol &s : in.at(r).symbols)
      if (s.defined)
        common.insert(s.name);
  SharedLibraryPlan out;
  for (const std::vector<MemberRef> &slim : plan.slim) {
    // A slim library's own definitions win over the shared library's: its
    // module is linked from it first (the allocator shim each crate has).
    llvm::DenseSet<llvm::StringRef> own;
    for (MemberRef r : slim)
      for (const Symbol &s : in.at(r).symbols)
        if (s.defined)
          own.insert(s.name);
    for (MemberRef r : slim)
      for (const Symbol &s : in.at(r).symbols)
        if (!s.defined && !own.contains(s.name) && common.contains(s.name))
          out.exports.push_back(s.name.str());
  }
  std::sort(out.exports.begin(), out.exports.end());
  out.exports.erase(std::unique(out.exports.begin(), out.exports.end()),
                    out.exports.end());
  llvm::DenseSet<llvm::StringRef> exported(out.exports.begin(),
                                           out.exports.end());
  auto visit = [&](MemberRef r) {
    const Member &m = in.at(r);
    if (out.madeVisible.count(m.content))
      return;
    std::vector<std::string> names;
    for (const Symbol &s : m.symbols)
      if (s.hidden && exported.contains(s.name))
        names.push_back(s.name.str());
    if (names.empty())
      return;
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    out.madeVisible.emplace(m.content, std::move(names));
  };
  for (MemberRef r : plan.common)
    visit(r);
  for (const std::vector<MemberRef> &slim : plan.slim)
    for (MemberRef r : slim)
      visit(r);
  return out;
}

// std's codegen units are named std-<hash of the crate and the toolchain>...
static llvm::StringRef stdMember(const Library &lib) {
  for (const Member &m : lib.members)
    if (crateOfMember(m.name) == "std")
      return m.name;
  return {};
}

std::string sharedStdMismatch(const InputSet &in) {
  const Library *first = nullptr;
  llvm::StringRef firstHash;
  for (const Library &lib : in.libs) {
    llvm::StringRef name = stdMember(lib);
    if (name.empty())
      continue;
    llvm::StringRef hash = name.split('.').first; // std-<hash>
    if (!first) {
      first = &lib;
      firstHash = hash;
    } else if (hash != firstHash) {
      return lib.path + " holds " + hash.str() + " but " + first->path +
             " holds " + firstHash.str() +
             ": two builds of std (another rustc, or other std settings) "
             "cannot share one shared library; build both with one toolchain";
    }
  }
  return "";
}

} // namespace slimlink
